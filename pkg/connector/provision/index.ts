/**
 * Provisioning of Tableau through Baton: GrantManagerService (Grant/Revoke of site roles, license tiers
 * and group memberships), AccountManagerService.CreateAccount and ResourceManager/ResourceDeleter
 * DeleteResource(V2) of users. The builder delegates those RPCs here; every method takes and returns
 * the proto messages of the RPC and throws ConnectorError / TableauError (mapped to a gRPC status by
 * pkg/server). The `-p` gate lives in the gRPC server, not here.
 *
 * Cross-cutting behaviour: one audit log line per request (audit.ts); `dryRun` validates against live
 * Tableau reads and answers with the calls it would make (a GrantMetadata, see annotations.ts) without
 * changing anything; concurrent membership changes of one group are coalesced (membership-batcher.ts);
 * every role write is read back and rolled back when Tableau gave another role (role-writer.ts).
 */
import type { Logger } from 'pino';
import { CapabilityDetailCredentialOption } from '../../../proto/index.js';
import type * as pb from '../../../proto/types.js';
import type { TableauClient } from '../../tableau/index.js';
import type { ScimSettings } from '../../tableau/scim.js';
import { ScimLookup } from '../scim-management.js';
import type { CallCtx } from '../types.js';
import { createAccount } from './accounts.js';
import { AuditEntry, type AuditRecord } from './audit.js';
import type { GrantOutcome, OpEnv } from './context.js';
import { deprovisionUser, type DeprovisionPolicy } from './deprovision.js';
import { grantGroupMember, revokeGroupMember } from './group-member.js';
import { grantIdOf, parseEntitlement, parseGrant, principalUserLuid, type GrantRequestTarget } from './ids.js';
import { KeyedLock } from './keyed-lock.js';
import { grantLicense, revokeLicense } from './license-tier.js';
import { MembershipBatcher } from './membership-batcher.js';
import { SiteDirectory, type SiteSelection } from './site-directory.js';
import { grantSiteRole, revokeSiteRole } from './site-role.js';

export { DEPROVISION_POLICIES, type DeprovisionPolicy } from './deprovision.js';
export { roleForTier } from './roles.js';
export type { SiteSelection } from './site-directory.js';
export type { AuditRecord } from './audit.js';

/** Resource types whose entitlements Grant/Revoke handle (CAPABILITY_PROVISION in GetMetadata). */
export const GRANTABLE_RESOURCE_TYPES: readonly string[] = ['site', 'group', 'license'];
/** Resource types DeleteResource(V2) handles (CAPABILITY_RESOURCE_DELETE); CreateAccount creates `user`. */
export const DELETABLE_RESOURCE_TYPES: readonly string[] = ['user'];

/** CreateAccount credential options: NO_PASSWORD only (for `credential_details` in GetMetadata). */
export function accountProvisioningDetails(): pb.CredentialDetailsAccountProvisioning {
  const noPassword = CapabilityDetailCredentialOption.CAPABILITY_DETAIL_CREDENTIAL_OPTION_NO_PASSWORD;
  return { supportedCredentialOptions: [noPassword], preferredCredentialOption: noPassword };
}

/** How provisioning is set up. */
export interface ProvisioningOptions {
  client: TableauClient;
  /** The sites provisioning may act on (the same selection as sync). */
  sites: SiteSelection;
  /** Receives the audit lines (`{audit: {...}}` at info). */
  log: Logger;
  /** What DeleteResource does with a user; `block-if-owner` is the safe default. */
  policy: DeprovisionPolicy;
  /** Username or LUID inheriting a removed user's content under the `remove` policy. */
  mapAssetsTo?: string;
  /** Validate and plan, change nothing. */
  dryRun: boolean;
  /** The opt-in SCIM read (exact SCIM refusals); without it they follow the REST attributes. */
  scim?: ScimSettings;
  /** Change SCIM-managed users and groups anyway (`--scim-override`); the audit line records it. */
  scimOverride?: boolean;
  /** How long a group membership change waits for others to share a bulk call (default 5 ms). */
  batchWindowMs?: number;
}

/** The provisioning RPCs, with the request/response messages of c1.connector.v2. */
export interface ProvisioningApi {
  grant(req: pb.GrantManagerServiceGrantRequest, ctx: CallCtx): Promise<pb.GrantManagerServiceGrantResponse>;
  revoke(req: pb.GrantManagerServiceRevokeRequest, ctx: CallCtx): Promise<pb.GrantManagerServiceRevokeResponse>;
  createAccount(req: pb.CreateAccountRequest, ctx: CallCtx): Promise<pb.CreateAccountResponse>;
  /** DeleteResource and DeleteResourceV2 (same messages, same handler). */
  deleteResource(req: pb.DeleteResourceRequest, ctx: CallCtx): Promise<pb.DeleteResourceResponse>;
  deleteResourceV2(req: pb.DeleteResourceV2Request, ctx: CallCtx): Promise<pb.DeleteResourceV2Response>;
}

