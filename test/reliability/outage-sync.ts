/**
 * A 20,000-user one-shot sync (the real CLI) through a simulator outage that starts mid-sync: the
 * shared part of the outage suites, which are separate files so that they run side by side.
 */
import { expect } from 'vitest';
import { join } from 'node:path';
import type { OutageSpec, RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { runCli, type CliRun } from '../cli/run-cli.js';
import { startSim, syncArgs, tempDir } from './helpers.js';

/** ~148 requests per sync; the outage starts after this many, in the middle of the member listings. */
export const MID_SYNC_REQUESTS = 60;

/** A clean sync takes ~10 s on an idle 2-core host, over a minute on a busy one. */
export const CLEAN_SYNC_TIMEOUT_MS = 240_000;

export interface OutageFixture {
  sim: RunningSimulator;
  dir: string;
  /** The file of the clean run. */
  cleanFile: string;
  cleanDump: string[];
}

/** Dumping 95,000 records takes ~3 s idle; far longer while other suites sync 20,000 users too. */
const DUMP_TIMEOUT_MS = 180_000;

/** The `dump` of a c1z: JSON lines, sorted by kind and id by the command itself. */
export async function dumpLines(file: string): Promise<string[]> {
  const run = await runCli(['dump', '-f', file], { timeoutMs: DUMP_TIMEOUT_MS });
  if (run.code !== 0) throw new Error(`dump of ${file} failed (${run.code ?? run.signal}): ${run.stderr}`);
  return run.stdout.split('\n').filter((line) => line !== '');
}

/** Starts a 20,000-user simulator and writes a clean sync's file and dump. */
export async function cleanSync(seed: number): Promise<OutageFixture> {
  const sim = await startSim({ seed, users: 20_000, groups: 100, memberships: 15_000 });
  const dir = tempDir('baton-outage-');
  const cleanFile = join(dir, 'clean.c1z');
  const run = await runCli(syncArgs(sim, cleanFile), { timeoutMs: CLEAN_SYNC_TIMEOUT_MS });
  expect(run.code, run.stderr).toBe(0);
  return { sim, dir, cleanFile, cleanDump: await dumpLines(cleanFile) };
}

/**
 * Runs a sync into `file` with an outage armed to start mid-sync; returns the run, its wall time and
 * the time from the outage's start to the CLI's exit.
 */
export async function syncThroughOutage(
  fixture: OutageFixture,
  file: string,
  outage: Omit<OutageSpec, 'afterRequests'>,
  opts: { extraArgs?: string[]; timeoutMs: number },
): Promise<{ run: CliRun; ms: number; sinceOutageMs: number }> {
  fixture.sim.resetStats();
  fixture.sim.startOutage({ ...outage, afterRequests: MID_SYNC_REQUESTS });
  const started = Date.now();
  try {
    const run = await runCli(syncArgs(fixture.sim, file, opts.extraArgs ?? []), { timeoutMs: opts.timeoutMs });
    const ended = Date.now();
    const outageStarted = fixture.sim.outageStatus().lastStartedAt ?? ended;
    return { run, ms: ended - started, sinceOutageMs: ended - outageStarted };
  } finally {
    fixture.sim.endOutage();
  }
}

/** The summary's Tableau line: `Tableau: N requests, R retries, …`. */
export function retriesOf(run: CliRun): number {
  const match = /Tableau: [\d,]+ requests, ([\d,]+) retries/.exec(run.stdout + run.stderr);
  return match ? Number(match[1]!.replace(/,/g, '')) : -1;
}
