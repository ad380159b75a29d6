/**
 * Done-when of the outage work: a 2-minute outage (connections refused, as while Tableau Server
 * restarts) in the middle of a 20,000-user sync, under the default retry budget; the sync completes
 * and its output is identical to a clean run's.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDist } from '../cli/run-cli.js';
import { cleanSync, dumpLines, retriesOf, syncThroughOutage } from './outage-sync.js';

describe('a 2-minute outage mid-sync', () => {
  it('is ridden out with the default budget: the output equals a clean run', async () => {
    await buildDist();
    const fixture = await cleanSync(32);
    const file = join(fixture.dir, 'outage.c1z');
    // Idle: ~2 min 20 s (the outage, up to one 30 s backoff, the sync); 7 min measured on a 2-core host at load 13.
    const { run, ms } = await syncThroughOutage(fixture, file, { seconds: 120, mode: 'refuse' }, { timeoutMs: 600_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(120_000);
    expect(retriesOf(run)).toBeGreaterThan(0);
    expect(await dumpLines(file)).toEqual(fixture.cleanDump);
  }, 900_000);
});