export function createProvisioning(opts: ProvisioningOptions): ProvisioningApi {
  return new TableauProvisioning(opts);
}

type AuditStart = Pick<AuditRecord, 'operation' | 'target' | 'principal'>;

class TableauProvisioning implements ProvisioningApi {
  private readonly directory: SiteDirectory;
  private readonly batcher: MembershipBatcher;
  /** Role changes of one user run one at a time (user LUIDs are unique across sites). */
  private readonly userLock = new KeyedLock();
  private readonly scim: { lookup: ScimLookup; override: boolean };

  constructor(private readonly opts: ProvisioningOptions) {
    this.directory = new SiteDirectory(opts.client, opts.sites);
    this.scim = { lookup: new ScimLookup(opts.client, opts.scim), override: opts.scimOverride ?? false };
    this.batcher = new MembershipBatcher({
      windowMs: opts.batchWindowMs ?? 5,
      maxBatch: 1000,
      bulkSupported: () => opts.client.supports('bulkGroupMembership'),
      log: opts.log,
    });
  }

  grant(req: pb.GrantManagerServiceGrantRequest, ctx: CallCtx): Promise<pb.GrantManagerServiceGrantResponse> {
    const start: AuditStart = { operation: 'grant', target: req.entitlement?.id ?? '', principal: `user:${req.principal?.id?.resource ?? ''}` };
    return this.run(ctx, start, async (env) => {
      const request = { target: parseEntitlement(req.entitlement), userLuid: principalUserLuid(req.principal) };
      env.audit.target = request.target.entitlementId;
      const outcome = await this.applyGrant(request, env);
      const id = grantIdOf(request.target.entitlementId, request.userLuid);
      const grant: pb.Grant = { id, entitlement: req.entitlement ?? {}, principal: req.principal ?? {} };
      // A dry run created nothing, so it returns no grant (an existing grant is still returned).
      return { annotations: outcome.annotations, grants: env.dryRun && outcome.changed ? [] : [grant] };
    });
  }

  revoke(req: pb.GrantManagerServiceRevokeRequest, ctx: CallCtx): Promise<pb.GrantManagerServiceRevokeResponse> {
    const start: AuditStart = { operation: 'revoke', target: req.grant?.id ?? '', principal: `user:${req.grant?.principal?.id?.resource ?? ''}` };
    return this.run(ctx, start, async (env) => {
      const request = parseGrant(req.grant);
      env.audit.target = request.target.entitlementId;
      env.audit.principal = `user:${request.userLuid}`;
      return { annotations: (await this.applyRevoke(request, env)).annotations };
    });
  }

  createAccount(req: pb.CreateAccountRequest, ctx: CallCtx): Promise<pb.CreateAccountResponse> {
    const start: AuditStart = { operation: 'create-account', target: 'user', principal: req.accountInfo?.login ?? '' };
    return this.run(ctx, start, (env) => createAccount(req, env));
  }

  deleteResource(req: pb.DeleteResourceRequest, ctx: CallCtx): Promise<pb.DeleteResourceResponse> {
    const id = req.resourceId;
    const target = `${id?.resourceType ?? ''}:${id?.resource ?? ''}`;
    return this.run(ctx, { operation: 'delete-resource', target, principal: target }, (env) =>
      this.userLock.run(id?.resource ?? '', () => deprovisionUser(req, env, this.opts.policy, this.opts.mapAssetsTo)),
    );
  }

  deleteResourceV2(req: pb.DeleteResourceV2Request, ctx: CallCtx): Promise<pb.DeleteResourceV2Response> {
    return this.deleteResource(req, ctx);
  }

  /** Runs one request with its environment and writes its audit line, whatever the outcome. */
  private async run<T>(ctx: CallCtx, start: AuditStart, body: (env: OpEnv) => Promise<T>): Promise<T> {
    const audit = new AuditEntry(this.opts.log, start.operation, start.target, start.principal, this.opts.dryRun);
    const env: OpEnv = { directory: this.directory, dryRun: this.opts.dryRun, log: ctx.log, signal: ctx.signal, audit, scim: this.scim };
    try {
      const out = await body(env);
      audit.finish('ok');
      return out;
    } catch (err) {
      audit.fail(err);
      throw err;
    }
  }

  private applyGrant({ target, userLuid }: GrantRequestTarget, env: OpEnv): Promise<GrantOutcome> {
    if (target.kind === 'site-role') return this.userLock.run(userLuid, () => grantSiteRole(target, userLuid, env));
    if (target.kind === 'license') return this.userLock.run(userLuid, () => grantLicense(target, userLuid, env));
    return grantGroupMember(target, userLuid, env, this.batcher);
  }

  private applyRevoke({ target, userLuid }: GrantRequestTarget, env: OpEnv): Promise<GrantOutcome> {
    if (target.kind === 'site-role') return this.userLock.run(userLuid, () => revokeSiteRole(target, userLuid, env));
    if (target.kind === 'license') return this.userLock.run(userLuid, () => revokeLicense(target, userLuid, env));
    return revokeGroupMember(target, userLuid, env, this.batcher);
  }
}
