/**
 * C1zReader: opens a c1z v1 file by decompressing it to a private temp file and reading it with
 * SQLite. Rows of the latest sync stream through `.iterate()`; nothing loads a whole table.
 * Each listing comes in insertion order, or sorted by external id (SQLite's byte order, the
 * `(external_id, sync_id)` unique index serves it) for output that must diff cleanly.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { C1Z_MAGIC } from './schema.js';
import { decompressFileTo } from './zstd-file.js';

/** The sync run a reader shows: the latest finished one, else the latest started one. */
export interface C1zSyncRun {
  syncId: string;
  startedAt: string;
  endedAt: string | null;
  syncType: string;
}

/** Row order of a listing: as written, or by external id. */
export type C1zOrder = 'insertion' | 'externalId';

export class C1zReader {
  private readonly sync: C1zSyncRun | undefined;

  private constructor(
    private readonly db: Database.Database,
    private readonly tempPath: string,
  ) {
    this.sync = readLatestSync(db);
  }

  /** Open `filePath`; fails with a clear message when it is not a c1z v1 file. */
  static async open(filePath: string, opts: { tempDir?: string } = {}): Promise<C1zReader> {
    await assertC1zV1(filePath);
    const dir = opts.tempDir ?? os.tmpdir();
    const tempPath = path.join(dir, `c1z-read-${process.pid}-${randomBytes(6).toString('hex')}.db`);
    try {
      await decompressFileTo(filePath, tempPath, C1Z_MAGIC.length);
      const db = new Database(tempPath, { readonly: true, fileMustExist: true });
      try {
        return new C1zReader(db, tempPath);
      } catch (err) {
        // e.g. a SQLite file without the c1z tables: the removed temp must not stay open.
        db.close();
        throw err;
      }
    } catch (err) {
      await fs.rm(tempPath, { force: true });
      throw new Error(`c1z: cannot read ${path.basename(filePath)}: ${(err as Error).message}`, { cause: err });
    }
  }

  latestSync(): C1zSyncRun | undefined {
    return this.sync ? { ...this.sync } : undefined;
  }

  *resourceTypes(order: C1zOrder = 'insertion'): Iterable<{ externalId: string; data: Uint8Array }> {
    for (const row of this.rows<{ external_id: string; data: Buffer }>('v1_resource_types', 'external_id, data', order)) {
      yield { externalId: row.external_id, data: row.data };
    }
  }

  *resources(order: C1zOrder = 'insertion'): Iterable<{
    externalId: string;
    resourceTypeId: string;
    parentResourceTypeId: string | null;
    parentResourceId: string | null;
    data: Uint8Array;
  }> {
    type Row = {
      external_id: string;
      resource_type_id: string;
      parent_resource_type_id: string | null;
      parent_resource_id: string | null;
      data: Buffer;
    };
    const columns = 'external_id, resource_type_id, parent_resource_type_id, parent_resource_id, data';
    for (const row of this.rows<Row>('v1_resources', columns, order)) {
      yield {
        externalId: row.external_id,
        resourceTypeId: row.resource_type_id,
        parentResourceTypeId: row.parent_resource_type_id,
        parentResourceId: row.parent_resource_id,
        data: row.data,
      };
    }
  }

  *entitlements(order: C1zOrder = 'insertion'): Iterable<{ externalId: string; resourceTypeId: string; resourceId: string; data: Uint8Array }> {
    type Row = { external_id: string; resource_type_id: string; resource_id: string; data: Buffer };
    for (const row of this.rows<Row>('v1_entitlements', 'external_id, resource_type_id, resource_id, data', order)) {
      yield { externalId: row.external_id, resourceTypeId: row.resource_type_id, resourceId: row.resource_id, data: row.data };
    }
  }

  *grants(order: C1zOrder = 'insertion'): Iterable<{
    externalId: string;
    entitlementId: string;
    resourceTypeId: string;
    resourceId: string;
    principalResourceTypeId: string;
    principalResourceId: string;
    data: Uint8Array;
  }> {
    type Row = {
      external_id: string;
      entitlement_id: string;
      resource_type_id: string;
      resource_id: string;
      principal_resource_type_id: string;
      principal_resource_id: string;
      data: Buffer;
    };
    const columns =
      'external_id, entitlement_id, resource_type_id, resource_id, principal_resource_type_id, principal_resource_id, data';
    for (const row of this.rows<Row>('v1_grants', columns, order)) {
      yield {
        externalId: row.external_id,
        entitlementId: row.entitlement_id,
        resourceTypeId: row.resource_type_id,
        resourceId: row.resource_id,
        principalResourceTypeId: row.principal_resource_type_id,
        principalResourceId: row.principal_resource_id,
        data: row.data,
      };
    }
  }

  /** Close the database and remove the decompressed temp file. */
  close(): void {
    if (this.db.open) this.db.close();
    rmSync(this.tempPath, { force: true });
  }

  private rows<T>(table: string, columns: string, order: C1zOrder): IterableIterator<T> {
    const where = this.sync ? 'where sync_id = ?' : '';
    const orderBy = order === 'externalId' ? 'external_id' : 'id';
    const stmt = this.db.prepare(`select ${columns} from ${table} ${where} order by ${orderBy}`);
    return (this.sync ? stmt.iterate(this.sync.syncId) : stmt.iterate()) as IterableIterator<T>;
  }
}

async function assertC1zV1(filePath: string): Promise<void> {
  const handle = await fs.open(filePath, 'r');
  try {
    const head = Buffer.alloc(C1Z_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < head.length || !head.equals(C1Z_MAGIC)) {
      const hint = head.subarray(0, 4).toString('latin1') === 'C1Z3' ? ' (c1z v3/Pebble is not supported)' : '';
      throw new Error(`c1z: ${path.basename(filePath)} is not a c1z v1 file: bad magic${hint}`);
    }
  } finally {
    await handle.close();
  }
}

function readLatestSync(db: Database.Database): C1zSyncRun | undefined {
  const row = db
    .prepare(
      `select sync_id, started_at, ended_at, sync_type from v1_sync_runs
       order by ended_at is null, ended_at desc, started_at desc limit 1`,
    )
    .get() as { sync_id: string; started_at: string; ended_at: string | null; sync_type: string } | undefined;
  if (!row) return undefined;
  return { syncId: row.sync_id, startedAt: row.started_at, endedAt: row.ended_at, syncType: row.sync_type };
}
