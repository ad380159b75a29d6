/**
 * C1zWriter: builds a c1z v1 file (`C1ZF\0` + zstd(SQLite)) with one finished full sync, and
 * replaces the target atomically. Protobuf-agnostic: callers hand in already-encoded messages.
 *
 * Lifecycle: create() → add*() (synchronous, batched into transactions) → finish() or abort().
 * Until finish() renames the compressed temp over the target, the previous target is untouched.
 */
import type Database from 'better-sqlite3';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { newKsuid } from './ksuid.js';
import { C1Z_MAGIC, createIndexSql, INDEXES, type IndexSpec } from './schema.js';
import { CachedTimestampClock } from './timestamps.js';
import { moveIntoPlace, removeStaleTemps, tempPathFor } from './temp-files.js';
import { compressFileTo } from './zstd-file.js';
import { GrantBatch, type GrantRow } from './grant-batch.js';
import { openBuildDatabase, sealBuildDatabase, startSyncRun } from './build-database.js';
import {
  countResourcesPerType,
  createIndexDedupingOnConflict,
  indexesBuildableEarly,
  prepareInserts,
  prepareResourceUpserts,
  type InsertStatements,
  type ResourceUpserts,
} from './writer-sql.js';

/** Record counts added so far. */
export interface C1zCounts {
  resourceTypes: number;
  resources: number;
  entitlements: number;
  grants: number;
}

/** A stored resource read back while the sync is running (for fan-out). */
export interface StoredResource {
  resourceId: string;
  data: Uint8Array;
}

const RESOURCE_ID_INDEX = INDEXES.find((spec) => spec.name === 'idx_resources_external_sync_v1') as IndexSpec;

/** Rows per transaction: large enough to amortise the commit, small enough to bound the dirty cache. */
const ROWS_PER_TRANSACTION = 50_000;
/** Rows per read-back batch in {@link C1zWriter.resourcesOfType}. */
const READ_BATCH_ROWS = 500;

export class C1zWriter {
  private readonly clock = new CachedTimestampClock();
  private readonly insert: InsertStatements;
  /** Grants not inserted yet; every commit inserts them first. */
  private readonly grantBatch: GrantBatch;
  private readonly tally: C1zCounts = { resourceTypes: 0, resources: 0, entitlements: 0, grants: 0 };
  private resourcesPerType = new Map<string, number>();
  /** Set by {@link indexResources}. */
  private upserts: ResourceUpserts | undefined;
  private rowsInTransaction = 0;
  private earlyIndexing: Promise<boolean> | undefined;
  private state: 'open' | 'finishing' | 'closed' = 'open';

  private constructor(
    private readonly targetPath: string,
    private readonly dbPath: string,
    private readonly db: Database.Database,
    readonly syncId: string,
  ) {
    this.insert = prepareInserts(db, syncId);
    this.grantBatch = new GrantBatch(this.insert.grant, this.insert.grants);
  }

  /** Start a new c1z for `targetPath`; removes temp files left behind by dead writers of the same target. */
  static async create(targetPath: string, opts: { tempDir?: string } = {}): Promise<C1zWriter> {
    const target = path.resolve(targetPath);
    const targetDir = path.dirname(target);
    const dbDir = opts.tempDir ? path.resolve(opts.tempDir) : targetDir;
    await removeStaleTemps(target, [targetDir, dbDir]);
    const dbPath = tempPathFor(target, dbDir, 'db');
    const db = openBuildDatabase(dbPath);
    try {
      const syncId = newKsuid();
      startSyncRun(db, syncId);
      return new C1zWriter(target, dbPath, db, syncId);
    } catch (err) {
      db.close();
      await fs.rm(dbPath, { force: true });
      throw err;
    }
  }

  /** Store a resource type; returns false when it replaced one with the same id (last write wins). */
  addResourceType(r: { id: string; data: Uint8Array }): boolean {
    this.beforeInsert();
    const now = this.clock.now();
    if (this.insert.resourceType.run(r.id, r.data, now).changes === 0) {
      this.insert.resourceTypeReplace.run(r.data, now, r.id);
      return false;
    }
    this.tally.resourceTypes++;
    return true;
  }

