/**
 * The Baton SDK's c1z v1 schema as the test expects it, written out independently of
 * pkg/c1z/schema.ts (baton-sdk pkg/dotc1z: table columns in order, index names and columns).
 */
export const SDK_COLUMNS: Record<string, string[]> = {
  v1_resource_types: ['id', 'external_id', 'data', 'sync_id', 'discovered_at'],
  v1_resources: [
    'id', 'resource_type_id', 'external_id', 'resource_id', 'parent_resource_type_id', 'parent_resource_id',
    'data', 'sync_id', 'discovered_at',
  ],
  v1_entitlements: ['id', 'resource_type_id', 'resource_id', 'external_id', 'data', 'sync_id', 'discovered_at'],
  v1_grants: [
    'id', 'resource_type_id', 'resource_id', 'entitlement_id', 'principal_resource_type_id', 'principal_resource_id',
    'external_id', 'expansion', 'needs_expansion', 'data', 'sync_id', 'discovered_at',
  ],
  v1_sync_runs: [
    'id', 'sync_id', 'started_at', 'ended_at', 'sync_token', 'sync_type', 'parent_sync_id', 'linked_sync_id',
    'supports_diff', 'grants_backfilled', 'stats', 'ingest_invariant_generation', 'ingest_invariant_coverage',
    'ingest_invariant_mode',
  ],
  v1_assets: ['id', 'external_id', 'content_type', 'data', 'sync_id', 'discovered_at'],
  v1_connector_sessions: ['id', 'sync_id', 'key', 'value'],
};

/** index name → [table, columns, unique, partial] */
export const SDK_INDEXES: Record<string, [string, string[], boolean, boolean]> = {
  idx_resource_types_external_sync_v1: ['v1_resource_types', ['external_id', 'sync_id'], true, false],
  idx_resources_resource_type_id_v1: ['v1_resources', ['resource_type_id'], false, false],
  idx_resources_parent_resource_id_v1: ['v1_resources', ['parent_resource_type_id', 'parent_resource_id'], false, false],
  idx_resources_external_sync_v1: ['v1_resources', ['external_id', 'sync_id'], true, false],
  idx_resources_type_res_sync_v1: ['v1_resources', ['resource_type_id', 'resource_id', 'sync_id'], false, false],
  idx_entitlements_resource_id_v1: ['v1_entitlements', ['resource_type_id', 'resource_id'], false, false],
  idx_entitlements_external_sync_v1: ['v1_entitlements', ['external_id', 'sync_id'], true, false],
  idx_grants_resource_type_id_resource_id_v1: ['v1_grants', ['resource_type_id', 'resource_id'], false, false],
  idx_grants_principal_id_v1: ['v1_grants', ['principal_resource_type_id', 'principal_resource_id'], false, false],
  idx_grants_entitlement_id_principal_id_v1: [
    'v1_grants', ['entitlement_id', 'principal_resource_type_id', 'principal_resource_id'], false, false,
  ],
  idx_grants_external_sync_v1: ['v1_grants', ['external_id', 'sync_id'], true, false],
  idx_grants_entitlement_id_sync_id_v1: ['v1_grants', ['entitlement_id', 'sync_id', 'id'], false, false],
  idx_grants_sync_expansion_v1: ['v1_grants', ['sync_id'], false, true],
  idx_grants_sync_needs_expansion_v1: ['v1_grants', ['sync_id'], false, true],
  idx_sync_runs_sync_id_v1: ['v1_sync_runs', ['sync_id'], true, false],
  idx_assets_external_sync_v1: ['v1_assets', ['external_id', 'sync_id'], true, false],
  idx_session_store_sync_key_v1: ['v1_connector_sessions', ['sync_id', 'key'], true, false],
};
