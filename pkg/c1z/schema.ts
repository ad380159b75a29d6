/**
 * The Baton SDK's c1z v1 SQLite schema (pkg/dotc1z, current SDK): every table and index a reader
 * expects. Readers run `create ... if not exists` plus migrations on open, so any index we create
 * under the SDK's own name is reused instead of being rebuilt.
 *
 * Tables are created up front; most indexes are created after the bulk insert (building a b-tree
 * once from sorted input is much faster than maintaining it row by row).
 */

/** Table DDL, in the SDK's column order. */
export const TABLES: readonly string[] = [
  `create table if not exists v1_resource_types (
    id integer primary key,
    external_id text not null,
    data blob not null,
    sync_id text not null,
    discovered_at datetime not null
  )`,
  `create table if not exists v1_resources (
    id integer primary key,
    resource_type_id text not null,
    external_id text not null,
    resource_id text,
    parent_resource_type_id text,
    parent_resource_id text,
    data blob not null,
    sync_id text not null,
    discovered_at datetime not null
  )`,
  `create table if not exists v1_entitlements (
    id integer primary key,
    resource_type_id text not null,
    resource_id text not null,
    external_id text not null,
    data blob not null,
    sync_id text not null,
    discovered_at datetime not null
  )`,
  `create table if not exists v1_grants (
    id integer primary key,
    resource_type_id text not null,
    resource_id text not null,
    entitlement_id text not null,
    principal_resource_type_id text not null,
    principal_resource_id text not null,
    external_id text not null,
    expansion blob,
    needs_expansion integer not null default 0,
    data blob not null,
    sync_id text not null,
    discovered_at datetime not null
  )`,
  `create table if not exists v1_sync_runs (
    id integer primary key,
    sync_id text not null,
    started_at datetime not null,
    ended_at datetime,
    sync_token text not null,
    sync_type text not null default 'full',
    parent_sync_id text not null default '',
    linked_sync_id text not null default '',
    supports_diff integer not null default 0,
    grants_backfilled integer not null default 0,
    stats text,
    ingest_invariant_generation text not null default '',
    ingest_invariant_coverage text not null default '',
    ingest_invariant_mode text not null default ''
  )`,
  `create table if not exists v1_assets (
    id integer primary key,
    external_id text not null,
    content_type text not null,
    data blob not null,
    sync_id text not null,
    discovered_at datetime not null
  )`,
  `create table if not exists v1_connector_sessions (
    id integer primary key,
    sync_id text not null,
    key text not null,
    value blob not null
  )`,
];

/** One index of the SDK schema. */
export interface IndexSpec {
  name: string;
  table: string;
  unique: boolean;
  /** Column list (and optional partial-index predicate) exactly as the SDK declares it. */
  on: string;
}

const idx = (name: string, table: string, on: string, unique = false): IndexSpec => ({ name, table, unique, on });

/** Every index, by the SDK's names. Unique ones are where a duplicate id would surface. */
export const INDEXES: readonly IndexSpec[] = [
  idx('idx_resource_types_external_sync_v1', 'v1_resource_types', '(external_id, sync_id)', true),
  idx('idx_resources_resource_type_id_v1', 'v1_resources', '(resource_type_id)'),
  idx('idx_resources_parent_resource_id_v1', 'v1_resources', '(parent_resource_type_id, parent_resource_id)'),
  idx('idx_resources_external_sync_v1', 'v1_resources', '(external_id, sync_id)', true),
  idx('idx_resources_type_res_sync_v1', 'v1_resources', '(resource_type_id, resource_id, sync_id)'),
  idx('idx_entitlements_resource_id_v1', 'v1_entitlements', '(resource_type_id, resource_id)'),
  idx('idx_entitlements_external_sync_v1', 'v1_entitlements', '(external_id, sync_id)', true),
  idx('idx_grants_resource_type_id_resource_id_v1', 'v1_grants', '(resource_type_id, resource_id)'),
  idx('idx_grants_principal_id_v1', 'v1_grants', '(principal_resource_type_id, principal_resource_id)'),
  idx(
    'idx_grants_entitlement_id_principal_id_v1',
    'v1_grants',
    '(entitlement_id, principal_resource_type_id, principal_resource_id)',
  ),
  idx('idx_grants_external_sync_v1', 'v1_grants', '(external_id, sync_id)', true),
  idx('idx_grants_entitlement_id_sync_id_v1', 'v1_grants', '(entitlement_id, sync_id, id)'),
  idx('idx_grants_sync_expansion_v1', 'v1_grants', '(sync_id) where expansion is not null'),
  idx('idx_grants_sync_needs_expansion_v1', 'v1_grants', '(sync_id) where needs_expansion = 1'),
  idx('idx_sync_runs_sync_id_v1', 'v1_sync_runs', '(sync_id)', true),
  idx('idx_assets_external_sync_v1', 'v1_assets', '(external_id, sync_id)', true),
  idx('idx_session_store_sync_key_v1', 'v1_connector_sessions', '(sync_id, key)', true),
];

/** The CREATE INDEX statement of one index. */
export function createIndexSql(spec: IndexSpec): string {
  return `create ${spec.unique ? 'unique ' : ''}index if not exists ${spec.name} on ${spec.table} ${spec.on}`;
}

/** Bytes 0-4 of every c1z v1 file. */
export const C1Z_MAGIC = Buffer.from('C1ZF\0', 'latin1');