  /**
   * Store a resource as `<type>:<id>`; returns its row id (see {@link resourceAt}). A resource stored
   * again replaces the earlier copy (last write wins): at once when {@link indexResources} was called,
   * else when it is (or in finish()), which keeps the last row of each id.
   */
  addResource(r: {
    resourceTypeId: string;
    resourceId: string;
    parentTypeId?: string;
    parentId?: string;
    data: Uint8Array;
  }): number {
    this.beforeInsert();
    const externalId = `${r.resourceTypeId}:${r.resourceId}`;
    const parentType = r.parentTypeId && r.parentId ? r.parentTypeId : null;
    const parentId = parentType ? (r.parentId ?? null) : null;
    const now = this.clock.now();
    const values = [r.resourceTypeId, externalId, r.resourceId, parentType, parentId, r.data, now] as const;
    if (!this.upserts) {
      this.countResource(r.resourceTypeId);
      return Number(this.insert.resource.run(...values).lastInsertRowid);
    }
    const inserted = this.upserts.insertOrKeep.run(...values);
    if (inserted.changes > 0) {
      this.countResource(r.resourceTypeId);
      return Number(inserted.lastInsertRowid);
    }
    this.upserts.replace.run(r.resourceTypeId, r.resourceId, parentType, parentId, r.data, now, externalId);
    return (this.upserts.rowIdOf.get(externalId) as { id: number }).id;
  }

  /**
   * Collapses the resources stored so far to the last copy of each id and builds their unique
   * index; from then on a repeated resource replaces the stored one at once. Call it once every
   * resource is in: the counts are exact from here, and the fan-out reads no id twice.
   */
  indexResources(): void {
    this.assertOpen();
    if (this.upserts) return;
    this.commitPending();
    // A duplicate id fails the build, which must then roll back before the retry: a journal for it.
    this.db.pragma('journal_mode = MEMORY');
    createIndexDedupingOnConflict(this.db, RESOURCE_ID_INDEX);
    this.db.pragma('journal_mode = OFF');
    this.upserts = prepareResourceUpserts(this.db, this.syncId);
    this.resourcesPerType = countResourcesPerType(this.db);
    this.tally.resources = [...this.resourcesPerType.values()].reduce((sum, n) => sum + n, 0);
  }

  addEntitlement(e: { id: string; resourceTypeId: string; resourceId: string; data: Uint8Array }): void {
    this.beforeInsert();
    this.insert.entitlement.run(e.resourceTypeId, e.resourceId, e.id, e.data, this.clock.now());
    this.tally.entitlements++;
  }

  /** Stores a grant; `data` is copied, so the caller may reuse its buffer at once. */
  addGrant(g: GrantRow): void {
    this.beforeInsert();
    this.grantBatch.add(g, this.clock.now());
    this.tally.grants++;
  }

  /**
   * Records stored so far. Resource types are exact (upserted), resources once
   * {@link indexResources} ran; before that, and for entitlements and grants, a repeated id counts
   * twice here and is collapsed later (finish() returns the exact counts).
   */
  counts(): C1zCounts {
    return { ...this.tally };
  }

  /**
   * Starts building the non-unique indexes now rather than in finish(); rows added later keep them up
   * to date. Adding rows to an index one by one costs about three times building it at once, so this
   * pays only when the thread has time to spare: a sync waiting on the network (the caller judges).
   * finish() then has little left to do, and waits for this first (a failure here fails finish()).
   * One index per turn of the event loop, so that the running listings' responses are not held up
   * by all of them at once. Resolves to false when already started, or when the writer finished or
   * was aborted meanwhile.
   */
  buildIndexesEarly(): Promise<boolean> {
    if (this.state !== 'open' || this.earlyIndexing) return Promise.resolve(false);
    this.earlyIndexing = this.indexEarly();
    return this.earlyIndexing;
  }

