/**
 * Done-when of the outage work: a 30-second outage (503 pages, as a gateway in front of a restarting
 * Tableau Server answers) in the middle of a 20,000-user sync; the sync completes, and its output is
 * identical to a clean run's.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDist } from '../cli/run-cli.js';
import { cleanSync, dumpLines, retriesOf, syncThroughOutage } from './outage-sync.js';

describe('a 30-second outage mid-sync', () => {
  it('is ridden out: the output equals a clean run', async () => {
    await buildDist();
    const fixture = await cleanSync(31);
    const file = join(fixture.dir, 'outage.c1z');
    const { run, ms } = await syncThroughOutage(fixture, file, { seconds: 30, mode: '503' }, { timeoutMs: 420_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(30_000);
    expect(retriesOf(run)).toBeGreaterThan(0);
    expect(fixture.sim.stats().byStatus['503']).toBeGreaterThan(0);
    expect(await dumpLines(file)).toEqual(fixture.cleanDump);
  }, 720_000);
});
