/**
 * Done-when of the outage work: a 10-minute outage mid-sync fails within the retry budget plus one
 * backoff, with one clear line, exit 1 and the previous file intact. The budget is shortened to 45 s
 * (`--retry-budget`) to keep the suite quick; the 5-minute default is proven on a clock the test owns
 * in test/tableau/retry-schedule.test.ts. The outage is ended when the test ends.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDist } from '../cli/run-cli.js';
import { sha256, tempFilesIn } from './helpers.js';
import { cleanSync, syncThroughOutage } from './outage-sync.js';

const BUDGET_MS = 45_000;
/** The longest backoff wait (the cap): the give-up may come this long after the budget is spent. */
const MAX_BACKOFF_MS = 30_000;
const EXIT_SLACK_MS = 20_000;

describe('a 10-minute outage mid-sync', () => {
  it('fails within the budget plus one backoff, one clear line, previous file intact', async () => {
    await buildDist();
    const fixture = await cleanSync(33);
    const file = join(fixture.dir, 'previous.c1z');
    copyFileSync(fixture.cleanFile, file);
    const before = sha256(file);
    const { run, sinceOutageMs } = await syncThroughOutage(fixture, file, { seconds: 600, mode: 'refuse' }, {
      extraArgs: ['--retry-budget', '45s'], timeoutMs: 420_000,
    });
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('baton-tableau: sync failed'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^baton-tableau: sync failed: Tableau unreachable for 45s: Tableau (GET|POST) \/api\/3\.29\/\S+ failed: connection error \((ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)\); Tableau did not come back within the retry budget \(--retry-budget\), check --server-path and the network$/,
    );
    expect(sinceOutageMs).toBeGreaterThanOrEqual(BUDGET_MS);
    // Plus the CLI closing down (aborting the writer, exiting), which a loaded host may stretch.
    expect(sinceOutageMs).toBeLessThan(BUDGET_MS + MAX_BACKOFF_MS + EXIT_SLACK_MS);
    expect(sha256(file)).toBe(before);
    expect(tempFilesIn(fixture.dir)).toEqual([]);
  }, 720_000);
});
