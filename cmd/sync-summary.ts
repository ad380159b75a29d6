/** The end-of-run summary of a one-shot sync, printed on stderr (stdout stays for data). */
import type { OneShotSyncResult } from './one-shot-sync.js';

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

const n = (value: number): string => value.toLocaleString('en-US');

function countsTable(result: OneShotSyncResult): string[] {
  const rows = Object.entries(result.perType)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([type, c]) => [type, n(c.resources), n(c.entitlements), n(c.grants)]);
  const { counts } = result;
  rows.push(['total', n(counts.resources), n(counts.entitlements), n(counts.grants)]);
  const header = ['type', 'resources', 'entitlements', 'grants'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}`;
  return [line(header), ...rows.map(line)];
}

/** Human summary lines: counts per type, duration, Tableau traffic, warnings, output file and size. */
export function formatSyncSummary(result: OneShotSyncResult): string {
  const { tableau } = result;
  const lines = [
    `Sync finished in ${(result.durationMs / 1000).toFixed(1)} s: ${result.file} (${formatBytes(result.bytes)}, sync ${result.syncId})`,
    ...countsTable(result),
    `  Tableau: ${n(tableau.requests)} requests, ${n(tableau.retries)} retries, ${n(tableau.rateLimited)} rate-limited, ${n(tableau.signIns)} sign-ins`,
    `  Warnings: ${n(result.warnings.length)}`,
    ...result.warnings.slice(0, 10).map((w) => `    - ${w}`),
    ...(result.warnings.length > 10 ? [`    ... and ${n(result.warnings.length - 10)} more (see the log)`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
