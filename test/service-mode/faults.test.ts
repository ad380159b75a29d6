/**
 * Service mode when ConductorOne misbehaves, through the built CLI and the fake: unreachable at
 * start and mid-run, UNAVAILABLE polls (back off, keep going), the token endpoint failing for a
 * while (retried) or refusing (exit 1, one clear line), a token rejected mid-run (one refresh), and
 * uploads failing (retried, then FinishTask error). Budget: ~40 s after the build.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { buildDist } from '../cli/run-cli.js';
import { secretWithWrongKey, startFakeC1, type FakeC1 } from '../support/fake-c1/index.js';
import { exitWithin, spawnServiceMode, type ServiceProcess } from './harness.js';

const WAIT_MS = 40_000;

let sim: RunningSimulator;
const fakes: FakeC1[] = [];
const procs: ServiceProcess[] = [];

async function newFake(): Promise<FakeC1> {
  const fake = await startFakeC1({ nextPollMs: 50, nextHeartbeatMs: 1000 });
  fakes.push(fake);
  return fake;
}

function start(fake: FakeC1, client = fake.newClient()): ServiceProcess {
  const proc = spawnServiceMode({ fake, client, sim, provisioning: true });
  procs.push(proc);
  return proc;
}

/** A hello task answered: the loop is alive and talking to ConductorOne. */
async function loopAnswers(fake: FakeC1): Promise<void> {
  const id = fake.enqueue('hello', {});
  await fake.records.until(() => fake.records.hellos.some((h) => h.request.taskId === id), WAIT_MS, `hello task ${id}`);
}

beforeAll(async () => {
  await buildDist();
  sim = await startSimulator({ port: 0, host: '127.0.0.1', users: 30, groups: 3, memberships: 40 });
}, 240_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  await Promise.all(fakes.map((f) => f.close()));
  await sim?.close();
});

describe('ConductorOne unreachable or unavailable', () => {
  it('at start: Hello is retried with backoff until ConductorOne is back', async () => {
    const fake = await newFake();
    await fake.goDown();
    const proc = start(fake);
    await new Promise((r) => setTimeout(r, 2500));
    expect(proc.child.exitCode).toBeNull();
    expect(fake.records.hellos).toHaveLength(0);
    await fake.comeBack();
    await fake.records.waitForHello(1, WAIT_MS);
    await loopAnswers(fake);
    expect(proc.stderr()).toMatch(/not reachable yet/);
    expect(await proc.stop()).toBe(0);
  });

  it('mid-run: UNAVAILABLE polls and a dropped listener are waited out; tasks then run', async () => {
    const fake = await newFake();
    const proc = start(fake);
    await fake.records.waitForHello(1, WAIT_MS);
    const polls = fake.records.count('GetTask');
    fake.faults.failCalls(2, { methods: ['GetTask'], code: grpc.status.UNAVAILABLE });
    await fake.records.until(() => fake.records.faulted >= 2, WAIT_MS, 'two refused polls');
    await loopAnswers(fake);
    await fake.goDown();
    await new Promise((r) => setTimeout(r, 1500));
    await fake.comeBack();
    await loopAnswers(fake);
    expect(fake.records.count('GetTask')).toBeGreaterThan(polls + 2);
    expect(proc.logs().filter((l) => l['msg'] === 'GetTask failed; polling again later').length).toBeGreaterThanOrEqual(2);
    expect(await proc.stop()).toBe(0);
  });

  it('the token endpoint answering 503 at start is retried, not taken for refused credentials', async () => {
    const fake = await newFake();
    fake.faults.failTokens(2, 503);
    const proc = start(fake);
    await fake.records.waitForHello(1, WAIT_MS);
    await loopAnswers(fake);
    expect(await proc.stop()).toBe(0);
  });
});

