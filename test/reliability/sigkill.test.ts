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
}, 300_000); // buildDist may wait for the other worker's compile, then compile: minutes on a busy host

/** Runs one sync and SIGKILLs it after `delayMs`; true when the kill landed before the run finished. */
async function killedAfter(delayMs: number, previous: string, previousDump: string[]): Promise<{ killed: boolean; hash: string }> {
  const child = startCli(syncArgs(sim, target));
  const exited = finished(child, 120_000);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  const run = await exited;
  if (run.signal === 'SIGKILL') {
    const hash = sha256(target);
    if (hash === previous) return { killed: true, hash };
    // The kill landed after the run had renamed its finished file into place (it was signing out or
    // exiting): the new file must then be complete, and the moment is tried again earlier.
    expect(await dumpOf(target), `killed after ${delayMs} ms, after the rename`).toEqual(previousDump);
    return { killed: false, hash };
  }
  // The run beat the kill and replaced the file legitimately, with the same content.
  expect(run.code, run.stderr).toBe(0);
  expect(await dumpOf(target)).toEqual(previousDump);
  return { killed: false, hash: sha256(target) };
}

describe('SIGKILL during a sync', () => {
  it(`leaves the previous c1z byte-identical at ${KILLS} moments; the next run succeeds and cleans up`, async () => {
    let previous = sha256(target);
    const previousDump = await dumpOf(target);
    const random = seededRandom(20_261_122);
    const moments: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      // Anywhere from process start-up to just before a clean run would have finished; a run that
      // finishes first (the machine got faster) is tried again with half the delay.
      let delayMs = Math.floor(random() * cleanMs * 0.95);
      for (let attempt = 0; attempt < 6; attempt++, delayMs = Math.floor(delayMs / 2)) {
        const outcome = await killedAfter(delayMs, previous, previousDump);
        previous = outcome.hash;
        if (outcome.killed) {
          moments.push(delayMs);
          break;
        }
      }
    }
    expect(moments).toHaveLength(KILLS);
    expect(moments.filter((ms) => ms > cleanMs / 4).length).toBeGreaterThan(3);

    // Killed writers left their temps behind; the next run must remove them.
    expect(tempFilesIn(dir).length).toBeGreaterThan(0);
    const next = await runCli(syncArgs(sim, target), { timeoutMs: 120_000 });
    expect(next.code, next.stderr).toBe(0);
    expect(tempFilesIn(dir)).toEqual([]);
    expect(await dumpOf(target)).toEqual(previousDump);
  }, 300_000);
});
