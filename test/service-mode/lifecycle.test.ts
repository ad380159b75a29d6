/**
 * The life of running tasks in service mode, through the built CLI and the fake: ConductorOne
 * cancelling a sync (aborted, nothing uploaded), SIGTERM mid-sync (finished within the shutdown
 * timeout; or aborted and reported when the timeout is short; exit 0 either way), the task
 * concurrency honoured, one full sync at a time, the sync task's options, and /healthz, /readyz,
 * /metrics. The simulator's latency makes a sync take seconds. Budget: ~60 s after the build.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { decodeC1z } from '../acceptance/decode-c1z.js';
import { buildDist } from '../cli/run-cli.js';
import { httpGet, metricValue, waitFor } from '../service/helpers.js';
import { startFakeC1, type FakeC1 } from '../support/fake-c1/index.js';
import { exitWithin, spawnServiceMode, taskLines, type ServiceProcess } from './harness.js';

const WAIT_MS = 60_000;
/** Per Tableau request: a sync of the test site then takes several seconds. */
const SLOW_MS = 400;

let sim: RunningSimulator;
let fake: FakeC1;
let proc: ServiceProcess | undefined;

function start(env: Record<string, string> = {}): ServiceProcess {
  proc = spawnServiceMode({ fake, client: fake.newClient(), sim, provisioning: true, env });
  return proc;
}

beforeAll(async () => {
  await buildDist();
  sim = await startSimulator({ port: 0, host: '127.0.0.1', users: 60, groups: 12, memberships: 120 });
  fake = await startFakeC1({ nextPollMs: 50, nextHeartbeatMs: 1000 });
}, 240_000);

afterEach(async () => {
  sim.setFaults({ latencyMs: 0 });
  await proc?.stop('SIGKILL');
  proc = undefined;
});

afterAll(async () => {
  await fake?.close();
  await sim?.close();
});

describe('cancellation and shutdown', () => {
  it('ConductorOne cancelling a running sync aborts it: nothing uploaded, FinishTask error CANCELLED', async () => {
    const p = start();
    await fake.records.waitForHello(1, WAIT_MS);
    sim.setFaults({ latencyMs: SLOW_MS });
    const id = fake.enqueue('syncFull', {});
    await fake.records.waitForHeartbeats(id, 1, WAIT_MS);
    fake.cancel(id);
    const finish = await fake.records.waitForFinish(id, WAIT_MS);
    expect(finish.request.status?.code).toBe(grpc.status.CANCELLED);
    expect(fake.records.uploads.filter((u) => u.taskId === id)).toEqual([]);
    expect(fake.records.heartbeats.some((h) => h.taskId === id && h.answeredCancelled)).toBe(true);
    // The log line follows the FinishTask.
    await waitFor(() => taskLines(p).some((l) => l['taskId'] === id), WAIT_MS);
    expect(taskLines(p).find((l) => l['taskId'] === id)).toMatchObject({ taskType: 'sync_full', outcome: 'error' });
    expect(await p.stop()).toBe(0);
  });

  it('SIGTERM mid-sync with time to spare: polling stops, the sync finishes and uploads, exit 0', async () => {
    const p = start({ BATON_SHUTDOWN_TIMEOUT: '60s' });
    await fake.records.waitForHello(1, WAIT_MS);
    sim.setFaults({ latencyMs: 150 });
    const id = fake.enqueue('syncFull', {});
    await fake.records.waitForHeartbeats(id, 1, WAIT_MS);
    p.child.kill('SIGTERM');
    const pollsAtSignal = fake.records.count('GetTask');
    expect(await exitWithin(p, WAIT_MS)).toBe(0);
    expect((await fake.records.waitForFinish(id, 1)).request.success).toBeDefined();
    expect(fake.records.uploads.some((u) => u.taskId === id && u.ok)).toBe(true);
    expect(fake.records.count('GetTask')).toBeLessThanOrEqual(pollsAtSignal + 1);
  });

  it('SIGTERM mid-sync with a short shutdown timeout: the sync is aborted and reported as an error, exit 0', async () => {
    const p = start({ BATON_SHUTDOWN_TIMEOUT: '1s' });
    await fake.records.waitForHello(1, WAIT_MS);
    sim.setFaults({ latencyMs: SLOW_MS * 2 });
    const id = fake.enqueue('syncFull', {});
    await fake.records.waitForHeartbeats(id, 1, WAIT_MS);
    p.child.kill('SIGTERM');
    expect(await exitWithin(p, WAIT_MS)).toBe(0);
    const finish = await fake.records.waitForFinish(id, 1);
    expect(finish.request.error).toBeDefined();
    expect(finish.request.status).toMatchObject({ code: grpc.status.CANCELLED, message: 'the connector is shutting down' });
    expect(fake.records.uploads.filter((u) => u.taskId === id)).toEqual([]);
  });
});

