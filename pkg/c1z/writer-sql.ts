/** Prepared statements and index building of {@link C1zWriter}. */
import type Database from 'better-sqlite3';
import { createIndexSql, INDEXES } from './schema.js';

/** The writer's prepared statements; sync_id is bound once at preparation time. */
export interface InsertStatements {
  resourceType: Database.Statement;
  resource: Database.Statement;
  entitlement: Database.Statement;
  grant: Database.Statement;
  resourcesAfter: Database.Statement;
  resourceTypeReplace: Database.Statement;
  resourceData: Database.Statement;
  resourceReplace: Database.Statement;
}

export function prepareInserts(db: Database.Database, syncId: string): InsertStatements {
  const quotedSync = `'${syncId.replace(/'/g, "''")}'`;
  return {
    // Resources and types are upserted (the SDK's last-write-wins) so fan-out never sees one twice;
    // their unique indexes exist from the start (see EARLY_INDEXES). The insert reports a conflict as
    // 0 changes and the caller then updates: one index probe for a new row (the usual case), where a
    // select-then-insert took two (~8% faster) and `on conflict do update ... returning id` was slower.
    // Entitlements and grants are deduplicated only at finish: maintaining unique indexes on millions
    // of grants would halve speed.
    resourceType: db.prepare(
      `insert into v1_resource_types (external_id, data, sync_id, discovered_at) values (?, ?, ${quotedSync}, ?)
       on conflict (external_id, sync_id) do nothing`,
    ),
    resource: db.prepare(
      `insert into v1_resources (resource_type_id, external_id, resource_id, parent_resource_type_id,
        parent_resource_id, data, sync_id, discovered_at) values (?, ?, ?, ?, ?, ?, ${quotedSync}, ?)
       on conflict (external_id, sync_id) do nothing`,
    ),
    entitlement: db.prepare(
      `insert into v1_entitlements (resource_type_id, resource_id, external_id, data, sync_id, discovered_at)
       values (?, ?, ?, ?, ${quotedSync}, ?)`,
    ),
    grant: db.prepare(
      `insert into v1_grants (resource_type_id, resource_id, entitlement_id, principal_resource_type_id,
        principal_resource_id, external_id, data, sync_id, discovered_at)
       values (?, ?, ?, ?, ?, ?, ?, ${quotedSync}, ?)`,
    ),
    resourceTypeReplace: db.prepare(
      `update v1_resource_types set data = ?, discovered_at = ? where external_id = ? and sync_id = ${quotedSync}`,
    ),
    resourceData: db.prepare(`select data from v1_resources where external_id = ? and sync_id = ${quotedSync}`),
    resourceReplace: db.prepare(
      `update v1_resources set resource_type_id = ?, resource_id = ?, parent_resource_type_id = ?,
        parent_resource_id = ?, data = ?, discovered_at = ? where external_id = ? and sync_id = ${quotedSync}`,
    ),
    // Keyset paging on the rowid: each batch is an index-free range scan, with no open cursor between batches.
    resourcesAfter: db.prepare(
      `select id, resource_id, data from v1_resources where resource_type_id = ? and id > ? order by id limit ?`,
    ),
  };
}

/**
 * Indexes built before the first insert instead of at finish. The unique ones on resource types and
 * resources back their upserts. The rest cost nothing to maintain: the partial grant indexes match
 * no row we write (expansion is null, needs_expansion 0), yet built at finish each would scan every
 * grant (~0.18 s apiece at 2.6M); the sync run, asset and session tables get at most one row.
 */
export const EARLY_INDEXES: readonly string[] = [
  'idx_resource_types_external_sync_v1',
  'idx_resources_external_sync_v1',
  'idx_grants_sync_expansion_v1',
  'idx_grants_sync_needs_expansion_v1',
  'idx_sync_runs_sync_id_v1',
  'idx_assets_external_sync_v1',
  'idx_session_store_sync_key_v1',
];

export function createEarlyIndexes(db: Database.Database): void {
  for (const spec of INDEXES) if (EARLY_INDEXES.includes(spec.name)) db.exec(createIndexSql(spec));
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
 */
export async function createIndexesDedupingOnConflict(db: Database.Database): Promise<void> {
  for (const spec of INDEXES) {
    if (EARLY_INDEXES.includes(spec.name)) continue;
    // Each index build blocks the thread (seconds at millions of rows); let timers and I/O
    // (health checks in service mode) run between them.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      db.exec(createIndexSql(spec));
    } catch (err) {
      if (!spec.unique || (err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      const columns = spec.on.replace(/[()]/g, '');
      db.exec(`delete from ${spec.table} where id not in (select max(id) from ${spec.table} group by ${columns})`);
      db.exec(createIndexSql(spec));
    }
  }
}
