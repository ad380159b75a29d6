/**
 * The small interfaces a Baton resource type implements (after baton-sdk's connectorbuilder).
 * Message types are the protobufjs plain-object shapes declared in proto/types.ts.
 */
import type { Logger } from 'pino';
import type { RunWarnings } from '../log/warnings.js';
import type { Any, Entitlement, Grant, Resource, ResourceId, ResourceType } from '../../proto/types.js';

/** Per-call context: cancellation, logging and the sync the call belongs to. */
export interface CallCtx {
  signal: AbortSignal;
  log: Logger;
  /** `active_sync_id` of the request ("" when the caller did not send one). */
  syncId: string;
  /** The run's counted warnings, when the caller keeps them (the one-shot sync); else warnings are only logged. */
  warnings?: RunWarnings;
}

/** A page request: `token` is "" for the first page; `size` 0 means "connector's choice". */
export interface PageRequest {
  token: string;
  size: number;
}

/** A page of results. `nextToken` "" means this was the last page; it must differ from the request token. */
export interface Page<T> {
  items: T[];
  nextToken: string;
  annotations?: Any[];
}

export interface ResourceSyncer {
  readonly resourceType: ResourceType;
  list(parent: ResourceId | undefined, page: PageRequest, ctx: CallCtx): Promise<Page<Resource>>;
  entitlements(resource: Resource, page: PageRequest, ctx: CallCtx): Promise<Page<Entitlement>>;
  grants(resource: Resource, page: PageRequest, ctx: CallCtx): Promise<Page<Grant>>;
  /** Targeted sync: one resource by id; undefined when it does not exist. */
  get?(id: ResourceId, parent: ResourceId | undefined, ctx: CallCtx): Promise<Resource | undefined>;
  /** Whether the type is listed in this run at all (types Tableau may not have, e.g. identity pools); default yes. */
  available?(ctx: CallCtx): Promise<boolean>;
  /** Template entitlements stamped onto every resource of the type (empty when unused). */
  staticEntitlements?(page: PageRequest, ctx: CallCtx): Promise<Page<Entitlement>>;
}

/** Optional provisioning side of a resource type (detected with {@link isProvisioner}). */
export interface Provisioner {
  grant(principal: Resource, entitlement: Entitlement, ctx: CallCtx): Promise<{ grants: Grant[]; annotations: Any[] }>;
  revoke(grant: Grant, ctx: CallCtx): Promise<{ annotations: Any[] }>;
}

export function isProvisioner(x: unknown): x is Provisioner {
  return typeof (x as Provisioner)?.grant === 'function' && typeof (x as Provisioner)?.revoke === 'function';
}
