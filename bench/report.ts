/** The bench's one table, the target checks, and the machine it ran on. */
import { cpus, totalmem } from 'node:os';
import type { GrantBenchResult } from './grant-bench.js';
import { rssSource } from './measure.js';
import type { SyncScenarioResult } from './sync-bench.js';

export interface Machine {
  node: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  rssSource: string;
}

export function machine(): Machine {
  return { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', memoryGb: Math.round(totalmem() / 2 ** 30), rssSource };
}

const secs = (ms: number): string => (ms / 1000).toFixed(2);
const range = (min: number, max: number, f: (n: number) => string): string => `${f(min)}–${f(max)}`;

export function syncTable(results: SyncScenarioResult[]): string {
  const header = ['scenario', 'wall s (min–max)', 'requests / min', 'peak RSS MB (min–max)', 'CPU s', 'records', 'floor s (min–max)', 'ours/floor'];
  const rows = results.map((r) => {
    const requests = [...new Set(r.runs.map((x) => x.requests))].join('/');
    return [
      r.scenario.name,
      `${secs(r.wallMs.median)} (${range(r.wallMs.min, r.wallMs.max, secs)})`,
      `${requests} / ${r.minimumRequests}`,
      `${r.peakRssMb.median.toFixed(0)} (${range(r.peakRssMb.min, r.peakRssMb.max, (n) => n.toFixed(0))})`,
      r.cpuSeconds.median.toFixed(2),
      (r.runs[0]?.records ?? 0).toLocaleString('en-US'),
      `${secs(r.floorMs.median)} (${range(r.floorMs.min, r.floorMs.max, secs)})`,
      r.ratioToFloor.toFixed(2),
    ];
  });
  return formatTable(header, rows);
}

export function grantLine(g: GrantBenchResult): string {
  return `grants: ${g.grants} concurrent (${g.failed} failed${g.firstError ? `: ${g.firstError}` : ''}) → ${g.tableauCalls} Tableau calls; grant RPC p50 ${g.p50Ms.toFixed(1)} ms, p99 ${g.p99Ms.toFixed(1)} ms; RPC overhead p50 ${g.overheadP50Ms.toFixed(2)} ms`;
}

/** Each target of issue 7 that the measured scenarios can speak to, with pass/fail. */
export function targetChecks(results: SyncScenarioResult[], grants: GrantBenchResult | undefined): string[] {
  const by = (name: string): SyncScenarioResult | undefined => results.find((r) => r.scenario.name === name);
  const checks: [string, boolean][] = results.map((r) => [
    `${r.scenario.name} requests = minimum (${r.minimumRequests})`, r.runs.every((x) => x.requests === r.minimumRequests)]);
  const s = by('S5k');
  const m = by('M20k');
  const l = by('L200k');
  if (s) checks.push([`S5k wall ≤ 1.6 s (${secs(s.wallMs.median)})`, s.wallMs.median <= 1600]);
  if (m) checks.push([`M20k ≤ 1.25 × floor (${m.ratioToFloor.toFixed(2)})`, m.ratioToFloor <= 1.25]);
  if (l) checks.push([`L200k wall ≤ 30 s (${secs(l.wallMs.median)})`, l.wallMs.median <= 30_000]);
  if (l) checks.push([`L200k peak RSS ≤ 256 MB (${l.peakRssMb.median.toFixed(0)})`, l.peakRssMb.median <= 256]);
  if (l && s) {
    const growth = l.peakRssMb.median / s.peakRssMb.median;
    checks.push([`L200k peak RSS within 20% of S5k's (×${growth.toFixed(2)})`, growth <= 1.2]);
  }
  if (grants) {
    checks.push([`grant RPC overhead p50 ≤ 2 ms (${grants.overheadP50Ms.toFixed(2)})`, grants.overheadP50Ms <= 2]);
    checks.push([`1,000 grants → ≤ 20 Tableau calls (${grants.tableauCalls})`, grants.tableauCalls <= 20 && grants.failed === 0]);
  }
  return checks.map(([label, ok]) => `${ok ? 'PASS' : 'FAIL'}  ${label}`);
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