  private async indexEarly(): Promise<boolean> {
    for (const spec of indexesBuildableEarly()) {
      if (this.state !== 'open') return false;
      this.commitPending();
      this.db.exec(createIndexSql(spec));
      await yieldToIo();
    }
    return this.state === 'open';
  }

  /** How many resources of one type are stored (exact once {@link indexResources} ran, as counts()). */
  countResourcesOfType(resourceTypeId: string): number {
    this.assertOpen();
    // Kept as the rows go in: in SQL this was a scan of the whole resources table (no index on the
    // type until finish), ~40 ms a call at 200k users.
    return this.resourcesPerType.get(resourceTypeId) ?? 0;
  }

  /**
   * The stored bytes of the resource at a row id from {@link addResource}, or undefined when there
   * is none (an earlier copy collapsed by {@link indexResources}).
   */
  resourceAt(rowId: number): Uint8Array | undefined {
    this.assertOpen();
    const row = this.insert.resourceAt.get(rowId) as { data: Buffer } | undefined;
    return row?.data;
  }

  /**
   * Stream the stored resources of one type, in insertion order, reading SQLite in small batches.
   * Inserts may continue between batches (no statement stays open across a yield).
   */
  *resourcesOfType(resourceTypeId: string): Generator<StoredResource> {
    this.assertOpen();
    let afterRowId = 0;
    for (;;) {
      const rows = this.insert.resourcesAfter.all(resourceTypeId, afterRowId, READ_BATCH_ROWS) as {
        id: number;
        resource_id: string;
        data: Buffer;
      }[];
      for (const row of rows) yield { resourceId: row.resource_id, data: row.data };
      const last = rows[rows.length - 1];
      if (!last || rows.length < READ_BATCH_ROWS) return;
      afterRowId = last.id;
    }
  }

  /** Seal the sync run, build indexes, compress, fsync and rename over the target. */
  async finish(): Promise<{ path: string; bytes: number; counts: C1zCounts }> {
    this.assertOpen();
    this.state = 'finishing';
    const c1zPath = tempPathFor(this.targetPath, path.dirname(this.targetPath), 'c1z');
    try {
      // It stops at its next index now that the state changed; a failure of it fails the file.
      await this.earlyIndexing;
      const counts = await this.sealDatabase();
      const bytes = await compressFileTo(this.dbPath, c1zPath, C1Z_MAGIC);
      // abort() may have been called while we were compressing: it must win over the rename.
      if (this.state !== 'finishing') throw new Error('c1z writer was aborted while finishing');
      await moveIntoPlace(c1zPath, this.targetPath);
      await fs.rm(this.dbPath, { force: true });
      this.state = 'closed';
      return { path: this.targetPath, bytes, counts };
    } catch (err) {
      this.state = 'closed';
      if (this.db.open) this.db.close();
      await Promise.all([fs.rm(c1zPath, { force: true }), fs.rm(this.dbPath, { force: true })]);
      throw err;
    }
  }

  /** Drop everything written so far; the target stays as it was. Safe to call more than once. */
  async abort(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.db.open) this.db.close();
    await fs.rm(this.dbPath, { force: true });
  }

  private async sealDatabase(): Promise<C1zCounts> {
    this.commitPending();
    return sealBuildDatabase(this.db, this.syncId);
  }

  private countResource(typeId: string): void {
    this.tally.resources++;
    this.resourcesPerType.set(typeId, (this.resourcesPerType.get(typeId) ?? 0) + 1);
  }

  private beforeInsert(): void {
    this.assertOpen();
    if (this.rowsInTransaction === 0) this.db.exec('begin');
    if (++this.rowsInTransaction >= ROWS_PER_TRANSACTION) this.commitPending();
  }

  private commitPending(): void {
    this.grantBatch.flush();
    if (this.rowsInTransaction === 0) return;
    this.db.exec('commit');
    this.rowsInTransaction = 0;
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new Error('c1z writer is already finished or aborted');
  }
}
