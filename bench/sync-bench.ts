/**
 * One sync scenario: the simulator in its own process, the real CLI (one-shot sync) run several
 * times against it, then the network-floor script the same number of times against the same data.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FloorInput } from './floor.js';
import { runMeasured, type Measured } from './measure.js';
import { planRequests } from './minimum.js';
import { distPath } from './paths.js';
import type { Scenario } from './scenarios.js';
import { SimProcess } from './sim-process.js';
import { spread, type Spread } from './stats.js';

/** The connector's default --concurrency; the floor script uses the same number in flight. */
export const SYNC_CONCURRENCY = 4;
const API_VERSION = '3.29';

export interface SyncRun {
  wallMs: number;
  peakRssMb: number;
  cpuSeconds: number;
  requests: number;
  byRoute: Record<string, number>;
  records: number;
}

export interface SyncScenarioResult {
  scenario: Scenario;
  minimumRequests: number;
  runs: SyncRun[];
  floorRunsMs: number[];
  wallMs: Spread;
  peakRssMb: Spread;
  cpuSeconds: Spread;
  floorMs: Spread;
  /** Median wall time over median floor time. */
  ratioToFloor: number;
}

export async function benchSyncScenario(scenario: Scenario, runs: number, log: (line: string) => void): Promise<SyncScenarioResult> {
  const sim = await SimProcess.start(scenario);
  const dir = mkdtempSync(path.join(tmpdir(), `bench-${scenario.name}-`));
  try {
    const plan = planRequests(await sim.state());
    const syncRuns: SyncRun[] = [];
    for (let i = 0; i < runs; i++) {
      syncRuns.push(await runCliSync(sim, path.join(dir, 'sync.c1z')));
      log(`  ${scenario.name} sync ${i + 1}/${runs}: ${(syncRuns[i]!.wallMs / 1000).toFixed(2)} s, ${syncRuns[i]!.requests} requests`);
    }
    const floorFile = path.join(dir, 'floor.json');
    const input: FloorInput = { url: sim.url, apiVersion: API_VERSION, patName: sim.info.pat.name, concurrency: SYNC_CONCURRENCY, plan };
    writeFileSync(floorFile, JSON.stringify(input));
    const floorRunsMs: number[] = [];
    for (let i = 0; i < runs; i++) floorRunsMs.push(await runFloor(sim, floorFile, plan.minimumRequests));
    const wallMs = spread(syncRuns.map((r) => r.wallMs));
    const floorMs = spread(floorRunsMs);
    return {
      scenario, minimumRequests: plan.minimumRequests, runs: syncRuns, floorRunsMs, wallMs, floorMs,
      peakRssMb: spread(syncRuns.map((r) => r.peakRssMb)), cpuSeconds: spread(syncRuns.map((r) => r.cpuSeconds)), ratioToFloor: wallMs.median / floorMs.median,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.stop();
  }
}

async function runCliSync(sim: SimProcess, file: string): Promise<SyncRun> {
  await sim.resetStats();
  const args = [distPath('cmd/baton-tableau.js'), '--server-path', sim.url, '--access-token-name', sim.info.pat.name,
    '-f', file, '--log-format', 'json', '--log-level', 'warn'];
  const env = { ...process.env, BATON_ACCESS_TOKEN_SECRET: sim.info.pat.secret };
  const run = await runMeasured(process.execPath, args, env);
  if (run.exitCode !== 0) throw new Error(`baton-tableau exited with ${run.exitCode}: ${run.stderr.slice(-2000)}`);
  const stats = await sim.stats();
  rmSync(file, { force: true });
  return { wallMs: run.wallMs, peakRssMb: run.peakRssMb, cpuSeconds: run.cpuSeconds, requests: stats.total, byRoute: stats.byRoute, records: recordsFromSummary(run) };
}

async function runFloor(sim: SimProcess, floorFile: string, expected: number): Promise<number> {
  const env = { ...process.env, BENCH_PAT_SECRET: sim.info.pat.secret };
  const run = await runMeasured(process.execPath, [distPath('bench/floor.js'), floorFile], env);
  if (run.exitCode !== 0) throw new Error(`floor script exited with ${run.exitCode}: ${run.stderr.slice(-2000)}`);
  const { requests } = JSON.parse(run.stdout) as { requests: number };
  if (requests !== expected) throw new Error(`floor script made ${requests} requests, expected ${expected}`);
  return run.wallMs;
}

/** Resources + entitlements + grants from the `total` row of the CLI's end-of-sync summary (stderr). */
export function recordsFromSummary(run: Pick<Measured, 'stderr'>): number {
  const match = /^\s*total\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s*$/m.exec(run.stderr);
  if (!match) throw new Error('the sync summary has no total row');
  return match.slice(1).reduce((sum, cell) => sum + Number.parseInt(cell.replaceAll(',', ''), 10), 0);
}