describe('refused credentials', () => {
  it('a secret whose key ConductorOne does not know: exit 1, one clear line, no secret', async () => {
    const fake = await newFake();
    const { clientId } = fake.newClient();
    const clientSecret = secretWithWrongKey();
    const proc = start(fake, { clientId, clientSecret } as ReturnType<FakeC1['newClient']>);
    expect(await exitWithin(proc, WAIT_MS)).toBe(1);
    expect(fake.tokens.refusals.map((r) => r.reason)).toContain('assertion signature does not verify');
    const lines = proc.stderr().split('\n').filter((l) => l.startsWith('baton-tableau:'));
    expect(lines).toEqual([expect.stringMatching(/^baton-tableau: ConductorOne refused the client credentials \(--client-id \/ --client-secret\): .*HTTP 401$/)]);
    expect(proc.stderr()).not.toContain(clientSecret.split(':')[3]!);
    expect(fake.records.hellos).toHaveLength(0);
  });

  for (const [name, setUp, reason] of [
    ['an assertion for another audience', (f: FakeC1) => f.setExpectedAudience('c1.example.com'), 'assertion aud is not c1.example.com'],
    ['an expired assertion (ConductorOne\'s clock 10 minutes ahead)', (f: FakeC1) => f.setClockOffsetSeconds(600), 'assertion expired'],
  ] as const) {
    it(`${name} is refused by the token endpoint: exit 1, one clear line`, async () => {
      const fake = await newFake();
      setUp(fake);
      const proc = start(fake);
      expect(await exitWithin(proc, WAIT_MS)).toBe(1);
      expect(fake.tokens.refusals.map((r) => r.reason)).toEqual([reason]);
      expect(proc.stderr()).toMatch(/^baton-tableau: ConductorOne refused the client credentials \(--client-id \/ --client-secret\): the ConductorOne token endpoint answered HTTP 401$/m);
      expect(fake.records.count('Hello')).toBe(0);
    });
  }

  it('UNAUTHENTICATED on the start-up Hello (even after a fresh token): exit 1', async () => {
    const fake = await newFake();
    fake.faults.failCalls(2, { methods: ['Hello'], code: grpc.status.UNAUTHENTICATED });
    const proc = start(fake);
    expect(await exitWithin(proc, WAIT_MS)).toBe(1);
    expect(proc.stderr()).toMatch(/baton-tableau: ConductorOne refused the client credentials .*Hello answered UNAUTHENTICATED/);
    // One refresh was tried: two tokens issued, two Hellos refused.
    expect(fake.tokens.issued).toBe(2);
    expect(fake.records.count('Hello')).toBe(2);
  });
});

describe('tokens mid-run', () => {
  it('a token ConductorOne stops accepting is replaced once, and the loop goes on', async () => {
    const fake = await newFake();
    const proc = start(fake);
    await fake.records.waitForHello(1, WAIT_MS);
    const issued = fake.tokens.issued;
    fake.revokeAllTokens();
    await loopAnswers(fake);
    expect(fake.tokens.issued).toBe(issued + 1);
    expect(fake.records.unauthenticated).toBeGreaterThanOrEqual(1);
    expect(await proc.stop()).toBe(0);
  });

  it('refused again after the refresh: backs off and keeps going (no exit)', async () => {
    const fake = await newFake();
    const proc = start(fake);
    await fake.records.waitForHello(1, WAIT_MS);
    fake.faults.failCalls(4, { methods: ['GetTask'], code: grpc.status.UNAUTHENTICATED });
    await fake.records.until(() => fake.records.faulted >= 4, WAIT_MS, 'four refused polls');
    await loopAnswers(fake);
    expect(proc.child.exitCode).toBeNull();
    expect(await proc.stop()).toBe(0);
  });

  it('short-lived tokens are refreshed before they expire', async () => {
    const fake = await startFakeC1({ nextPollMs: 200, tokenTtlSeconds: 11 });
    fakes.push(fake);
    const proc = start(fake);
    await fake.records.waitForHello(1, WAIT_MS);
    // 11 s tokens, refreshed 10 s early: a new one about every second, and no call is ever refused.
    await fake.records.until(() => fake.tokens.issued >= 3, WAIT_MS, 'three tokens');
    await loopAnswers(fake);
    expect(fake.records.unauthenticated).toBe(0);
    expect(await proc.stop()).toBe(0);
  });
});

describe('uploads failing', () => {
  it('two refused uploads are retried and the third is accepted; three refused → FinishTask error, nothing accepted', async () => {
    const fake = await newFake();
    const proc = start(fake);
    await fake.records.waitForHello(1, WAIT_MS);
    fake.faults.failUploads(2);
    const retried = fake.enqueue('syncFull', {});
    expect((await fake.records.waitForFinish(retried, WAIT_MS)).request.success).toBeDefined();
    expect(fake.records.uploads.filter((u) => u.taskId === retried).map((u) => u.ok)).toEqual([false, false, true]);

    fake.faults.failUploads(3);
    const failed = fake.enqueue('syncFull', {});
    const finish = await fake.records.waitForFinish(failed, WAIT_MS);
    expect(finish.request.error).toBeDefined();
    expect(finish.request.status?.code).toBe(grpc.status.UNAVAILABLE);
    expect(finish.request.status?.message).toMatch(/uploading the c1z failed/);
    expect(fake.records.uploads.filter((u) => u.taskId === failed).map((u) => u.ok)).toEqual([false, false, false]);
    expect(await proc.stop()).toBe(0);
  });
});
