/** The fake ConductorOne's BatonService, driven by a plain grpc-js client: auth, rules, the task queue, records. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeC1, type FakeC1 } from '../support/fake-c1/index.js';
import { PlainBatonClient, accessToken, validHello } from './plain-client.js';

let fake: FakeC1;
let client: PlainBatonClient;
beforeAll(async () => {
  fake = await startFakeC1({ nextPollMs: 250, nextHeartbeatMs: 2_000 });
  client = new PlainBatonClient(fake, await accessToken(fake));
});
afterAll(async () => {
  client?.close();
  await fake?.close();
});

const sha256 = (b: Buffer): Buffer => createHash('sha256').update(b).digest();

describe('authentication', () => {
  test('no token, or a made-up one → UNAUTHENTICATED, counted', async () => {
    const anonymous = new PlainBatonClient(fake);
    const forger = new PlainBatonClient(fake, 'fake-c1-made-up');
    try {
      const before = fake.records.unauthenticated;
      await expect(anonymous.call('GetTask', { hostId: 'h' })).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
      await expect(forger.call('GetTask', { hostId: 'h' })).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
      expect(fake.records.unauthenticated).toBe(before + 2);
    } finally {
      anonymous.close();
      forger.close();
    }
  });

  test('revokeAllTokens refuses a token that worked until then', async () => {
    const own = new PlainBatonClient(fake, await accessToken(fake));
    try {
      await own.call('GetTask', { hostId: 'h' });
      fake.revokeAllTokens();
      await expect(own.call('GetTask', { hostId: 'h' })).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    } finally {
      own.close();
      client.setToken(await accessToken(fake));
    }
  });
});

describe('Hello', () => {
  test('is recorded with what the connector sent', async () => {
    const n = fake.records.hellos.length;
    await client.call('Hello', validHello({ hostId: 'pod-1' }));
    const hello = await fake.records.waitForHello(n + 1, 5_000);
    expect(hello.request.hostId).toBe('pod-1');
    expect(hello.request.connectorMetadata?.displayName).toBe('Tableau');
    expect([...fake.records.userAgents].join(' ')).toMatch(/grpc-node-js/);
  });

  test.each([
    ['no build_info', { buildInfo: undefined }, 'build_info is required'],
    ['an empty package version', { buildInfo: { langVersion: 'node', package: 'p' } }, 'build_info lacks packageVersion'],
    ['no os_info', { osInfo: undefined }, 'os_info is required'],
    ['no connector_metadata', { connectorMetadata: undefined }, 'connector_metadata is required'],
    ['an empty host id', { hostId: '' }, 'host_id must be 1..256 characters (got 0)'],
    ['a 257-character host id', { hostId: 'h'.repeat(257) }, 'host_id must be 1..256 characters (got 257)'],
    ['a malformed task id', { taskId: 'short' }, 'task_id must be 27 letters or digits'],
  ])('with %s → INVALID_ARGUMENT, not recorded', async (_name, change, details) => {
    const n = fake.records.hellos.length;
    await expect(client.call('Hello', { ...validHello(), ...change })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details });
    expect(fake.records.hellos.length).toBe(n);
  });
});

describe('tasks', () => {
  test('GetTask hands tasks out in order with next_poll / next_heartbeat, then none', async () => {
    const sync = fake.enqueue('syncFull', { skipGrants: true });
    const grant = fake.enqueue('grant', { principal: { id: { resourceType: 'user', resource: 'u1' } } });
    expect(sync).toMatch(/^[a-zA-Z0-9]{27}$/);
    const first = await client.call<{ task?: { id: string; syncFull?: object }; nextPoll?: object }>('GetTask', { hostId: 'h' });
    expect(first.task).toMatchObject({ id: sync, status: 3, syncFull: { skipGrants: true } });
    expect(first.nextPoll).toEqual({ nanos: 250_000_000 });
    const second = await client.call<{ task?: { id: string } }>('GetTask', { hostId: 'h' });
    expect(second).toMatchObject({ task: { id: grant, grant: { principal: { id: { resource: 'u1' } } } }, nextHeartbeat: { seconds: 2 } });
    const empty = await client.call<{ task?: object }>('GetTask', { hostId: 'h' });
    expect(empty.task).toBeUndefined();
    expect(fake.queue.byId.get(sync)?.state).toBe('running');
    expect(fake.queue.maxRunning).toBeGreaterThanOrEqual(2);
  });

  test('FinishTask is recorded once per call and finishes the task; it needs exactly one final state', async () => {
    const id = fake.enqueue('revoke', {});
    await client.call('GetTask', { hostId: 'h' });
    await expect(client.call('FinishTask', { hostId: 'h', taskId: id })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await client.call('FinishTask', { hostId: 'h', taskId: id, error: { nonRetryable: true }, status: { code: 2, message: 'boom' } });
    const finish = await fake.records.waitForFinish(id, 5_000);
    expect(finish.request.error?.nonRetryable).toBe(true);
    expect(finish.request.status?.message).toBe('boom');
    expect(fake.queue.byId.get(id)?.state).toBe('finished');
    await expect(client.call('FinishTask', { hostId: 'h', taskId: 'A'.repeat(27), success: {} })).rejects.toMatchObject({ code: status.NOT_FOUND });
  });

  test('a hello task is finished by a Hello carrying its id', async () => {
    const id = fake.enqueue('hello');
    await client.call('GetTask', { hostId: 'h' });
    await client.call('Hello', validHello({ taskId: id }));
    expect(fake.queue.byId.get(id)?.state).toBe('finished');
  });

  test('cancel: the next Heartbeat of the running task answers cancelled', async () => {
    const id = fake.enqueue('syncFull');
    await client.call('GetTask', { hostId: 'h' });
    expect(await client.call('Heartbeat', { hostId: 'h', taskId: id })).toMatchObject({ nextHeartbeat: { seconds: 2 } });
    fake.cancel(id);
    expect(await client.call('Heartbeat', { hostId: 'h', taskId: id })).toMatchObject({ cancelled: true, cancelledTaskIds: [id] });
    const beats = await fake.records.waitForHeartbeats(id, 2, 5_000);
    expect(beats.map((b) => b.answeredCancelled)).toEqual([false, true]);
  });

  test('task types the connector does not run are handed out as they are (for "unsupported task type")', async () => {
    const feed = fake.enqueue('eventFeed', { startAt: { seconds: 1_700_000_000 } });
    const diff = fake.enqueue('createSyncDiff', { baseSyncId: 'a', newSyncId: 'b' });
    const first = await client.call<{ task?: Record<string, unknown> }>('GetTask', { hostId: 'h' });
    expect(first.task).toEqual({ id: feed, status: 3, eventFeed: { startAt: { seconds: 1_700_000_000 } } });
    const second = await client.call<{ task?: Record<string, unknown> }>('GetTask', { hostId: 'h' });
    expect(second.task).toEqual({ id: diff, status: 3, createSyncDiff: { baseSyncId: 'a', newSyncId: 'b' } });
  });

  test('GetTasks (the batch path) hands out up to page_size tasks and checks it', async () => {
    const ids = [fake.enqueue('none'), fake.enqueue('hello'), fake.enqueue('none')];
    const page = await client.call<{ tasks?: { id: string }[] }>('GetTasks', { hostId: 'h', pageSize: 2 });
    expect(page.tasks?.map((t) => t.id)).toEqual(ids.slice(0, 2));
    expect((await client.call<{ tasks?: { id: string }[] }>('GetTasks', { hostId: 'h', pageSize: 100 })).tasks?.map((t) => t.id)).toEqual([ids[2]]);
    await expect(client.call('GetTasks', { hostId: 'h', pageSize: 0 })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  test('a cancelled queued task is never handed out', async () => {
    const id = fake.enqueue('syncFull');
    fake.cancel(id);
    expect((await client.call<{ task?: object }>('GetTask', { hostId: 'h' })).task).toBeUndefined();
  });

  test('waits are bounded and say what they waited for', async () => {
    await expect(fake.records.waitForFinish('Z'.repeat(27), 100)).rejects.toThrow(/timed out after 100 ms waiting for FinishTask of Z{27} \(hellos=/);
  });
});

describe('UploadAsset', () => {
  const begin = (taskId: string) => ({ metadata: { hostId: 'h', taskId } });

  test('reassembles the chunks to a file and records sizes and sha256', async () => {
    const id = fake.enqueue('syncFull');
    const data = Buffer.alloc(1024 * 1024 + 10, 7);
    const chunks = [data.subarray(0, 1024 * 1024), data.subarray(1024 * 1024)];
    await client.upload([begin(id), ...chunks.map((c) => ({ data: { data: c } })), { eof: { sha256Checksum: sha256(data) } }]);
    const upload = await fake.records.waitForUpload(id, 5_000);
    expect(upload).toMatchObject({ ok: true, size: data.length, chunkSizes: [1024 * 1024, 10], sha256: sha256(data).toString('hex') });
    expect(readFileSync(upload.path!).equals(data)).toBe(true);
  });

  test.each([
    ['a checksum that does not match', (d: Buffer) => [{ data: { data: d } }, { eof: { sha256Checksum: sha256(Buffer.from('other')) } }], 'sha256_checksum does not match the data'],
    ['a chunk over 1 MiB', () => [{ data: { data: Buffer.alloc(1024 * 1024 + 1) } }], 'data chunk of 1048577 bytes (must be 1..1048576)'],
    ['an empty chunk', () => [{ data: { data: Buffer.alloc(0) } }], 'data chunk of 0 bytes (must be 1..1048576)'],
    ['a 31-byte checksum', (d: Buffer) => [{ data: { data: d } }, { eof: { sha256Checksum: sha256(d).subarray(1) } }], 'sha256_checksum of 31 bytes (must be 32)'],
    ['no eof', (d: Buffer) => [{ data: { data: d } }], 'stream ended without metadata and eof'],
  ])('%s → INVALID_ARGUMENT, recorded as refused', async (_name, body, details) => {
    const id = fake.enqueue('syncFull');
    const data = Buffer.from('c1z bytes');
    await expect(client.upload([begin(id), ...body(data)])).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details });
    expect(fake.records.uploads.filter((u) => u.taskId === id)).toEqual([expect.objectContaining({ ok: false, error: details })]);
  });

  test('data before metadata → INVALID_ARGUMENT; an unknown task → NOT_FOUND', async () => {
    await expect(client.upload([{ data: { data: Buffer.from('x') } }])).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(client.upload([begin('B'.repeat(27))])).rejects.toMatchObject({ code: status.NOT_FOUND });
  });

  test('an empty file is metadata then eof', async () => {
    const id = fake.enqueue('syncFull');
    await client.upload([begin(id), { eof: { sha256Checksum: sha256(Buffer.alloc(0)) } }]);
    expect((await fake.records.waitForUpload(id, 5_000)).size).toBe(0);
  });
});
