import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { C1zReader, C1zWriter, ksuidTime } from '../../pkg/c1z/index.js';
import Database from 'better-sqlite3';
import { decompress } from 'fzstd';
import { C1Z_MAGIC, INDEXES } from '../../pkg/c1z/schema.js';
import { GRANTS_PER_STATEMENT } from '../../pkg/c1z/writer-sql.js';
import { compressFileTo, compressionWorkersFor, decompressFileTo } from '../../pkg/c1z/zstd-file.js';
import { openIndependently, type IndependentC1z } from './independent-reader.js';
import { SDK_COLUMNS, SDK_INDEXES } from './sdk-schema.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{9}$/;

/** Frame_Content_Size from a zstd frame header (RFC 8878 §3.1.1.1), or undefined when absent. */
function zstdFrameContentSize(frame: Buffer): number | undefined {
  expect(frame.readUInt32LE(0)).toBe(0xfd2fb528);
  const descriptor = frame[4]!;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictIdBytes = [0, 1, 2, 4][descriptor & 3]!;
  const at = 5 + (singleSegment ? 0 : 1) + dictIdBytes;
  const size = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag]!;
  if (size === 0) return undefined;
  if (size === 1) return frame[at]!;
  if (size === 2) return frame.readUInt16LE(at) + 256;
  if (size === 4) return frame.readUInt32LE(at);
  return Number(frame.readBigUInt64LE(at));
}

/** Bytes from the start of `frame` to the end of its zstd frame (header, blocks, optional checksum). */
function zstdFrameLength(frame: Buffer): number {
  const descriptor = frame[4]!;
  const singleSegment = (descriptor >> 5) & 1;
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6]!;
  let at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]! + fcsBytes;
  for (;;) {
    const header = frame.readUIntLE(at, 3);
    const type = (header >> 1) & 3;
    at += 3 + (type === 1 ? 1 : header >>> 3);
    if (header & 1) break;
  }
  return at + ((descriptor >> 2) & 1 ? 4 : 0);
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'c1z-writer-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function writeSample(target: string, opts: { tempDir?: string } = {}): Promise<C1zWriter> {
  const w = await C1zWriter.create(target, opts);
  w.addResourceType({ id: 'site', data: bytes('rt-site') });
  w.addResourceType({ id: 'user', data: bytes('rt-user') });
  w.addResource({ resourceTypeId: 'site', resourceId: 's1', data: bytes('r-s1') });
  w.addResource({ resourceTypeId: 'user', resourceId: 'u1', parentTypeId: 'site', parentId: 's1', data: bytes('r-u1') });
  w.addEntitlement({ id: 'site:s1:viewer', resourceTypeId: 'site', resourceId: 's1', data: bytes('e-viewer') });
  w.addGrant({
    id: 'site:s1:viewer:user:u1',
    entitlementId: 'site:s1:viewer',
    resourceTypeId: 'site',
    resourceId: 's1',
    principalTypeId: 'user',
    principalId: 'u1',
    data: bytes('g-1'),
  });
  return w;
}

