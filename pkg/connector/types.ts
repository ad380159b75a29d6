/**
 * The small interfaces a Baton resource type implements (after baton-sdk's connectorbuilder).
 * Message types are the protobufjs plain-object shapes declared in proto/types.ts.
 */
import type { Logger } from 'pino';
import type { RunWarnings } from '../log/warnings.js';
import type {
  Any,
  CreateAccountRequest,
  CreateAccountResponse,
  CredentialDetailsAccountProvisioning,
  DeleteResourceRequest,
  DeleteResourceResponse,
  Entitlement,
  Grant,
  Resource,
  ResourceId,
  ResourceType,
} from '../../proto/types.js';
import type { EntitlementRef } from './ids.js';
import type { GrantOutcome, OpEnv } from './provisioning/context.js';

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

/**
 * The read side of one Baton resource type (after baton-sdk's ResourceSyncer): its resources, their
 * entitlements and grants, one page per call. The builder dispatches the sync RPCs on
 * `resourceType.id`; a type that can also be provisioned implements {@link Provisioner} (and the
 * principal type {@link AccountManager}) on the same object, in the same folder.
 */
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

/**
 * The write side of a resource type whose entitlements users can be granted (after baton-sdk's
 * ResourceProvisionerV2): detected with {@link isProvisioner}, so implementing it is what makes the
 * type grantable (CAPABILITY_PROVISION in GetMetadata). The builder has already parsed the ids
 * (`target` is the entitlement, `userLuid` the user; see ids.ts), written the audit line, built the
 * dry-run environment and taken the per-principal lock: an implementation reads `target.resource` and
 * `target.slug` in its own terms (INVALID_ARGUMENT for entitlements it does not know), and makes no
 * change when `env.dryRun` is set (it answers with the plan instead).
 */
export interface Provisioner {
  grant(target: EntitlementRef, userLuid: string, env: OpEnv): Promise<GrantOutcome>;
  revoke(target: EntitlementRef, userLuid: string, env: OpEnv): Promise<GrantOutcome>;
  /**
   * Whether changes of one user run one at a time under the builder's per-user lock (true for
   * changes of the user's site role, which read, write and verify one value). Group membership
   * coalesces concurrent changes itself and leaves it false.
   */
  readonly lockPerPrincipal?: boolean;
}

/**
 * The account side of the principal type (after baton-sdk's AccountManager and ResourceDeleter):
 * CreateAccount and DeleteResource(V2), run under the builder's audit and dry-run wrapper (deletes
 * also under the per-user lock). Detected with {@link isAccountManager}.
 */
export interface AccountManager {
  /** The credential options CreateAccount accepts (`credential_details` in GetMetadata). */
  readonly credentialOptions: CredentialDetailsAccountProvisioning;
  createAccount(req: CreateAccountRequest, env: OpEnv): Promise<CreateAccountResponse>;
  deleteResource(req: DeleteResourceRequest, env: OpEnv): Promise<DeleteResourceResponse>;
}

/** Whether a resource type implements {@link Provisioner} (what makes its entitlements grantable). */
export function isProvisioner<T>(x: T): x is T & Provisioner {
  return typeof (x as Provisioner)?.grant === 'function' && typeof (x as Provisioner)?.revoke === 'function';
}

/** Whether a resource type implements {@link AccountManager} (CreateAccount, DeleteResource). */
export function isAccountManager<T>(x: T): x is T & AccountManager {
  return typeof (x as AccountManager)?.createAccount === 'function' && typeof (x as AccountManager)?.deleteResource === 'function';
}
