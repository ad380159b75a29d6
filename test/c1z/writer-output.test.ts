/** The finished c1z file of the writer, read without our reader: fzstd to decompress, sql.js to query. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ksuidTime } from '../../pkg/c1z/index.js';
import { openIndependently, type IndependentC1z } from './independent-reader.js';
import { SDK_COLUMNS, SDK_INDEXES } from './sdk-schema.js';
import { TIMESTAMP, writeSample } from './writer-fixtures.js';
import { zstdFrameContentSize } from './zstd-frame.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'c1z-output-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

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