describe('concurrency', () => {
  it('--task-concurrency 2: never more than 2 tasks at once, and never two full syncs at once', async () => {
    const p = start({ BATON_TASK_CONCURRENCY: '2' });
    await fake.records.waitForHello(1, WAIT_MS);
    sim.setFaults({ latencyMs: 100 });
    fake.queue.maxRunning = 0;
    const syncs = [fake.enqueue('syncFull', {}), fake.enqueue('syncFull', {})];
    const hellos = Array.from({ length: 4 }, () => fake.enqueue('hello', {}));
    for (const id of syncs) await fake.records.waitForFinish(id, WAIT_MS);
    await fake.records.until(() => hellos.every((id) => fake.records.hellos.some((h) => h.request.taskId === id)), WAIT_MS, 'the hello tasks');
    expect(fake.queue.maxRunning).toBe(2);
    const spans = syncs.map((id) => ({
      upload: fake.records.uploads.find((u) => u.taskId === id && u.ok)!.at,
      finish: fake.records.finishes.find((f) => f.taskId === id)!.at,
    }));
    // Both were handed out together (two slots); the second sync uploaded only after the first finished.
    const [first, second] = [...spans].sort((a, b) => a.finish - b.finish);
    expect(second!.upload).toBeGreaterThanOrEqual(first!.finish);
    expect(await p.stop()).toBe(0);
  });
});

describe('sync task options', () => {
  it('skip_grants, skip_entitlements_and_grants and targeted_sync_resources narrow the uploaded c1z', async () => {
    const p = start();
    await fake.records.waitForHello(1, WAIT_MS);
    const site = sim.info.sites[0]!.id;
    const someUser = sim.state().sites[0]!.users[5]!.id;
    const noGrants = fake.enqueue('syncFull', { skipGrants: true });
    const resourcesOnly = fake.enqueue('syncFull', { skipEntitlementsAndGrants: true });
    const targeted = fake.enqueue('syncFull', {
      targetedSyncResources: [{ id: { resourceType: 'user', resource: someUser }, parentResourceId: { resourceType: 'site', resource: site } }],
    });
    const decoded = async (id: string) => {
      expect((await fake.records.waitForFinish(id, WAIT_MS)).request.success).toBeDefined();
      return decodeC1z(fake.records.uploads.find((u) => u.taskId === id && u.ok)!.path!);
    };
    const kinds = (ids: Set<string>) => new Set([...ids].map((i) => i.split(' ')[0]));
    const a = await decoded(noGrants);
    expect(kinds(a.recordIds)).toEqual(new Set(['resource_type', 'resource', 'entitlement']));
    const b = await decoded(resourcesOnly);
    expect(kinds(b.recordIds)).toEqual(new Set(['resource_type', 'resource']));
    expect([...b.recordIds].filter((i) => i.startsWith('resource ')).length).toBeGreaterThan(60);
    const c = await decoded(targeted);
    expect([...c.recordIds].filter((i) => i.startsWith('resource '))).toEqual([`resource user:${someUser}`]);
    expect(await p.stop()).toBe(0);
  });
});

describe('probes and metrics', () => {
  it('--http-listen serves /healthz, /readyz (after Hello) and /metrics with task, upload, token and poll series', async () => {
    const p = start({ BATON_HTTP_LISTEN: '127.0.0.1:0' });
    await fake.records.waitForHello(1, WAIT_MS);
    await fake.records.until(() => p.logs().some((l) => l['msg'] === 'probes and metrics listening'), WAIT_MS, 'the http line');
    const address = String(p.logs().find((l) => l['msg'] === 'probes and metrics listening')!['http']);
    expect((await httpGet(address, '/healthz')).status).toBe(200);
    const id = fake.enqueue('syncFull', {});
    await fake.records.waitForFinish(id, WAIT_MS);
    const unsupported = fake.enqueue('eventFeed', {});
    await fake.records.waitForFinish(unsupported, WAIT_MS);
    expect((await httpGet(address, '/readyz')).status).toBe(200);
    // Metrics are counted right after the FinishTask.
    let metrics = '';
    await waitFor(async () => {
      metrics = (await httpGet(address, '/metrics')).body;
      return metricValue(metrics, 'baton_c1_tasks_total', { type: 'event_feed', outcome: 'error' }) >= 1;
    }, WAIT_MS);
    expect(metricValue(metrics, 'baton_c1_tasks_total', { type: 'sync_full', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics, 'baton_c1_tasks_total', { type: 'event_feed', outcome: 'error' })).toBeGreaterThanOrEqual(1);
    const uploaded = fake.records.uploads.find((u) => u.taskId === id && u.ok)!.size;
    expect(metricValue(metrics, 'baton_c1_upload_bytes_total')).toBe(uploaded);
    expect(metricValue(metrics, 'baton_c1_token_refreshes_total')).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics, 'baton_c1_polls_total', { result: 'task' })).toBeGreaterThanOrEqual(2);
    expect(metrics).toContain('baton_c1_task_duration_seconds_bucket');
    expect(metrics).toContain('baton_tableau_requests_total');
    expect(await p.stop()).toBe(0);
  });
});
