import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { C1zWriter } from '../../pkg/c1z/index.js';
import Database from 'better-sqlite3';
import { INDEXES } from '../../pkg/c1z/schema.js';
import { GRANTS_PER_STATEMENT } from '../../pkg/c1z/writer-sql.js';
import { openIndependently } from './independent-reader.js';
import { bytes, writeSample } from './writer-fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'c1z-writer-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
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

  test('keeps no rollback journal while records are added (the finished file is checked in writer-output.test.ts)', async () => {
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
