/** The fake ConductorOne's injected faults: failing calls, an outage and recovery, refused uploads. */
import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeC1, type FakeC1 } from '../support/fake-c1/index.js';
import { PlainBatonClient, accessToken, postToken, tokenForm } from './plain-client.js';

let fake: FakeC1;
let client: PlainBatonClient;
beforeAll(async () => {
  fake = await startFakeC1();
  client = new PlainBatonClient(fake, await accessToken(fake));
});
afterAll(async () => {
  client?.close();
  await fake?.close();
});

const getTask = () => client.call('GetTask', { hostId: 'h' });

test('failCalls: the next N matching calls fail with the code, other methods and later calls pass', async () => {
  fake.faults.failCalls(2, { methods: ['GetTask'] });
  const before = fake.records.faulted;
  await expect(getTask()).rejects.toMatchObject({ code: status.UNAVAILABLE });
  await expect(client.call('StartDebugging', {})).resolves.toEqual({});
  await expect(getTask()).rejects.toMatchObject({ code: status.UNAVAILABLE });
  await expect(getTask()).resolves.toBeDefined();
  expect(fake.records.faulted).toBe(before + 2);
});

test('failCalls with another code (e.g. UNAUTHENTICATED on Hello)', async () => {
  fake.faults.failCalls(1, { methods: ['Hello'], code: status.UNAUTHENTICATED });
  await expect(client.call('Hello', {})).rejects.toMatchObject({ code: status.UNAUTHENTICATED, details: 'injected fault' });
});

test('failFor: every call fails for the duration, then calls pass', async () => {
  fake.faults.failFor(400);
  await expect(getTask()).rejects.toMatchObject({ code: status.UNAVAILABLE });
  await new Promise((r) => setTimeout(r, 450));
  await expect(getTask()).resolves.toBeDefined();
});

test('goDown refuses connections (calls fail UNAVAILABLE); comeBack serves again on the same port', async () => {
  await fake.goDown();
  await expect(getTask()).rejects.toMatchObject({ code: status.UNAVAILABLE });
  await expect(postToken(fake, tokenForm(fake.newClient()))).rejects.toThrow(/ECONNREFUSED/);
  await fake.comeBack();
  // grpc-js reconnects with backoff; give it a bounded number of tries.
  let lastError: unknown;
  for (let i = 0; i < 40; i++) {
    try {
      await getTask();
      lastError = undefined;
      break;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  expect(lastError).toBeUndefined();
  expect((await postToken(fake, tokenForm(fake.newClient()))).status).toBe(200);
}, 30_000);

test('failUploads: the next upload is read fully then refused UNAVAILABLE; the retry is accepted', async () => {
  const id = fake.enqueue('syncFull');
  const data = Buffer.from('a c1z');
  const stream = [
    { metadata: { hostId: 'h', taskId: id } },
    { data: { data } },
    { eof: { sha256Checksum: createHash('sha256').update(data).digest() } },
  ];
  fake.faults.failUploads(1);
  await expect(client.upload(stream)).rejects.toMatchObject({ code: status.UNAVAILABLE });
  await client.upload(stream);
  expect(fake.records.uploads.filter((u) => u.taskId === id).map((u) => u.ok)).toEqual([false, true]);
});

test('clear drops pending faults', async () => {
  fake.faults.failCalls(5);
  fake.faults.failUploads(3);
  fake.faults.failTokens(3);
  fake.faults.clear();
  await expect(getTask()).resolves.toBeDefined();
  expect((await postToken(fake, tokenForm(fake.newClient()))).status).toBe(200);
});