describe('C1zWriter output read through fzstd + sql.js', () => {
  let file: IndependentC1z;
  let syncId: string;

  beforeEach(async () => {
    const target = path.join(dir, 'sync.c1z');
    const w = await writeSample(target);
    syncId = w.syncId;
    expect(w.counts()).toEqual({ resourceTypes: 2, resources: 2, entitlements: 1, grants: 1 });
    const result = await w.finish();
    expect(result.path).toBe(target);
    expect(result.bytes).toBe((await fs.stat(target)).size);
    file = await openIndependently(target);
  });
  afterEach(() => file.close());

  test('starts with the C1ZF\\0 magic and holds a self-contained rollback-journal SQLite file', () => {
    expect(file.magic.toString('latin1')).toBe('C1ZF\0');
    expect(Buffer.from(file.sqlite.subarray(0, 16)).toString('latin1')).toBe('SQLite format 3\0');
    // Header bytes 18/19 are the file format versions: 1 = rollback journal, 2 = WAL.
    expect([file.sqlite[18], file.sqlite[19]]).toEqual([1, 1]);
  });

  test('declares the frame content size in the zstd header, like the Go writer', async () => {
    const compressed = await fs.readFile(path.join(dir, 'sync.c1z'));
    expect(zstdFrameContentSize(compressed.subarray(5))).toBe(file.sqlite.length);
  });

  test('has exactly the SDK tables with the SDK columns in order', () => {
    const tables = file.query(`select name from sqlite_master where type = 'table' order by name`).map((r) => r.name);
    expect(tables).toEqual(Object.keys(SDK_COLUMNS).sort());
    for (const [table, columns] of Object.entries(SDK_COLUMNS)) {
      expect(file.query(`pragma table_info(${table})`).map((r) => r.name), table).toEqual(columns);
    }
  });

  test('has exactly the SDK indexes, by name, table, columns and uniqueness', () => {
    const rows = file.query(`select name, tbl_name, sql from sqlite_master where type = 'index' order by name`);
    expect(rows.map((r) => r.name)).toEqual(Object.keys(SDK_INDEXES).sort());
    for (const row of rows) {
      const [table, columns, unique, partial] = SDK_INDEXES[row.name as string]!;
      expect(row.tbl_name).toBe(table);
      const cols = file.query(`pragma index_info(${row.name as string})`).map((c) => c.name ?? 'id');
      expect(cols, row.name as string).toEqual(columns);
      expect(/create unique index/i.test(row.sql as string)).toBe(unique);
      expect(/ where /i.test(row.sql as string)).toBe(partial);
    }
  });

  test('has one finished full sync run with a KSUID id', () => {
    const runs = file.query('select * from v1_sync_runs');
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.sync_id).toBe(syncId);
    expect(syncId).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(Math.abs(ksuidTime(syncId).getTime() - Date.now())).toBeLessThan(60_000);
    expect(run.sync_type).toBe('full');
    expect(run.started_at).toMatch(TIMESTAMP);
    expect(run.ended_at).toMatch(TIMESTAMP);
    expect((run.ended_at as string) >= (run.started_at as string)).toBe(true);
    expect(run).toMatchObject({ sync_token: '', parent_sync_id: '', linked_sync_id: '', grants_backfilled: 0, supports_diff: 0 });
  });

  test('stores every row with the SDK column values', () => {
    const text = (v: unknown): string => Buffer.from(v as Uint8Array).toString();
    const types = file.query('select external_id, data, sync_id, discovered_at from v1_resource_types order by id');
    expect(types.map((r) => [r.external_id, text(r.data), r.sync_id])).toEqual([
      ['site', 'rt-site', syncId],
      ['user', 'rt-user', syncId],
    ]);
    expect(types.every((r) => TIMESTAMP.test(r.discovered_at as string))).toBe(true);
    const resources = file.query(
      'select resource_type_id, external_id, resource_id, parent_resource_type_id, parent_resource_id, data, sync_id from v1_resources order by id',
    );
    expect(resources.map((r) => ({ ...r, data: text(r.data) }))).toEqual([
      { resource_type_id: 'site', external_id: 'site:s1', resource_id: 's1', parent_resource_type_id: null, parent_resource_id: null, data: 'r-s1', sync_id: syncId },
      { resource_type_id: 'user', external_id: 'user:u1', resource_id: 'u1', parent_resource_type_id: 'site', parent_resource_id: 's1', data: 'r-u1', sync_id: syncId },
    ]);
    const ents = file.query('select resource_type_id, resource_id, external_id, data, sync_id from v1_entitlements');
    expect(ents.map((r) => ({ ...r, data: text(r.data) }))).toEqual([
      { resource_type_id: 'site', resource_id: 's1', external_id: 'site:s1:viewer', data: 'e-viewer', sync_id: syncId },
    ]);
    const grants = file.query('select * from v1_grants');
    expect(grants.map((r) => ({ ...r, id: undefined, discovered_at: undefined, data: text(r.data) }))).toEqual([
      {
        id: undefined,
        resource_type_id: 'site',
        resource_id: 's1',
        entitlement_id: 'site:s1:viewer',
        principal_resource_type_id: 'user',
        principal_resource_id: 'u1',
        external_id: 'site:s1:viewer:user:u1',
        expansion: null,
        needs_expansion: 0,
        data: 'g-1',
        sync_id: syncId,
        discovered_at: undefined,
      },
    ]);
  });
});

