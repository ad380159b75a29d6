/** The service-mode bench's lines: the sync comparison with its two targets, and the grant drains. */
import type { C1BenchResult } from './c1-bench.js';
import type { Spread } from './stats.js';

const s = (ms: Spread): string => `${(ms.median / 1000).toFixed(2)} s (${(ms.min / 1000).toFixed(2)}–${(ms.max / 1000).toFixed(2)})`;
const mb = (x: Spread): string => `${x.median.toFixed(0)} MB (${x.min.toFixed(0)}–${x.max.toFixed(0)})`;
const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

export function c1Lines(r: C1BenchResult): string[] {
  const { sync } = r;
  return [
    `${sync.scenario} sync_full through the fake ConductorOne (${sync.runs} runs, c1z ${(sync.c1zBytes / 1e6).toFixed(1)} MB):`,
    `  one-shot sync ${s(sync.oneShotMs)}, plain upload ${s(sync.uploadMs)}; service task ${s(sync.serviceTaskMs)}`,
    `  peak RSS: one-shot ${mb(sync.oneShotRssMb)}, service mode ${mb(sync.serviceRssMb)}`,
    `  time ≤ 1.10 × (one-shot + upload): ${met(sync.timeRatio <= 1.1)} (×${sync.timeRatio.toFixed(3)})`,
    `  memory ≤ one-shot's: ${met(sync.rssRatio <= 1)} (×${sync.rssRatio.toFixed(3)})`,
    ...r.grants.map((g) =>
      `1,000 queued grant tasks at task concurrency ${g.taskConcurrency}: ${(g.drainMs / 1000).toFixed(2)} s, ${g.failed} failed, ` +
      `at most ${g.maxRunning} running (${met(g.maxRunning <= g.taskConcurrency)}), ${g.tableauCalls} Tableau calls ` +
      `(${Object.entries(g.byRoute).map(([route, n]) => `${route} ${n}`).join(', ')})`),
  ];
}
