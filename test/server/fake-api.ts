/**
 * An in-memory implementation of the ConnectorApi INTERFACE with fixed data, for driving the gRPC
 * server in tests. It records every call (decoded request + CallCtx) and can be told to fail or to
 * wait for cancellation.
 */
import type { ConnectorApi } from '../../pkg/connector/api.js';
import type { CallCtx } from '../../pkg/connector/types.js';
import type * as pb from '../../proto/types.js';

export interface RecordedCall {
  method: keyof ConnectorApi;
  req: unknown;
  ctx: CallCtx;
}

const site: pb.Resource = { id: { resourceType: 'site', resource: 's1' }, displayName: 'Default' };
const user: pb.Resource = { id: { resourceType: 'user', resource: 'u1' }, parentResourceId: site.id, displayName: 'Ada' };
const viewer: pb.Entitlement = { id: 'site:s1:viewer', resource: site, slug: 'viewer', displayName: 'Default Viewer' };
const grant: pb.Grant = { id: 'site:s1:viewer:user:u1', entitlement: viewer, principal: user };

/** The response each method answers with (non-default values, so a decode can be compared). */
export const RESPONSES: { [K in keyof ConnectorApi]: Awaited<ReturnType<ConnectorApi[K]>> } = {
  getMetadata: { metadata: { displayName: 'Tableau', description: 'fake' } },
  validate: { sdkVersion: '0.25.0' },
  cleanup: {},
  listResourceTypes: { list: [{ id: 'site', displayName: 'Site' }] },
  listResources: { list: [site], nextPageToken: '{"page":2}' },
  getResource: { resource: user },
  listEntitlements: { list: [viewer] },
  listStaticEntitlements: {},
  listGrants: { list: [grant] },
  grant: { grants: [grant] },
  revoke: {},
  createAccount: { success: { resource: user, isCreateAccountResult: true } },
  deleteResource: {},
  deleteResourceV2: {},
};

/** A valid request per method (every field non-default). */
export const REQUESTS: { [K in keyof ConnectorApi]: Parameters<ConnectorApi[K]>[0] } = {
  getMetadata: {},
  validate: {},
  cleanup: { activeSyncId: 'sync-1' },
  listResourceTypes: { pageSize: 50, activeSyncId: 'sync-1' },
  listResources: { resourceTypeId: 'user', parentResourceId: site.id, pageSize: 100, pageToken: '{"page":1}', activeSyncId: 'sync-1' },
  getResource: { resourceId: user.id, parentResourceId: site.id },
  listEntitlements: { resource: site, pageToken: 'x' },
  listStaticEntitlements: { resourceTypeId: 'site' },
  listGrants: { resource: site, pageSize: 250, activeSyncId: 'sync-1' },
  grant: { entitlement: viewer, principal: user },
  revoke: { grant },
  createAccount: { accountInfo: { login: 'ada', emails: [{ address: 'ada@example.com', isPrimary: true }] }, resourceTypeId: 'user' },
  deleteResource: { resourceId: user.id },
  deleteResourceV2: { resourceId: user.id, parentResourceId: site.id },
};

type Behaviour = { fail?: unknown; waitForAbort?: boolean; respond?: unknown };

export class FakeApi implements ConnectorApi {
  readonly calls: RecordedCall[] = [];
  readonly behaviour: Partial<Record<keyof ConnectorApi, Behaviour>> = {};
  private waiters: ((call: RecordedCall) => void)[] = [];

  /** Resolves with the next call that reaches the api. */
  nextCall(): Promise<RecordedCall> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async answer<K extends keyof ConnectorApi>(method: K, req: unknown, ctx: CallCtx): Promise<never> {
    const call = { method, req, ctx };
    this.calls.push(call);
    this.waiters.splice(0).forEach((w) => w(call));
    const b: Behaviour = this.behaviour[method] ?? {};
    if (b.waitForAbort) await abortedOrTimeout(ctx.signal, 10_000);
    if (b.fail !== undefined) throw b.fail;
    return (b.respond ?? RESPONSES[method]) as never;
  }

  getMetadata = (req: pb.ConnectorServiceGetMetadataRequest, ctx: CallCtx) => this.answer('getMetadata', req, ctx);
  validate = (req: pb.ConnectorServiceValidateRequest, ctx: CallCtx) => this.answer('validate', req, ctx);
  cleanup = (req: pb.ConnectorServiceCleanupRequest, ctx: CallCtx) => this.answer('cleanup', req, ctx);
  listResourceTypes = (req: pb.ResourceTypesServiceListResourceTypesRequest, ctx: CallCtx) => this.answer('listResourceTypes', req, ctx);
  listResources = (req: pb.ResourcesServiceListResourcesRequest, ctx: CallCtx) => this.answer('listResources', req, ctx);
  getResource = (req: pb.ResourceGetterServiceGetResourceRequest, ctx: CallCtx) => this.answer('getResource', req, ctx);
  listEntitlements = (req: pb.EntitlementsServiceListEntitlementsRequest, ctx: CallCtx) => this.answer('listEntitlements', req, ctx);
  listStaticEntitlements = (req: pb.EntitlementsServiceListStaticEntitlementsRequest, ctx: CallCtx) =>
    this.answer('listStaticEntitlements', req, ctx);
  listGrants = (req: pb.GrantsServiceListGrantsRequest, ctx: CallCtx) => this.answer('listGrants', req, ctx);
  grant = (req: pb.GrantManagerServiceGrantRequest, ctx: CallCtx) => this.answer('grant', req, ctx);
  revoke = (req: pb.GrantManagerServiceRevokeRequest, ctx: CallCtx) => this.answer('revoke', req, ctx);
  createAccount = (req: pb.CreateAccountRequest, ctx: CallCtx) => this.answer('createAccount', req, ctx);
  deleteResource = (req: pb.DeleteResourceRequest, ctx: CallCtx) => this.answer('deleteResource', req, ctx);
  deleteResourceV2 = (req: pb.DeleteResourceV2Request, ctx: CallCtx) => this.answer('deleteResourceV2', req, ctx);
}

/** Waits until `signal` aborts, bounded so a broken server cannot hang the suite. */
function abortedOrTimeout(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
}
