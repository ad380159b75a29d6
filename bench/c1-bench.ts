/**
 * The ConductorOne service-mode benchmark (`npm run bench -- --c1`):
 *   1. sync_full of L200k through the fake ConductorOne, against the one-shot sync of the same data
 *      plus a plain upload of its c1z: time (task handed out → FinishTask) within 10% of that sum,
 *      peak RSS no higher than the one-shot's (the upload streams from disk);
 *   2. 1,000 queued grant tasks (group `member`, 100 users on each of 10 groups) drained at task
 *      concurrency 3 (the default) and 100: the most tasks running at once, drain time, Tableau calls.
 * The fake runs in this process, the simulator and the connector in their own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeC1, type FakeC1 } from '../test/support/fake-c1/index.js';
import { timeBaselineUpload } from './c1-upload-baseline.js';
import { ServiceProcess } from './c1-service-process.js';
import { runMeasured } from './measure.js';
import { distPath } from './paths.js';
import { SCENARIOS, type Scenario } from './scenarios.js';
import { SimProcess } from './sim-process.js';
import { spread, type Spread } from './stats.js';

const WAIT_MS = 600_000;
const GRANT_SCENARIO: Scenario = { name: 'grants', users: 5_000, groups: 125, memberships: 25_000, latencyMs: 0, runs: 1 };

export interface SyncComparison {
  scenario: string;
  runs: number;
  c1zBytes: number;
  oneShotMs: Spread;
  uploadMs: Spread;
  serviceTaskMs: Spread;
  oneShotRssMb: Spread;
  serviceRssMb: Spread;
  /** Median service task time over (median one-shot + median upload). */
  timeRatio: number;
  /** Median service peak RSS over median one-shot peak RSS. */
  rssRatio: number;
}

export interface GrantDrain {
  tasks: number;
  taskConcurrency: number;
  failed: number;
  maxRunning: number;
  drainMs: number;
  tableauCalls: number;
  byRoute: Record<string, number>;
}

export interface C1BenchResult {
  sync: SyncComparison;
  grants: GrantDrain[];
}

async function oneShot(sim: SimProcess, file: string): Promise<{ wallMs: number; peakRssMb: number }> {
  const args = [distPath('cmd/baton-tableau.js'), '--server-path', sim.url, '--access-token-name', sim.info.pat.name, '-f', file, '--log-format', 'json', '--log-level', 'warn'];
  // A loaded shared host has taken over 4 minutes for an L200k sync: allow as long as the service task gets.
  const run = await runMeasured(process.execPath, args, { ...process.env, BATON_ACCESS_TOKEN_SECRET: sim.info.pat.secret }, WAIT_MS);
  if (run.exitCode !== 0) throw new Error(`one-shot sync exited with ${run.exitCode} (killed after ${WAIT_MS / 1000} s?): ${run.stderr.slice(-2000)}`);
  return { wallMs: run.wallMs, peakRssMb: run.peakRssMb };
}

/** One sync_full task through a fresh service process: task time and the process's peak RSS. */
async function serviceSync(fake: FakeC1, sim: SimProcess): Promise<{ taskMs: number; peakRssMb: number; bytes: number }> {
  const hellos = fake.records.hellos.length;
  const service = ServiceProcess.start(fake, sim);
  try {
    await fake.records.waitForHello(hellos + 1, 120_000);
    const id = fake.enqueue('syncFull', {});
    const queuedAt = Date.now();
    const finish = await fake.records.waitForFinish(id, WAIT_MS);
    if (!finish.request.success) throw new Error(`sync_full failed: ${JSON.stringify(finish.request.status)}`);
    const upload = fake.records.uploads.find((u) => u.taskId === id && u.ok)!;
    if (upload.path) rmSync(upload.path, { force: true });
    return { taskMs: finish.at - queuedAt, peakRssMb: service.peakRssMb(), bytes: upload.size };
  } finally {
    await service.stop();
  }
}

