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

/** Human summary lines: counts per type, duration, Tableau traffic, warnings, output file and size. */
export function formatSyncSummary(result: OneShotSyncResult): string {
  const { counts, tableau } = result;
  const types = Object.entries(result.resourcesByType)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([type, count]) => `${type} ${n(count)}`)
    .join(', ');
  const lines = [
    `Sync finished in ${(result.durationMs / 1000).toFixed(1)} s: ${result.file} (${formatBytes(result.bytes)}, sync ${result.syncId})`,
    `  Resources     ${n(counts.resources)} (${types || 'none'})`,
    `  Entitlements  ${n(counts.entitlements)}`,
    `  Grants        ${n(counts.grants)}`,
    `  Tableau       ${n(tableau.requests)} requests, ${n(tableau.retries)} retries, ${n(tableau.rateLimited)} rate-limited, ${n(tableau.signIns)} sign-ins`,
    `  Warnings      ${n(result.warnings.length)}`,
    ...result.warnings.slice(0, 10).map((w) => `    - ${w}`),
    ...(result.warnings.length > 10 ? [`    ... and ${n(result.warnings.length - 10)} more (see the log)`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
