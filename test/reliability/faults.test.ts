/**
 * The one-shot CLI sync over a 5,000-user simulated site while Tableau misbehaves: every fault at once,
 * then an outage in the middle of a sync. The result must equal a clean run's, or fail clearly and leave
 * the previous c1z alone.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { buildDist, finished, runCli, startCli } from '../cli/run-cli.js';
import { FIVE_THOUSAND_USERS, dumpOf, sha256, startSim, syncArgs, tempDir, tempFilesIn } from './helpers.js';

let sim: RunningSimulator;
let dir: string;
let cleanFile: string;
let cleanDump: string[];

beforeAll(async () => {
  await buildDist();
  sim = await startSim(FIVE_THOUSAND_USERS);
  dir = tempDir();
  cleanFile = join(dir, 'clean.c1z');
  const clean = await runCli(syncArgs(sim, cleanFile), { timeoutMs: 120_000 });
  expect(clean.code, clean.stderr).toBe(0);
  cleanDump = await dumpOf(cleanFile);
}, 240_000);

describe('every fault at once', () => {
  it('429s, 5xx, resets, session kills and latency spikes: the dump equals the clean run; retries are reported', async () => {
    sim.resetStats();
    sim.setFaults({
      fault429Rate: 0.2, fault5xxRate: 0.05, faultResetRate: 0.01, sessionKillEvery: 200,
      latencySpikeRate: 0.1, latencySpikeMs: 100,
    });
    const file = join(dir, 'faulty.c1z');
    const run = await runCli(syncArgs(sim, file), { timeoutMs: 240_000 });
    sim.setFaults({ fault429Rate: 0, fault5xxRate: 0, faultResetRate: 0, sessionKillEvery: 0, latencySpikeRate: 0 });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);

    // Every kind of fault really happened during this run (the seeded rolls follow request order).
    const { byStatus } = sim.stats();
    expect(byStatus['429']).toBeGreaterThan(10);
    expect((byStatus['500'] ?? 0) + (byStatus['503'] ?? 0)).toBeGreaterThan(0);
    expect(byStatus['reset']).toBeGreaterThan(0);
    expect(byStatus['401']).toBeGreaterThan(0);

    expect(await dumpOf(file)).toEqual(cleanDump);
    const summary = /Tableau: ([\d,]+) requests, ([\d,]+) retries, ([\d,]+) rate-limited, ([\d,]+) sign-ins/.exec(run.stderr);
    expect(summary, run.stderr.slice(-1500)).not.toBeNull();
    expect(Number(summary![2]!.replace(/,/g, ''))).toBeGreaterThan(10);
    expect(Number(summary![3]!.replace(/,/g, ''))).toBe(byStatus['429']);
    expect(Number(summary![4]!.replace(/,/g, ''))).toBeGreaterThan(1);
    expect(tempFilesIn(dir)).toEqual([]);
  }, 240_000);
});

/**
 * The issue asks for 30 s down; the window is 6 s here to keep the suite short. Either outcome is
 * allowed by the default retry budget (6 attempts, full-jitter backoff): completion with the clean
 * dump, or exit 1 with a clear "cannot reach Tableau" error. The previous file must survive either way.
 */
describe('Tableau down in the middle of a sync', () => {
  it('retries with backoff, then completes or fails clearly; the previous c1z is untouched', async () => {
    const file = join(dir, 'outage.c1z');
    const seed = await runCli(syncArgs(sim, file), { timeoutMs: 120_000 });
    expect(seed.code, seed.stderr).toBe(0);
    const before = sha256(file);
    let served = 0;
    let outageStarted = false;
    sim.interceptResponses((request) => {
      // Down after the 30th group-membership page: deep inside the grants phase.
      if (request.route === 'GET /sites/{}/groups/{}/users' && ++served === 30 && !outageStarted) {
        outageStarted = true;
        sim.setFaults({ down: true });
        setTimeout(() => sim.setFaults({ down: false }), 6_000);
      }
      return undefined;
    });
    sim.resetStats();
    const started = Date.now();
    const run = await finished(startCli(syncArgs(sim, file, ['--log-level', 'debug'])), 180_000);
    const elapsedMs = Date.now() - started;
    sim.interceptResponses(null);
    sim.setFaults({ down: false });

    expect(outageStarted).toBe(true);
    expect(sim.stats().byStatus['reset']).toBeGreaterThan(1);
    // Backoff: some request was tried at least three times.
    expect(run.stderr.split('\n').some((l) => l.includes('tableau request') && /"attempt":[3-9]/.test(l))).toBe(true);
    // The client's default budget is 120 s per call; the whole run ends well inside that.
    expect(elapsedMs).toBeLessThan(120_000);
    if (run.code === 0) {
      expect(await dumpOf(file)).toEqual(cleanDump);
    } else {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/sync failed: cannot reach Tableau; check --server-path and the network \(Tableau GET \/api\/[\d.]+\/sites\/[^ ]+ failed: connection error/);
      expect(sha256(file)).toBe(before);
    }
    expect(existsSync(file)).toBe(true);
    expect(tempFilesIn(dir)).toEqual([]);
  }, 240_000);
});
