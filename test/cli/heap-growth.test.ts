/**
 * limitHeapGrowth (called first thing by the CLI): under the same allocation-heavy churn, a process
 * that set it keeps a much smaller heap than one that did not. Both run as separate Node processes
 * (the flag is process-wide); the comparison is relative, so a busy machine does not change the verdict.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { buildDist, REPO } from './run-cli.js';

beforeAll(buildDist, 200_000);

/** Keeps ~30 MB live, churns batches that survive a few scavenges, prints the peak heap size in MB. */
const CHURN = `
  if (process.argv[1] === 'limit') (await import(${JSON.stringify(join(REPO, 'dist', 'cmd', 'heap-growth.js'))})).limitHeapGrowth();
  const v8 = await import('node:v8');
  const live = [];
  for (let i = 0; i < 300000; i++) live.push('id-' + i + '-'.repeat(50));
  const recent = [];
  let peak = 0;
  for (let round = 0; round < 300; round++) {
    const batch = [];
    for (let i = 0; i < 20000; i++) batch.push({ a: i, b: 'v' + i, c: [i, i + 1] });
    recent.push(batch);
    if (recent.length > 4) recent.shift();
    peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);
  }
  console.log(Math.round(peak / 1048576), live.length);
`;

function peakHeapMb(mode: 'limit' | 'default'): number {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', CHURN, mode], { encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return Number(run.stdout.trim().split(' ')[0]);
}

test('a process that limits heap growth peaks well below one that does not', () => {
  const limited = peakHeapMb('limit');
  const unlimited = peakHeapMb('default');
  expect(limited).toBeGreaterThan(0);
  expect(limited).toBeLessThan(unlimited * 0.75);
}, 130_000);
