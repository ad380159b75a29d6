/** Prepared statements and index building of {@link C1zWriter}. */
import type Database from 'better-sqlite3';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { createIndexSql, INDEXES, type IndexSpec } from './schema.js';

/** The writer's prepared statements; sync_id is bound once at preparation time. */
export interface InsertStatements {
  resourceType: Database.Statement;
  resource: Database.Statement;
  entitlement: Database.Statement;
  grant: Database.Statement;
  grants: Database.Statement;
  resourcesAfter: Database.Statement;
  resourceTypeReplace: Database.Statement;
  resourceAt: Database.Statement;
}

/** Upserts of resources, once their unique index exists (see C1zWriter.indexResources). */
export interface ResourceUpserts {
  insertOrKeep: Database.Statement;
  replace: Database.Statement;
  rowIdOf: Database.Statement;
}

/** Grant rows per multi-row insert (see GrantBatch): one statement for several rows saves ~25% a row. */
export const GRANTS_PER_STATEMENT = 8;

/** Grant columns bound per row, in order, before discovered_at (sync_id is a literal). */
export const GRANT_COLUMNS = [
  'resource_type_id',
  'resource_id',
  'entitlement_id',
  'principal_resource_type_id',
  'principal_resource_id',
  'external_id',
  'data',
] as const;

export function prepareInserts(db: Database.Database, syncId: string): InsertStatements {
  const quotedSync = quoted(syncId);
  return {
    // Resource types are upserted (the SDK's last-write-wins), their unique index exists from the
    // start (see EARLY_INDEXES). The insert reports a conflict as 0 changes and the caller then
    // updates: one index probe for a new row (the usual case).
    resourceType: db.prepare(
      `insert into v1_resource_types (external_id, data, sync_id, discovered_at) values (?, ?, ${quotedSync}, ?)
       on conflict (external_id, sync_id) do nothing`,
    ),
    // Resources go in plainly until C1zWriter.indexResources() collapses repeats and builds their
    // unique index; entitlements and grants until finish: maintaining a unique index on random ids
    // row by row costs several times building it at once (200,000 users: ~6.4 against ~1.7 µs a row).
    resource: db.prepare(resourceInsertSql(quotedSync)),
    entitlement: db.prepare(
      `insert into v1_entitlements (resource_type_id, resource_id, external_id, data, sync_id, discovered_at)
       values (?, ?, ?, ?, ${quotedSync}, ?)`,
    ),
    grant: prepareGrantInsert(db, quotedSync, 1),
    grants: prepareGrantInsert(db, quotedSync, GRANTS_PER_STATEMENT),
    resourceTypeReplace: db.prepare(
      `update v1_resource_types set data = ?, discovered_at = ? where external_id = ? and sync_id = ${quotedSync}`,
    ),
    resourceAt: db.prepare('select data from v1_resources where id = ?'),
    // Keyset paging on the rowid: each batch is an index-free range scan, with no open cursor between batches.
    resourcesAfter: db.prepare(
      `select id, resource_id, data from v1_resources where resource_type_id = ? and id > ? order by id limit ?`,
    ),
  };
}

/** The insert of `rows` grants: per row the values in {@link GRANT_COLUMNS} order, then discovered_at. */
function prepareGrantInsert(db: Database.Database, quotedSync: string, rows: number): Database.Statement {
  const row = `(${GRANT_COLUMNS.map(() => '?').join(', ')}, ${quotedSync}, ?)`;
  return db.prepare(
    `insert into v1_grants (${GRANT_COLUMNS.join(', ')}, sync_id, discovered_at) values ${Array(rows).fill(row).join(', ')}`,
  );
}

/** A resource row's insert: the values of addResource, sync_id being a literal. */
const resourceInsertSql = (quotedSync: string): string =>
  `insert into v1_resources (resource_type_id, external_id, resource_id, parent_resource_type_id,
    parent_resource_id, data, sync_id, discovered_at) values (?, ?, ?, ?, ?, ?, ${quotedSync}, ?)`;

