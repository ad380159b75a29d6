/**
 * The provisioning RPCs of the connector: GrantManagerService (Grant/Revoke), AccountManagerService
 * .CreateAccount and ResourceManager/ResourceDeleter DeleteResource(V2). The ids are parsed once here
 * (ids.ts), Grant/Revoke are dispatched on the entitlement's resource type to that type's
 * {@link Provisioner}, CreateAccount/DeleteResource to the type's {@link AccountManager}; every method
 * takes and returns the proto messages of the RPC and throws ConnectorError / TableauError (mapped to
 * a gRPC status by pkg/server). The `-p` gate lives in the gRPC server, not here.
 *
 * Cross-cutting behaviour, once for every type: one audit log line per request (audit.ts); `dryRun`
 * validates against live Tableau reads and answers with the calls it would make (a GrantMetadata, see
 * annotations.ts) without changing anything; role changes of one user run one at a time (KeyedLock).
 */
import type { Logger } from 'pino';
import type * as pb from '../../../proto/types.js';
import { invalidArgument, unimplemented } from '../errors.js';
import { grantIdOf, parseEntitlement, parseGrant, principalUserLuid, type GrantRequestTarget } from '../ids.js';
import type { ScimGuard } from '../scim-management.js';
import type { AccountManager, CallCtx, Provisioner } from '../types.js';
import { AuditEntry, type AuditRecord } from './audit.js';
import type { GrantOutcome, OpEnv } from './context.js';
import { KeyedLock } from './keyed-lock.js';
import type { Locator } from './locator.js';

/** The provisioning RPCs, with the request/response messages of c1.connector.v2. */
export interface ProvisioningApi {
  grant(req: pb.GrantManagerServiceGrantRequest, ctx: CallCtx): Promise<pb.GrantManagerServiceGrantResponse>;
  revoke(req: pb.GrantManagerServiceRevokeRequest, ctx: CallCtx): Promise<pb.GrantManagerServiceRevokeResponse>;
  createAccount(req: pb.CreateAccountRequest, ctx: CallCtx): Promise<pb.CreateAccountResponse>;
  /** DeleteResource and DeleteResourceV2 (same messages, same handler). */
  deleteResource(req: pb.DeleteResourceRequest, ctx: CallCtx): Promise<pb.DeleteResourceResponse>;
  deleteResourceV2(req: pb.DeleteResourceV2Request, ctx: CallCtx): Promise<pb.DeleteResourceV2Response>;
}

/** What the wrapper dispatches to, by resource type id. */
export interface ProvisioningTypes {
  provisioners: ReadonlyMap<string, Provisioner>;
  accounts: ReadonlyMap<string, AccountManager>;
}

/** The provisioner of an entitlement's resource type; INVALID_ARGUMENT for a type without one. */
function provisionerFor(provisioners: ReadonlyMap<string, Provisioner>, type: string): Provisioner {
  const provisioner = provisioners.get(type);
  if (provisioner === undefined) throw invalidArgument(`resource type "${type}" has no grantable entitlements`);
  return provisioner;
}

type AuditStart = Pick<AuditRecord, 'operation' | 'target' | 'principal'>;

/** The account type CreateAccount creates (the only AccountManager of Tableau is `user`). */
const ACCOUNT_TYPE = 'user';

export class ProvisioningRpcs implements ProvisioningApi {
  /** Role changes of one user run one at a time (user LUIDs are unique across sites). */
  private readonly userLock = new KeyedLock();

  constructor(
    private readonly types: ProvisioningTypes,
    private readonly directory: Locator,
    private readonly log: Logger,
    private readonly dryRun: boolean,
    private readonly scim?: ScimGuard,
  ) {}

  grant(req: pb.GrantManagerServiceGrantRequest, ctx: CallCtx): Promise<pb.GrantManagerServiceGrantResponse> {
    const start: AuditStart = { operation: 'grant', target: req.entitlement?.id ?? '', principal: `user:${req.principal?.id?.resource ?? ''}` };
    return this.run(ctx, start, async (env) => {
      const request = { target: parseEntitlement(req.entitlement), userLuid: principalUserLuid(req.principal) };
      env.audit.target = request.target.entitlementId;
      const outcome = await this.apply('grant', request, env);
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
      return { annotations: (await this.apply('revoke', request, env)).annotations };
    });
  }

  createAccount(req: pb.CreateAccountRequest, ctx: CallCtx): Promise<pb.CreateAccountResponse> {
    const start: AuditStart = { operation: 'create-account', target: ACCOUNT_TYPE, principal: req.accountInfo?.login ?? '' };
    return this.run(ctx, start, (env) => this.accountManager(ACCOUNT_TYPE, 'creating').createAccount(req, env));
  }

  deleteResource(req: pb.DeleteResourceRequest, ctx: CallCtx): Promise<pb.DeleteResourceResponse> {
    const id = req.resourceId;
    const target = `${id?.resourceType ?? ''}:${id?.resource ?? ''}`;
    return this.run(ctx, { operation: 'delete-resource', target, principal: target }, (env) =>
      this.userLock.run(id?.resource ?? '', () => this.accountManager(id?.resourceType ?? '', 'deleting').deleteResource(req, env)),
    );
  }

  deleteResourceV2(req: pb.DeleteResourceV2Request, ctx: CallCtx): Promise<pb.DeleteResourceV2Response> {
    return this.deleteResource(req, ctx);
  }

  private accountManager(type: string, doing: 'creating' | 'deleting'): AccountManager {
    const manager = this.types.accounts.get(type);
    if (manager === undefined) throw unimplemented(`${doing} ${type || 'this'} resources is not supported (only users)`);
    return manager;
  }

  /** Runs one request with its environment and writes its audit line, whatever the outcome. */
  private async run<T>(ctx: CallCtx, start: AuditStart, body: (env: OpEnv) => Promise<T>): Promise<T> {
    const audit = new AuditEntry(this.log, start.operation, start.target, start.principal, this.dryRun);
    const env: OpEnv = { directory: this.directory, dryRun: this.dryRun, log: ctx.log, signal: ctx.signal, audit, ...(this.scim ? { scim: this.scim } : {}) };
    try {
      const out = await body(env);
      audit.finish('ok');
      return out;
    } catch (err) {
      audit.fail(err);
      throw err;
    }
  }

  /** Grant or revoke through the entitlement type's provisioner, under the user's lock when it asks for one. */
  private apply(op: 'grant' | 'revoke', { target, userLuid }: GrantRequestTarget, env: OpEnv): Promise<GrantOutcome> {
    const provisioner = provisionerFor(this.types.provisioners, target.type);
    const change = (): Promise<GrantOutcome> => provisioner[op](target, userLuid, env);
    return provisioner.lockPerPrincipal ? this.userLock.run(userLuid, change) : change();
  }
}
