/**
 * ConductorOne service mode end to end: the built CLI started with env only (ConductorOne's
 * Kubernetes recipe), the fake ConductorOne handing out tasks, the simulator as Tableau. Every task
 * type: hello, sync_full (the uploaded c1z decodes to the simulator's state), grant, revoke,
 * create_account, delete_resource (the simulator changes), unsupported types, a Tableau failure
 * (that task's FinishTask error, the loop goes on), and the `-p` gate. Budget: ~20 s after the build.
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import type { SimState } from '../../pkg/tableau-sim/types.js';
import { toStruct } from '../../proto/index.js';
import { decodeC1z } from '../acceptance/decode-c1z.js';
import { buildDist } from '../cli/run-cli.js';
import { expectSameModel, type State } from '../connector/expected.js';
import { group, scenario, SITE, user } from '../provision/harness.js';
import { startFakeC1, type FakeC1 } from '../support/fake-c1/index.js';
import { spawnServiceMode, taskLines, type ServiceProcess } from './harness.js';

const ALICE = user(1);
const BOB = user(2);
const CAROL = user(3);
const TEAM = group(1);
const WAIT_MS = 30_000;

let sim: RunningSimulator;
let fake: FakeC1;
let proc: ServiceProcess;

const groupEntitlement = (groupId: string) => ({
  id: `group:${groupId}:member`,
  resource: { id: { resourceType: 'group', resource: groupId }, parentResourceId: { resourceType: 'site', resource: SITE } },
  slug: 'member',
  displayName: 'member',
});
const userResource = (userId: string) => ({ id: { resourceType: 'user', resource: userId }, parentResourceId: { resourceType: 'site', resource: SITE } });
const state = async (): Promise<SimState> => (await sim.state()) as SimState;
const members = async (groupId: string): Promise<string[]> => (await state()).sites[0]!.memberships.filter((m) => m.groupId === groupId).map((m) => m.userId).sort();

beforeAll(async () => {
  await buildDist();
  const data = scenario(
    [
      { id: ALICE, name: 'alice', siteRole: 'Viewer' },
      { id: BOB, name: 'bob', siteRole: 'Explorer' },
      { id: CAROL, name: 'carol', siteRole: 'Viewer' },
    ],
    [{ id: TEAM, name: 'Team' }],
    [{ groupId: TEAM, userId: BOB }],
  );
  sim = await startSimulator({ port: 0, host: '127.0.0.1', data });
  fake = await startFakeC1({ nextPollMs: 50, nextHeartbeatMs: 1000 });
  proc = spawnServiceMode({ fake, client: fake.newClient(), sim, provisioning: true });
  await fake.records.waitForHello(1, WAIT_MS);
}, 240_000);

afterAll(async () => {
  await proc?.stop('SIGTERM');
  await fake?.close();
  await sim?.close();
});

describe('service mode started with env only', () => {
  it('says Hello first: host id, build and OS info, and the connector metadata with capabilities and the account schema', async () => {
    const hello = fake.records.hellos[0]!.request;
    expect(hello.hostId).toBe('test-host');
    expect(hello.taskId ?? '').toBe('');
    expect(hello.buildInfo).toMatchObject({ package: 'baton-tableau', langVersion: process.version });
    expect(hello.buildInfo?.packageVersion).toMatch(/^\d+\.\d+\.\d+/);
    for (const field of ['hostname', 'os', 'platform', 'platformVersion', 'platformFamily', 'kernelVersion', 'kernelArch', 'virtualizationSystem'] as const) {
      expect(hello.osInfo?.[field], field).toMatch(/\S/);
    }
    const types = (hello.connectorMetadata?.capabilities?.resourceTypeCapabilities ?? []).map((c) => c.resourceType?.id);
    expect(types).toEqual(expect.arrayContaining(['site', 'user', 'group', 'license']));
    expect(hello.connectorMetadata?.accountCreationSchema?.fieldMap).toBeDefined();
    // Then it polls.
    await fake.records.waitForCalls('GetTask', 1, WAIT_MS);
  });

  it('sync_full: heartbeats, uploads a c1z in ≤ 512 KiB chunks that decodes to the simulator state, then FinishTask success', async () => {
    const id = fake.enqueue('syncFull', {});
    const finish = await fake.records.waitForFinish(id, WAIT_MS);
    expect(finish.request.success).toBeDefined();
    expect(finish.request.success?.response).toBeUndefined();
    const upload = fake.records.uploads.find((u) => u.taskId === id && u.ok)!;
    expect(upload).toBeDefined();
    expect(upload.chunkSizes.every((n) => n > 0 && n <= 512 * 1024)).toBe(true);
    expect(upload.at).toBeLessThanOrEqual(finish.at);
    const beats = fake.records.heartbeats.filter((h) => h.taskId === id);
    expect(beats.length).toBeGreaterThanOrEqual(1);
    expect(beats[0]!.at).toBeLessThanOrEqual(upload.at);
    expect(readFileSync(upload.path!).subarray(0, 5).toString('latin1')).toBe('C1ZF\0');
    const decoded = await decodeC1z(upload.path!);
    expect(decoded.syncRuns).toBe(1);
    expectSameModel(decoded.walk, (await state()) as unknown as State);
    // The task's log line is written once FinishTask has been answered, so it may trail the fake's record.
    await fake.records.until(() => taskLines(proc).some((l) => l['taskId'] === id), WAIT_MS, 'the sync_full log line');
    const line = taskLines(proc).find((l) => l['taskId'] === id);
    expect(line).toMatchObject({ taskType: 'sync_full', outcome: 'success' });
    expect(typeof line?.['durationMs']).toBe('number');
  });

  it('grant and revoke change the group in Tableau and report the connector response', async () => {
    const granted = fake.enqueue('grant', { entitlement: groupEntitlement(TEAM), principal: userResource(ALICE) });
    const grantFinish = await fake.records.waitForFinish(granted, WAIT_MS);
    expect(grantFinish.request.success?.response?.typeUrl).toBe('type.googleapis.com/c1.connector.v2.GrantManagerServiceGrantResponse');
    expect(await members(TEAM)).toEqual([ALICE, BOB].sort());

    const grant = { id: `group:${TEAM}:member:user:${BOB}`, entitlement: groupEntitlement(TEAM), principal: userResource(BOB) };
    const revoked = fake.enqueue('revoke', { grant });
    const revokeFinish = await fake.records.waitForFinish(revoked, WAIT_MS);
    expect(revokeFinish.request.success?.response?.typeUrl).toBe('type.googleapis.com/c1.connector.v2.GrantManagerServiceRevokeResponse');
    expect(await members(TEAM)).toEqual([ALICE]);
  });

  it('create_account adds the user to Tableau; delete_resource removes one', async () => {
    const created = fake.enqueue('createAccount', {
      accountInfo: { login: 'nina', profile: toStruct({ email: 'nina@example.com' }) },
      credentialOptions: { noPassword: {} },
      resourceTypeId: 'user',
    });
    const createFinish = await fake.records.waitForFinish(created, WAIT_MS);
    expect(createFinish.request.status?.message ?? '').toBe('');
    expect(createFinish.request.success?.response?.typeUrl).toBe('type.googleapis.com/c1.connector.v2.CreateAccountResponse');
    expect((await state()).sites[0]!.users.map((u) => u.name)).toContain('nina');

    const deleted = fake.enqueue('deleteResource', { resourceId: { resourceType: 'user', resource: CAROL }, parentResourceId: { resourceType: 'site', resource: SITE } });
    const deleteFinish = await fake.records.waitForFinish(deleted, WAIT_MS);
    expect(deleteFinish.request.success?.response?.typeUrl).toBe('type.googleapis.com/c1.connector.v2.DeleteResourceResponse');
    expect((await state()).sites[0]!.users.map((u) => u.id)).not.toContain(CAROL);
  });

  it('a hello task is answered with a Hello carrying its id, and no FinishTask', async () => {
    const id = fake.enqueue('hello', {});
    await fake.records.until(() => fake.records.hellos.some((h) => h.request.taskId === id), WAIT_MS, 'the hello task');
    await fake.records.until(() => taskLines(proc).some((l) => l['taskId'] === id), WAIT_MS, 'the hello log line');
    expect(fake.records.finishes.filter((f) => f.taskId === id)).toEqual([]);
    expect(taskLines(proc).find((l) => l['taskId'] === id)).toMatchObject({ taskType: 'hello', outcome: 'hello' });
  });

  it('other task types get FinishTask error UNKNOWN "unsupported task type" (non-retryable), and the loop goes on', async () => {
    const ids = [fake.enqueue('eventFeed', {}), fake.enqueue('createSyncDiff', {}), fake.enqueue('rotateCredentials', {})];
    for (const id of ids) {
      const finish = await fake.records.waitForFinish(id, WAIT_MS);
      expect(finish.request.status).toMatchObject({ code: grpc.status.UNKNOWN, message: 'unsupported task type' });
      expect(finish.request.error?.nonRetryable).toBe(true);
    }
  });

  it('Tableau failing a task is that task\'s FinishTask error (non-retryable); the next task still runs', async () => {
    const missing = user(999);
    const failing = fake.enqueue('grant', { entitlement: groupEntitlement(TEAM), principal: userResource(missing) });
    const finish = await fake.records.waitForFinish(failing, WAIT_MS);
    expect(finish.request.success).toBeUndefined();
    expect(finish.request.error?.nonRetryable).toBe(true);
    expect(finish.request.status?.code).not.toBe(grpc.status.OK);
    const after = fake.enqueue('grant', { entitlement: groupEntitlement(TEAM), principal: userResource(BOB) });
    expect((await fake.records.waitForFinish(after, WAIT_MS)).request.success).toBeDefined();
    expect(await members(TEAM)).toEqual([ALICE, BOB].sort());
  });

  it('sends exactly one FinishTask per finished task, and logs one line per task without secrets', () => {
    const perTask = new Map<string, number>();
    for (const f of fake.records.finishes) perTask.set(f.taskId, (perTask.get(f.taskId) ?? 0) + 1);
    expect([...perTask.values()].every((n) => n === 1)).toBe(true);
    const lines = taskLines(proc);
    expect(new Set(lines.map((l) => l['taskId'])).size).toBe(lines.length);
    const output = proc.stderr();
    expect(output).not.toContain(sim.info.pat.secret);
    expect(output).not.toMatch(/secret-token:/);
    expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
  });
});

describe('without -p', () => {
  it('provisioning tasks get FAILED_PRECONDITION "provisioning is not enabled" and Tableau is unchanged', async () => {
    const gated = spawnServiceMode({ fake, client: fake.newClient(), sim, env: { BATON_HOST_ID: 'gated-host' } });
    try {
      await fake.records.until(() => fake.records.hellos.some((h) => h.request.hostId === 'gated-host'), WAIT_MS, 'the second Hello');
      // The first connector is still polling too: stop it taking this task.
      await proc.stop('SIGTERM');
      const before = await members(TEAM);
      const id = fake.enqueue('grant', { entitlement: groupEntitlement(TEAM), principal: userResource(CAROL) });
      const finish = await fake.records.waitForFinish(id, WAIT_MS);
      expect(finish.request.status).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, message: 'provisioning is not enabled' });
      expect(finish.request.error?.nonRetryable).toBe(true);
      expect(await members(TEAM)).toEqual(before);
    } finally {
      expect(await gated.stop('SIGTERM')).toBe(0);
    }
  });
});
