/** Options, progress and result of one sync run (see {@link runSync}). */
import type { Logger } from 'pino';
import type { C1zWriter } from '../c1z/index.js';
import type { ConnectorApi } from '../connector/api.js';
import type { RunWarnings } from '../log/warnings.js';
import type { ResourceId } from '../../proto/types.js';

/** How a sync engine can drive a connector cheaply; advice only, every order stays correct. */
export interface SyncHints {
  /**
   * The backend serves one parent subtree at a time much better than several at once (Tableau with a
   * personal access token: one session moved between sites, each move a switchSite).
   */
  oneParentAtATime?: boolean;
  /**
   * Resource types whose ListGrants reads nothing that other listings of the sync fill (Tableau groups:
   * members come straight from Get Users in Group). The engine lists their grants as soon as each
   * resource is stored, alongside the remaining resource listings, instead of after every resource and
   * entitlement: the network stays busy while the users are still being listed.
   */
  independentGrantTypes?: readonly string[];
}

/** What to sync, where to write it, and how. */
export interface SyncOptions {
  /** The connector to drive (in-process builder or a gRPC client adapter), with its optional hints. */
  api: ConnectorApi & { readonly syncHints?: SyncHints };
  /** Receives every record; runSync never calls finish() (the caller decides), but aborts it on failure. */
  writer: C1zWriter;
  log: Logger;
  /** Cancels the sync: in-flight calls get it too; the writer is aborted. */
  signal: AbortSignal;
  /** Resources whose entitlements/grants (and child listings) are fetched at once. Default 4. */
  concurrency?: number;
  /**
   * Finish the child listings, entitlements and grants under one parent resource before starting those
   * under the next (concurrency stays within one parent). Default: the connector's
   * `syncHints.oneParentAtATime`, else off.
   */
  oneParentAtATime?: boolean;
  /** Where the run's warnings are counted (the connector's included); default: a new one per run. */
  warnings?: RunWarnings;
  /** Called after every page (and at each phase change). Must be cheap. */
  onProgress?: (p: SyncProgress) => void;
  /** What to leave out or narrow to (ConductorOne's sync task options); default: everything. */
  scope?: SyncScope;
}

/**
 * A narrower sync, as ConductorOne's sync_full task may ask for (the Baton SDK syncer's options of
 * the same names).
 */
export interface SyncScope {
  /** Resources only: no entitlements, no grants. */
  skipEntitlementsAndGrants?: boolean;
  /** Resources and entitlements, no grants. */
  skipGrants?: boolean;
  /**
   * Only these resources (fetched one by one with GetResource instead of listing every type), with
   * their entitlements and grants. Empty or absent = a full sync.
   */
  targetedResources?: readonly { resourceId: ResourceId; parentResourceId?: ResourceId }[];
}

/** Record counts of a sync. */
export interface SyncCounts {
  resourceTypes: number;
  resources: number;
  entitlements: number;
  grants: number;
}

/** Snapshot passed to {@link SyncOptions.onProgress}. */
export interface SyncProgress {
  phase: 'resource-types' | 'resources' | 'entitlements' | 'grants' | 'done';
  counts: SyncCounts;
  /** Listings queued or in flight in the current phase. */
  pendingActions: number;
}

/** Per resource type: resources of the type, and entitlements/grants on resources of the type. */
export interface TypeCounts {
  resources: number;
  entitlements: number;
  grants: number;
}

/** Outcome of a successful sync. */
export interface SyncResult {
  counts: SyncCounts;
  perType: Record<string, TypeCounts>;
  /**
   * Warnings of the run, the connector's included (skipped resources, listings that ended short of
   * Tableau's promise, ...); capped, with a final "... more" line.
   */
  warnings: string[];
  durationMs: number;
  syncId: string;
}
