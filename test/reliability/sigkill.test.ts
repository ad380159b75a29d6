/**
 * SIGKILL at 20 seeded random moments of a CLI sync over a 5,000-user site: the previous c1z must stay
 * byte-identical every time, and the next run must succeed and remove the temp files the killed runs left.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { buildDist, finished, runCli, startCli } from '../cli/run-cli.js';
import { dumpOf, seededRandom, sha256, startSim, syncArgs, tempDir, tempFilesIn } from './helpers.js';

const KILLS = 20;

let sim: RunningSimulator;
let dir: string;
let target: string;
let cleanMs: number;

beforeAll(async () => {
  await buildDist();
  // Fewer groups than the fault suite's site: the kills sample the same phases in less time.
  sim = await startSim({ seed: 11, users: 5_000, groups: 40, memberships: 12_000 });
  dir = tempDir();
  target = join(dir, 'sync.c1z');
  const started = Date.now();
  const first = await runCli(syncArgs(sim, target), { timeoutMs: 120_000 });
  cleanMs = Date.now() - started;
  expect(first.code, first.stderr).toBe(0);
}, 180_000);

describe('SIGKILL during a sync', () => {
  it(`leaves the previous c1z byte-identical at ${KILLS} moments; the next run succeeds and cleans up`, async () => {
    let previous = sha256(target);
    let killed = 0;
    const previousDump = await dumpOf(target);
    const random = seededRandom(20_261_122);
    const moments: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      // Anywhere from process start-up to just before a clean run would have finished.
      const delayMs = Math.floor(random() * cleanMs * 0.95);
      moments.push(delayMs);
      const child = startCli(syncArgs(sim, target));
      const exited = finished(child, 120_000);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill('SIGKILL');
      const run = await exited;
      // A run that beat the kill replaced the file legitimately; none may leave it half-written.
      if (run.signal === 'SIGKILL') {
        killed++;
        expect(sha256(target), `killed after ${delayMs} ms`).toBe(previous);
      } else {
        expect(run.code, run.stderr).toBe(0);
        expect(await dumpOf(target)).toEqual(previousDump);
        previous = sha256(target);
      }
    }
    expect(killed).toBeGreaterThanOrEqual(KILLS - 2);
    expect(moments.filter((ms) => ms > cleanMs / 2).length).toBeGreaterThan(3);

    // Killed writers left their temps behind; the next run must remove them.
    expect(tempFilesIn(dir).length).toBeGreaterThan(0);
    const next = await runCli(syncArgs(sim, target), { timeoutMs: 120_000 });
    expect(next.code, next.stderr).toBe(0);
    expect(tempFilesIn(dir)).toEqual([]);
    expect(await dumpOf(target)).toEqual(previousDump);
  }, 300_000);
});
