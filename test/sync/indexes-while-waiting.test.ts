/**
 * A sync that waits on its connector builds the writer's indexes in that idle time rather than at
 * finish (see indexEarlyWhenIdle); the file must come out the same. Also: a resource of an early-grant
 * type returned twice has its grants listed once.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { C1zReader, C1zWriter } from '../../pkg/c1z/index.js';
import { INDEXES } from '../../pkg/c1z/schema.js';
import { runSync } from '../../pkg/sync/index.js';
import { decode } from '../../proto/index.js';
import type * as pb from '../../proto/types.js';
import { openIndependently } from '../c1z/independent-reader.js';
import { anno, FakeConnector, grant, listOf, resource } from './fake-connector.js';
import { newScenarioConnector } from './scenario.js';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sync-idle-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A debug logger whose messages land in `messages`. */
function capturingLogger(messages: string[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) messages.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

async function syncTo(file: string, api: FakeConnector, log: Logger): Promise<string[]> {
  const writer = await C1zWriter.create(file);
  await runSync({ api, writer, log, signal: AbortSignal.timeout(30_000), concurrency: 4 });
  await writer.finish();
  const reader = await C1zReader.open(file);
  try {
    return [
      ...[...reader.resources()].map((r) => `resource ${r.externalId}`),
      ...[...reader.entitlements()].map((e) => `entitlement ${e.externalId}`),
      ...[...reader.grants()].map((g) => `grant ${g.externalId}`),
    ].sort();
  } finally {
    reader.close();
  }
}

test('a sync waiting on its connector builds the indexes meanwhile; the file is complete and the same', async () => {
  const reference = await syncTo(path.join(dir, 'reference.c1z'), newScenarioConnector(), pino({ level: 'silent' }));
  const messages: string[] = [];
  const file = path.join(dir, 'waiting.c1z');
  // 3 ms a call: the thread idles through the resources phase.
  const records = await syncTo(file, newScenarioConnector(3), capturingLogger(messages));
  expect(messages).toContain('indexes built while waiting on the connector');
  expect(records).toEqual(reference);
  const db = await openIndependently(file);
  try {
    const names = db.query("select name from sqlite_master where type = 'index'").map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(INDEXES.map((spec) => spec.name)));
    expect(db.query('pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  } finally {
    db.close();
  }
});

test('a resource of an early-grant type returned twice is stored once and its grants are listed once', async () => {
  const first = resource('group', 'g1', { displayName: 'first', annotations: [anno('ChildResourceType', { resourceTypeId: 'group' })] });
  const again = resource('group', 'g1', { displayName: 'again' });
  const api = Object.assign(
    new FakeConnector({
      types: [{ id: 'group' }],
      resources: (_type, parent) => listOf(parent ? [again] : [first]),
      grants: (r) => listOf([grant(r, 'member', { resourceType: 'user', resource: 'u1' })]),
    }),
    { syncHints: { independentGrantTypes: ['group'] } },
  );
  const file = path.join(dir, 'twice.c1z');
  const writer = await C1zWriter.create(file);
  const result = await runSync({ api, writer, log: pino({ level: 'silent' }), signal: AbortSignal.timeout(30_000) });
  await writer.finish();
  expect(api.calls.filter((c) => c.startsWith('ListGrants'))).toEqual(['ListGrants group:g1']);
  expect(result.counts).toMatchObject({ resources: 1, grants: 1 });
  expect(result.perType['group']).toMatchObject({ resources: 1, grants: 1 });
  const reader = await C1zReader.open(file);
  try {
    expect([...reader.resources()].map((r) => decode<pb.Resource>('c1.connector.v2.Resource', r.data).displayName)).toEqual(['again']);
  } finally {
    reader.close();
  }
});