export async function benchSyncComparison(scenario: Scenario, runs: number, log: (line: string) => void): Promise<SyncComparison> {
  const sim = await SimProcess.start(scenario);
  const fake = await startFakeC1({ nextPollMs: 50, nextHeartbeatMs: 5000 });
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-c1-sync-'));
  const one: { wallMs: number; peakRssMb: number }[] = [];
  const uploads: number[] = [];
  const service: { taskMs: number; peakRssMb: number; bytes: number }[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const file = path.join(dir, 'sync.c1z');
      one.push(await oneShot(sim, file));
      const baselineTask = fake.enqueue('syncFull', {});
      fake.queue.next();
      uploads.push(await timeBaselineUpload(fake, baselineTask, file));
      rmSync(file, { force: true });
      for (const u of fake.records.uploads) if (u.path) rmSync(u.path, { force: true });
      service.push(await serviceSync(fake, sim));
      log(`  ${scenario.name} run ${i + 1}/${runs}: one-shot ${(one[i]!.wallMs / 1000).toFixed(2)} s ${one[i]!.peakRssMb.toFixed(0)} MB, ` +
        `upload ${(uploads[i]! / 1000).toFixed(2)} s, service task ${(service[i]!.taskMs / 1000).toFixed(2)} s ${service[i]!.peakRssMb.toFixed(0)} MB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await fake.close();
    await sim.stop();
  }
  const oneShotMs = spread(one.map((r) => r.wallMs));
  const uploadMs = spread(uploads);
  const serviceTaskMs = spread(service.map((r) => r.taskMs));
  const oneShotRssMb = spread(one.map((r) => r.peakRssMb));
  const serviceRssMb = spread(service.map((r) => r.peakRssMb));
  return {
    scenario: scenario.name, runs, c1zBytes: service[0]?.bytes ?? 0, oneShotMs, uploadMs, serviceTaskMs, oneShotRssMb, serviceRssMb,
    timeRatio: serviceTaskMs.median / (oneShotMs.median + uploadMs.median),
    rssRatio: serviceRssMb.median / oneShotRssMb.median,
  };
}

/** 100 non-members on each of 10 local groups, as grant tasks. */
function grantTasks(state: Awaited<ReturnType<SimProcess['state']>>): { entitlement: object; principal: object }[] {
  const site = state.sites[0]!;
  const groups = site.groups.filter((g) => g.name !== 'All Users' && g.domain === 'local').slice(0, 10);
  const members = new Set(site.memberships.map((m) => `${m.groupId}/${m.userId}`));
  return groups.flatMap((g) =>
    site.users.filter((u) => !members.has(`${g.id}/${u.id}`)).slice(0, 100).map((u) => ({
      entitlement: { id: `group:${g.id}:member`, resource: { id: { resourceType: 'group', resource: g.id } }, slug: 'member' },
      principal: { id: { resourceType: 'user', resource: u.id } },
    })));
}

export async function benchGrantDrain(taskConcurrency: number): Promise<GrantDrain> {
  const sim = await SimProcess.start(GRANT_SCENARIO);
  const fake = await startFakeC1({ nextPollMs: 0, nextHeartbeatMs: 5000 });
  const service = ServiceProcess.start(fake, sim, { BATON_TASK_CONCURRENCY: String(taskConcurrency) });
  try {
    await fake.records.waitForHello(1, 120_000);
    const tasks = grantTasks(await sim.state());
    await sim.resetStats();
    fake.queue.maxRunning = 0;
    const started = Date.now();
    const ids = tasks.map((t) => fake.enqueue('grant', t));
    await fake.records.until(() => fake.records.finishes.length >= ids.length, WAIT_MS, 'every grant task finished');
    const drainMs = Date.now() - started;
    const stats = await sim.stats();
    return {
      tasks: ids.length, taskConcurrency, failed: fake.records.finishes.filter((f) => !f.request.success).length,
      maxRunning: fake.queue.maxRunning, drainMs, tableauCalls: stats.total, byRoute: stats.byRoute,
    };
  } finally {
    await service.stop();
    await fake.close();
    await sim.stop();
  }
}

/** The whole service-mode bench; the scenario defaults to L200k. */
export async function benchC1(opts: { scenario?: Scenario; runs?: number }, log: (line: string) => void): Promise<C1BenchResult> {
  const scenario = opts.scenario ?? SCENARIOS.find((s) => s.name === 'L200k')!;
  log(`c1: sync_full of ${scenario.name} through the fake ConductorOne vs one-shot sync + upload`);
  const sync = await benchSyncComparison(scenario, opts.runs ?? scenario.runs, log);
  const grants: GrantDrain[] = [];
  for (const concurrency of [3, 100]) {
    log(`c1: 1,000 queued grant tasks at task concurrency ${concurrency}`);
    grants.push(await benchGrantDrain(concurrency));
  }
  return { sync, grants };
}