/** Resource upserts; needs the unique index on (external_id, sync_id) (preparing fails without it). */
export function prepareResourceUpserts(db: Database.Database, syncId: string): ResourceUpserts {
  const quotedSync = quoted(syncId);
  return {
    insertOrKeep: db.prepare(`${resourceInsertSql(quotedSync)} on conflict (external_id, sync_id) do nothing`),
    replace: db.prepare(
      `update v1_resources set resource_type_id = ?, resource_id = ?, parent_resource_type_id = ?,
        parent_resource_id = ?, data = ?, discovered_at = ? where external_id = ? and sync_id = ${quotedSync}`,
    ),
    rowIdOf: db.prepare(`select id from v1_resources where external_id = ? and sync_id = ${quotedSync}`),
  };
}

const quoted = (syncId: string): string => `'${syncId.replace(/'/g, "''")}'`;

/**
 * Indexes built before the first insert instead of at finish. The unique one on resource types backs
 * their upserts. The rest cost nothing to maintain: the partial grant indexes match no row we write
 * (expansion is null, needs_expansion 0), yet built at finish each would scan every grant (~0.18 s
 * apiece at 2.6M); the sync run, asset and session tables get at most one row.
 */
const EARLY_INDEXES: readonly string[] = [
  'idx_resource_types_external_sync_v1',
  'idx_grants_sync_expansion_v1',
  'idx_grants_sync_needs_expansion_v1',
  'idx_sync_runs_sync_id_v1',
  'idx_assets_external_sync_v1',
  'idx_session_store_sync_key_v1',
];

export function createEarlyIndexes(db: Database.Database): void {
  for (const spec of INDEXES) if (EARLY_INDEXES.includes(spec.name)) db.exec(createIndexSql(spec));
}

/**
 * The indexes that may be built before finish (see C1zWriter.buildIndexesEarly): the non-unique ones
 * not built at the start. A unique index built early would turn a repeated id into a failed insert,
 * where the SDK's writer keeps the last copy; those are left to {@link createIndexesDedupingOnConflict}.
 */
export function indexesBuildableEarly(): IndexSpec[] {
  return INDEXES.filter((spec) => !spec.unique && !EARLY_INDEXES.includes(spec.name));
}

/** Rows per table, for exact counts once duplicates are collapsed. */
export function countRows(db: Database.Database): {
  resourceTypes: number;
  resources: number;
  entitlements: number;
  grants: number;
} {
  const count = (table: string): number => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return {
    resourceTypes: count('v1_resource_types'),
    resources: count('v1_resources'),
    entitlements: count('v1_entitlements'),
    grants: count('v1_grants'),
  };
}

/**
 * Create every SDK index. A unique index fails when a connector emitted the same id twice; the
 * SDK's writer upserts (last write wins), so we keep the last row of each duplicate and retry.
 * Every statement must be able to roll back (a journal), since the failing build is undone.
 */
export async function createIndexesDedupingOnConflict(db: Database.Database): Promise<void> {
  for (const spec of INDEXES) {
    if (EARLY_INDEXES.includes(spec.name)) continue;
    // Each index build blocks the thread (seconds at millions of rows); let timers and I/O
    // (health checks in service mode) run between them.
    await yieldToIo();
    createIndexDedupingOnConflict(db, spec);
  }
}

/** One index of {@link createIndexesDedupingOnConflict}; a no-op when it exists. */
export function createIndexDedupingOnConflict(db: Database.Database, spec: IndexSpec): void {
  try {
    db.exec(createIndexSql(spec));
  } catch (err) {
    if (!spec.unique || (err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
    const columns = spec.on.replace(/[()]/g, '');
    db.exec(`delete from ${spec.table} where id not in (select max(id) from ${spec.table} group by ${columns})`);
    db.exec(createIndexSql(spec));
  }
}

/** Stored resources per resource type. */
export function countResourcesPerType(db: Database.Database): Map<string, number> {
  const rows = db.prepare('select resource_type_id as type, count(*) as n from v1_resources group by resource_type_id').all() as {
    type: string;
    n: number;
  }[];
  return new Map(rows.map((r) => [r.type, r.n]));
}