describe('C1zWriter behaviour', () => {
  test('grants inserted in batches keep their order and bytes, though the caller reuses its buffer', async () => {
    const target = path.join(dir, 'batches.c1z');
    const w = await C1zWriter.create(target);
    // Past one 50,000-row transaction; sizes from a few bytes to more than a batch's data buffer (32 KB).
    const sizeOf = (i: number): number => (i % 1000 === 7 ? 40_000 : i % 100 === 3 ? 9_000 : 1 + (i % 300));
    const scratch = Buffer.alloc(40_000);
    const total = 50_013;
    for (let i = 0; i < total; i++) {
      const data = scratch.subarray(0, sizeOf(i)).fill(i % 251);
      w.addGrant({
        id: `grant-${i}`, entitlementId: 'group:g:member', resourceTypeId: 'group', resourceId: 'g',
        principalTypeId: 'user', principalId: `u${i}`, data,
      });
    }
    expect((await w.finish()).counts.grants).toBe(total);
    const file = await openIndependently(target);
    const rows = file.query('select external_id, principal_resource_id, data from v1_grants order by id');
    file.close();
    expect(rows).toHaveLength(total);
    rows.forEach((row, i) => {
      const data = Buffer.from(row.data as Uint8Array);
      if (row.external_id !== `grant-${i}` || row.principal_resource_id !== `u${i}` || !data.equals(Buffer.alloc(sizeOf(i), i % 251))) {
        throw new Error(`grant ${i} came back as ${String(row.external_id)} with ${data.length} bytes`);
      }
    });
  });

  test('a repeated id keeps the last record (the SDK upserts)', async () => {
    const target = path.join(dir, 'dup.c1z');
    const w = await C1zWriter.create(target);
    const grant = { entitlementId: 'e', resourceTypeId: 'group', resourceId: 'g', principalTypeId: 'user', principalId: 'u' };
    w.addGrant({ ...grant, id: 'dup', data: bytes('first') });
    w.addGrant({ ...grant, id: 'other', data: bytes('other') });
    w.addGrant({ ...grant, id: 'dup', data: bytes('second') });
    expect(w.counts().grants).toBe(3);
    const { counts } = await w.finish();
    expect(counts.grants).toBe(2);
    const file = await openIndependently(target);
    const rows = file.query('select external_id, data from v1_grants order by external_id');
    file.close();
    expect(rows.map((r) => [r.external_id, Buffer.from(r.data as Uint8Array).toString()])).toEqual([
      ['dup', 'second'],
      ['other', 'other'],
    ]);
  });

  test('buildIndexesEarly: the indexes exist before finish and cover rows added after them', async () => {
    const target = path.join(dir, 'early-indexes.c1z');
    const w = await writeSample(target);
    const db = (w as unknown as { db: Database.Database }).db;
    expect(await w.buildIndexesEarly()).toBe(true);
    expect(await w.buildIndexesEarly()).toBe(false);
    // One full batch of late grants, so that they are inserted before finish (grants are batched).
    for (let i = 0; i < GRANTS_PER_STATEMENT; i++) {
      w.addGrant({
        id: `site:s1:viewer:user:late${i}`, entitlementId: 'site:s1:viewer', resourceTypeId: 'site', resourceId: 's1',
        principalTypeId: 'user', principalId: `late${i}`, data: bytes('g-late'),
      });
    }
    const names = db.prepare("select name from sqlite_master where type = 'index'").all().map((r) => (r as { name: string }).name);
    expect(names).toEqual(expect.arrayContaining(['idx_grants_principal_id_v1', 'idx_resources_resource_type_id_v1']));
    // Unique ones wait for finish, where a repeated id is collapsed instead of failing an insert.
    expect(names).not.toContain('idx_grants_external_sync_v1');
    const lateSql =
      "select count(*) as n from v1_grants indexed by idx_grants_principal_id_v1 where principal_resource_type_id = 'user' and principal_resource_id like 'late%'";
    expect(db.prepare(lateSql).get()).toEqual({ n: GRANTS_PER_STATEMENT });
    expect((await w.finish()).counts.grants).toBe(1 + GRANTS_PER_STATEMENT);
    const file = await openIndependently(target);
    // integrity_check also compares every index with its table.
    expect(file.query('pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const late = file.query(lateSql);
    file.close();
    expect(late).toEqual([{ n: GRANTS_PER_STATEMENT }]);
  });

  test('finish during an early index build lets it stop and builds the rest itself', async () => {
    const target = path.join(dir, 'early-then-finish.c1z');
    const w = await writeSample(target);
    const early = w.buildIndexesEarly();
    await w.finish();
    // It stopped at the first turn after finish began (one index at most was built early).
    expect(await early).toBe(false);
    const file = await openIndependently(target);
    const names = file.query("select name from sqlite_master where type = 'index'").map((r) => r.name);
    expect(file.query('pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    file.close();
    expect(names).toEqual(expect.arrayContaining(INDEXES.map((spec) => spec.name)));
  });

  test('keeps no rollback journal while records are added (the finished file is checked above)', async () => {
    const w = await writeSample(path.join(dir, 'journal.c1z'));
    // The build connection is private; its journal mode is what holds the memory down (see openBuildDatabase).
    const db = (w as unknown as { db: Database.Database }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('off');
    await w.abort();
  });

  test('a repeated resource type replaces the first one in place', async () => {
    const target = path.join(dir, 'dup-types.c1z');
    const w = await C1zWriter.create(target);
    expect(w.addResourceType({ id: 'user', data: bytes('v1') })).toBe(true);
    expect(w.addResourceType({ id: 'user', data: bytes('v2') })).toBe(false);
    expect((await w.finish()).counts.resourceTypes).toBe(1);
    const file = await openIndependently(target);
    const types = file.query('select external_id, data from v1_resource_types');
    file.close();
    expect(types.map((r) => Buffer.from(r.data as Uint8Array).toString())).toEqual(['v2']);
  });

  test('a repeated resource replaces the earlier copy: when indexResources runs, and at once after it', async () => {
    const target = path.join(dir, 'dup-resources.c1z');
    const w = await C1zWriter.create(target);
    const first = w.addResource({ resourceTypeId: 'user', resourceId: 'u1', data: bytes('first') });
    const other = w.addResource({ resourceTypeId: 'user', resourceId: 'u2', data: bytes('other') });
    const second = w.addResource({ resourceTypeId: 'user', resourceId: 'u1', parentTypeId: 'site', parentId: 's', data: bytes('second') });
    expect(Buffer.from(w.resourceAt(second) ?? []).toString()).toBe('second');
    // Counted as stored until the repeats are collapsed.
    expect(w.counts().resources).toBe(3);
    w.indexResources();
    expect(w.counts().resources).toBe(2);
    expect(w.countResourcesOfType('user')).toBe(2);
    expect(w.resourceAt(first)).toBeUndefined();
    const listed = (): string[] => [...w.resourcesOfType('user')].map((r) => `${r.resourceId}=${Buffer.from(r.data).toString()}`);
    expect(listed()).toEqual(['u2=other', 'u1=second']);
    // Now with the unique index: replaced in place, the same row, counted once.
    expect(w.addResource({ resourceTypeId: 'user', resourceId: 'u2', data: bytes('third') })).toBe(other);
    expect(w.addResource({ resourceTypeId: 'user', resourceId: 'u3', data: bytes('new') })).toBeGreaterThan(second);
    expect(w.counts().resources).toBe(3);
    expect(listed()).toEqual(['u2=third', 'u1=second', 'u3=new']);
    // The build connection is back without a journal after the index build (see openBuildDatabase).
    expect((w as unknown as { db: Database.Database }).db.pragma('journal_mode', { simple: true })).toBe('off');
    const { counts } = await w.finish();
    expect(counts.resources).toBe(3);
    const file = await openIndependently(target);
    const rows = file.query('select external_id, parent_resource_id, data from v1_resources order by id');
    file.close();
    expect(rows.map((r) => [r.external_id, r.parent_resource_id, Buffer.from(r.data as Uint8Array).toString()])).toEqual([
      ['user:u2', null, 'third'],
      ['user:u1', 's', 'second'],
      ['user:u3', null, 'new'],
    ]);
  });

  test('finish collapses repeated resources to their last copy when indexResources never ran', async () => {
    const target = path.join(dir, 'dup-late.c1z');
    const w = await C1zWriter.create(target);
    w.addResource({ resourceTypeId: 'user', resourceId: 'u1', data: bytes('first') });
    w.addResource({ resourceTypeId: 'group', resourceId: 'g1', data: bytes('group') });
    w.addResource({ resourceTypeId: 'user', resourceId: 'u1', data: bytes('last') });
    expect((await w.finish()).counts.resources).toBe(2);
    const file = await openIndependently(target);
    const rows = file.query('select external_id, data from v1_resources order by id');
    file.close();
    expect(rows.map((r) => `${String(r.external_id)}=${Buffer.from(r.data as Uint8Array).toString()}`)).toEqual([
      'group:g1=group',
      'user:u1=last',
    ]);
  });

  test('resourcesOfType streams stored resources of one type across read batches while inserts continue', async () => {
    const w = await C1zWriter.create(path.join(dir, 'fanout.c1z'));
    for (let i = 0; i < 1234; i++) {
      w.addResource({ resourceTypeId: i % 2 ? 'user' : 'group', resourceId: `r${i}`, data: bytes(`d${i}`) });
    }
    const seen: string[] = [];
    for (const r of w.resourcesOfType('user')) {
      seen.push(`${r.resourceId}=${Buffer.from(r.data).toString()}`);
      w.addEntitlement({ id: `user:${r.resourceId}:x`, resourceTypeId: 'user', resourceId: r.resourceId, data: bytes('e') });
    }
    expect(seen).toHaveLength(617);
    expect(seen[0]).toBe('r1=d1');
    expect(seen[616]).toBe('r1233=d1233');
    expect(w.counts().entitlements).toBe(617);
    await w.abort();
  });

  test('countResourcesOfType counts the rows of each type, a replaced resource once after indexResources', async () => {
    const w = await C1zWriter.create(path.join(dir, 'count.c1z'));
    for (let i = 0; i < 10; i++) w.addResource({ resourceTypeId: i < 7 ? 'user' : 'group', resourceId: `r${i}`, data: bytes('a') });
    w.addResource({ resourceTypeId: 'user', resourceId: 'r3', data: bytes('b') });
    expect(w.countResourcesOfType('user')).toBe(8);
    w.indexResources();
    expect([w.countResourcesOfType('user'), w.countResourcesOfType('group'), w.countResourcesOfType('site')]).toEqual([7, 3, 0]);
    expect(w.countResourcesOfType('user')).toBe([...w.resourcesOfType('user')].length);
    await w.abort();
  });

  test('abort leaves the previous target byte-identical and removes the temp database', async () => {
    const target = path.join(dir, 'keep.c1z');
    await fs.writeFile(target, 'previous file');
    const w = await writeSample(target);
    expect((await fs.readdir(dir)).some((n) => n.includes('.tmp-'))).toBe(true);
    await w.abort();
    await w.abort();
    expect(await fs.readFile(target, 'utf8')).toBe('previous file');
    expect(await fs.readdir(dir)).toEqual(['keep.c1z']);
    expect(() => w.addResourceType({ id: 'x', data: bytes('x') })).toThrow(/finished or aborted/);
  });

  test('abort during finish wins: finish rejects and the previous target stays', async () => {
    const target = path.join(dir, 'race.c1z');
    await fs.writeFile(target, 'previous file');
    const w = await writeSample(target);
    const finishing = w.finish();
    // Handle the rejection before abort() awaits: finish may reject while abort is still removing files.
    const rejected = expect(finishing).rejects.toThrow();
    await w.abort();
    await rejected;
    expect(await fs.readFile(target, 'utf8')).toBe('previous file');
    expect(await fs.readdir(dir)).toEqual(['race.c1z']);
  });

  test('finish replaces an existing target; tempDir holds the database while building', async () => {
    const target = path.join(dir, 'out', 'sync.c1z');
    const tempDir = path.join(dir, 'scratch');
    await fs.mkdir(path.dirname(target));
    await fs.mkdir(tempDir);
    await fs.writeFile(target, 'old');
    const w = await writeSample(target, { tempDir });
    expect((await fs.readdir(tempDir)).filter((n) => n.endsWith('.db'))).toHaveLength(1);
    await w.finish();
    expect(await fs.readdir(tempDir)).toEqual([]);
    expect(await fs.readdir(path.dirname(target))).toEqual(['sync.c1z']);
    expect((await fs.readFile(target)).subarray(0, 5).toString('latin1')).toBe('C1ZF\0');
  });
});

describe('C1zReader', () => {
  test('reads back every record of the latest sync and removes its temp file on close', async () => {
    const target = path.join(dir, 'sync.c1z');
    const w = await writeSample(target);
    const syncId = w.syncId;
    await w.finish();
    const tempDir = path.join(dir, 'reader-tmp');
    await fs.mkdir(tempDir);
    const r = await C1zReader.open(target, { tempDir });
    expect(await fs.readdir(tempDir)).toHaveLength(1);
    expect(r.latestSync()).toMatchObject({ syncId, syncType: 'full' });
    expect(r.latestSync()?.endedAt).toMatch(TIMESTAMP);
    const text = (d: Uint8Array): string => Buffer.from(d).toString();
    expect([...r.resourceTypes()].map((t) => [t.externalId, text(t.data)])).toEqual([
      ['site', 'rt-site'],
      ['user', 'rt-user'],
    ]);
    expect([...r.resources()].map((x) => ({ ...x, data: text(x.data) }))).toEqual([
      { externalId: 'site:s1', resourceTypeId: 'site', parentResourceTypeId: null, parentResourceId: null, data: 'r-s1' },
      { externalId: 'user:u1', resourceTypeId: 'user', parentResourceTypeId: 'site', parentResourceId: 's1', data: 'r-u1' },
    ]);
    expect([...r.entitlements()].map((x) => ({ ...x, data: text(x.data) }))).toEqual([
      { externalId: 'site:s1:viewer', resourceTypeId: 'site', resourceId: 's1', data: 'e-viewer' },
    ]);
    expect([...r.grants()].map((x) => ({ ...x, data: text(x.data) }))).toEqual([
      {
        externalId: 'site:s1:viewer:user:u1',
        entitlementId: 'site:s1:viewer',
        resourceTypeId: 'site',
        resourceId: 's1',
        principalResourceTypeId: 'user',
        principalResourceId: 'u1',
        data: 'g-1',
      },
    ]);
    r.close();
    expect(await fs.readdir(tempDir)).toEqual([]);
  });

  test("lists records by external id in SQL when asked ('externalId'), insertion order otherwise", async () => {
    const target = path.join(dir, 'sync.c1z');
    const w = await C1zWriter.create(target);
    for (const id of ['u3', 'u1', 'u2']) {
      w.addResource({ resourceTypeId: 'user', resourceId: id, data: bytes(id) });
      w.addGrant({ id: `g:${id}`, entitlementId: 'g:member', resourceTypeId: 'group', resourceId: 'g',
        principalTypeId: 'user', principalId: id, data: bytes(id) });
    }
    await w.finish();
    const r = await C1zReader.open(target);
    try {
      expect([...r.resources()].map((x) => x.externalId)).toEqual(['user:u3', 'user:u1', 'user:u2']);
      expect([...r.resources('externalId')].map((x) => x.externalId)).toEqual(['user:u1', 'user:u2', 'user:u3']);
      expect([...r.grants('externalId')].map((x) => x.externalId)).toEqual(['g:u1', 'g:u2', 'g:u3']);
    } finally {
      r.close();
    }
  });

  test('rejects a file without the c1z v1 magic with a clear error', async () => {
    const bad = path.join(dir, 'bad.c1z');
    await fs.writeFile(bad, 'SQLite format 3\0 not a c1z');
    await expect(C1zReader.open(bad)).rejects.toThrow(/not a c1z v1 file: bad magic/);
    const v3 = path.join(dir, 'v3.c1z');
    await fs.writeFile(v3, Buffer.from('C1Z3\0rest', 'latin1'));
    await expect(C1zReader.open(v3)).rejects.toThrow(/v3/);
  });

  /** Files under `under` this process still has open (Linux: /proc/self/fd links, deleted ones included). */
  async function openFilesUnder(under: string): Promise<string[]> {
    const links = await Promise.all((await fs.readdir('/proc/self/fd')).map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')));
    return links.filter((link) => link.startsWith(under));
  }

  test.runIf(process.platform === 'linux')('a SQLite file without c1z tables is refused with nothing left open', async () => {
    const plain = path.join(dir, 'plain.db');
    const db = new Database(plain);
    db.exec('create table other (x)');
    db.close();
    const target = path.join(dir, 'no-sync-runs.c1z');
    await compressFileTo(plain, target, C1Z_MAGIC);
    const tempDir = path.join(dir, 'reader-tmp');
    await fs.mkdir(tempDir);
    await expect(C1zReader.open(target, { tempDir })).rejects.toThrow(/cannot read.*v1_sync_runs/);
    expect(await fs.readdir(tempDir)).toEqual([]);
    expect(await openFilesUnder(tempDir)).toEqual([]);
  });

  test.runIf(process.platform === 'linux')('zstd file copies close the source when the destination cannot be created', async () => {
    const src = path.join(dir, 'src.bin');
    const taken = path.join(dir, 'taken.bin');
    await fs.writeFile(src, 'payload');
    await fs.writeFile(taken, 'already here');
    await expect(compressFileTo(src, taken, C1Z_MAGIC)).rejects.toThrow(/EEXIST/);
    await expect(decompressFileTo(src, taken, 0)).rejects.toThrow(/EEXIST/);
    expect(await openFilesUnder(dir)).toEqual([]);
  });

  test.each([0, 2])(
    'a file of several compression jobs becomes one frame with its content size (%i zstd workers)',
    async (workers) => {
      // 6 MB of compressible, non-repeating text: several 1 MB read chunks and several zstd worker jobs.
      const lines = Array.from({ length: 120_000 }, (_, i) => `grant ${i} ${(i * 2654435761) % 4294967296}\n`);
      const plain = Buffer.from(lines.join('').padEnd(6 << 20, '.'));
      const src = path.join(dir, 'big.bin');
      const target = path.join(dir, 'big.c1z');
      await fs.writeFile(src, plain);
      const written = await compressFileTo(src, target, C1Z_MAGIC, { workers });
      const file = await fs.readFile(target);
      expect(written).toBe(file.length);
      const frame = file.subarray(C1Z_MAGIC.length);
      expect(zstdFrameContentSize(frame)).toBe(plain.length);
      expect(zstdFrameLength(frame)).toBe(frame.length);
      expect(Buffer.from(decompress(frame)).equals(plain)).toBe(true);
    },
  );

  test('compresses large databases on zstd worker threads and small ones on the calling thread', () => {
    expect(compressionWorkersFor(40 << 20)).toBe(0);
    expect(compressionWorkersFor(120 << 20)).toBe(Math.min(2, os.availableParallelism()));
    expect(compressionWorkersFor(2800 * 2 ** 20)).toBe(Math.min(2, os.availableParallelism()));
  });

  test('rejects a truncated file and leaves no temp behind', async () => {
    const target = path.join(dir, 'sync.c1z');
    await (await writeSample(target)).finish();
    const full = await fs.readFile(target);
    await fs.writeFile(target, full.subarray(0, Math.floor(full.length / 2)));
    const tempDir = path.join(dir, 'reader-tmp');
    await fs.mkdir(tempDir);
    await expect(C1zReader.open(target, { tempDir })).rejects.toThrow(/cannot read/);
    expect(await fs.readdir(tempDir)).toEqual([]);
  });
});
