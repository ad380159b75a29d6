/**
 * Shared parts of the reliability suites: an in-process simulator the real CLI (a child process)
 * syncs from, the CLI arguments for it, dumps, hashes and temp folders — all cleaned up after each file.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { startSimulator, type RunningSimulator, type SimOptions } from '../../pkg/tableau-sim/index.js';
import { runCli } from '../cli/run-cli.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The 5,000-user site of the issue: large groups, enough of them to need a few hundred requests. */
export const FIVE_THOUSAND_USERS: SimOptions = { seed: 7, users: 5_000, groups: 250, memberships: 15_000 };

export async function startSim(opts: SimOptions): Promise<RunningSimulator> {
  const sim = await startSimulator(opts);
  cleanups.push(() => sim.close());
  return sim;
}

export function tempDir(prefix = 'baton-reliability-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** CLI arguments of a one-shot sync from `sim` into `file`, JSON logs. */
export function syncArgs(sim: RunningSimulator, file: string, extra: string[] = []): string[] {
  return [
    '--server-path', sim.url,
    '--access-token-name', sim.info.pat.name,
    '--access-token-secret', sim.info.pat.secret,
    '-f', file, '--log-format', 'json', ...extra,
  ];
}

/** The `dump` of a c1z (JSON lines, sorted by kind and id by the command itself). */
export async function dumpOf(file: string): Promise<string[]> {
  const run = await runCli(['dump', '-f', file], { timeoutMs: 60_000 });
  if (run.code !== 0) throw new Error(`dump of ${file} failed (${run.code}): ${run.stderr}`);
  return run.stdout.split('\n').filter((line) => line !== '');
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Temp files the c1z writer leaves next to its target (`.<name>.tmp-<pid>-…`). */
export function tempFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.includes('.tmp-'));
}

/** A small seeded PRNG (mulberry32) so "random" moments and inputs repeat from run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
