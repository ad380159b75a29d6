/**
 * An in-memory ConnectorApi for sync tests: generated data served page by page with opaque
 * offset tokens, a log of every call, in-flight tracking and injectable failures. It implements
 * the interface only; nothing of ours is mocked.
 */
import { packAny } from '../../proto/index.js';
import type * as pb from '../../proto/types.js';
import type { ConnectorApi } from '../../pkg/connector/api.js';
import type { CallCtx } from '../../pkg/connector/types.js';

/** A lazily generated list: `count` items, item i built on demand. */
export interface Lazy<T> {
  count: number;
  item(i: number): T;
}
export const listOf = <T>(items: T[]): Lazy<T> => ({ count: items.length, item: (i) => items[i]! });
const EMPTY: Lazy<never> = { count: 0, item: () => undefined as never };

export interface FakeData {
  types: pb.ResourceType[];
  resources(typeId: string, parent: pb.ResourceId | undefined): Lazy<pb.Resource>;
  staticEntitlements?(typeId: string): pb.Entitlement[];
  entitlements?(resource: pb.Resource): Lazy<pb.Entitlement>;
  grants?(resource: pb.Resource): Lazy<pb.Grant>;
}

/** Hooks called before a list call answers; throw to fail it, return a token to override next_page_token. */
export type Hook = (call: string, resource: pb.Resource | undefined, pageToken: string) => string | void;

export class FakeConnector implements ConnectorApi {
  readonly calls: string[] = [];
  readonly syncIds = new Set<string>();
  inFlight = 0;
  maxInFlight = 0;
  hook: Hook | undefined;

  constructor(
    private readonly data: FakeData,
    private readonly pageSize = 2,
    private readonly delayMs = 0,
  ) {}

  async getMetadata(): Promise<pb.ConnectorServiceGetMetadataResponse> {
    return { metadata: { displayName: 'fake' } };
  }

  async validate(_req: pb.ConnectorServiceValidateRequest, ctx: CallCtx): Promise<pb.ConnectorServiceValidateResponse> {
    this.record('Validate', ctx);
    return { sdkVersion: '0.25.0' };
  }

  async cleanup(_req: pb.ConnectorServiceCleanupRequest, ctx: CallCtx): Promise<pb.ConnectorServiceCleanupResponse> {
    this.record('Cleanup', ctx);
    return {};
  }

  listResourceTypes(req: pb.ResourceTypesServiceListResourceTypesRequest, ctx: CallCtx) {
    return this.page('ListResourceTypes', undefined, req.pageToken, ctx, listOf(this.data.types));
  }

  listResources(req: pb.ResourcesServiceListResourcesRequest, ctx: CallCtx) {
    const parent = req.parentResourceId ? ` parent=${req.parentResourceId.resourceType}:${req.parentResourceId.resource}` : '';
    const items = this.data.resources(req.resourceTypeId ?? '', req.parentResourceId);
    return this.page(`ListResources ${req.resourceTypeId}${parent}`, undefined, req.pageToken, ctx, items);
  }

  listStaticEntitlements(req: pb.EntitlementsServiceListStaticEntitlementsRequest, ctx: CallCtx) {
    const items = listOf(this.data.staticEntitlements?.(req.resourceTypeId ?? '') ?? []);
    return this.page(`ListStaticEntitlements ${req.resourceTypeId}`, undefined, req.pageToken, ctx, items);
  }

  listEntitlements(req: pb.EntitlementsServiceListEntitlementsRequest, ctx: CallCtx) {
    const items = this.data.entitlements?.(req.resource!) ?? EMPTY;
    return this.page(`ListEntitlements ${key(req.resource)}`, req.resource, req.pageToken, ctx, items);
  }

  listGrants(req: pb.GrantsServiceListGrantsRequest, ctx: CallCtx) {
    const items = this.data.grants?.(req.resource!) ?? EMPTY;
    return this.page(`ListGrants ${key(req.resource)}`, req.resource, req.pageToken, ctx, items);
  }

  getResource(): Promise<pb.ResourceGetterServiceGetResourceResponse> {
    throw new Error('not used by the sync engine');
  }
  grant(): Promise<pb.GrantManagerServiceGrantResponse> {
    throw new Error('not used by the sync engine');
  }
  revoke(): Promise<pb.GrantManagerServiceRevokeResponse> {
    throw new Error('not used by the sync engine');
  }
  createAccount(): Promise<pb.CreateAccountResponse> {
    throw new Error('not used by the sync engine');
  }
  deleteResource(): Promise<pb.DeleteResourceResponse> {
    throw new Error('not used by the sync engine');
  }
  deleteResourceV2(): Promise<pb.DeleteResourceV2Response> {
    throw new Error('not used by the sync engine');
  }

  private record(call: string, ctx: CallCtx): void {
    this.calls.push(call);
    this.syncIds.add(ctx.syncId);
  }

  private async page<T>(
    call: string,
    resource: pb.Resource | undefined,
    pageToken: string | undefined,
    ctx: CallCtx,
    items: Lazy<T>,
  ): Promise<{ list: T[]; nextPageToken: string }> {
    const token = pageToken ?? '';
    this.record(token ? `${call} token=${token}` : call, ctx);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      ctx.signal.throwIfAborted();
      const override = this.hook?.(call, resource, token);
      const offset = token ? (JSON.parse(token) as { o: number }).o : 0;
      const end = Math.min(items.count, offset + this.pageSize);
      const list: T[] = [];
      for (let i = offset; i < end; i++) list.push(items.item(i));
      const next = end < items.count ? JSON.stringify({ o: end }) : '';
      return { list, nextPageToken: override ?? next };
    } finally {
      this.inFlight--;
    }
  }
}

export const key = (r: pb.Resource | undefined): string => `${r?.id?.resourceType}:${r?.id?.resource}`;

export const anno = (fullName: string, msg: object = {}): pb.Any => packAny(`c1.connector.v2.${fullName}`, msg);

export const resource = (type: string, id: string, extra: Partial<pb.Resource> = {}): pb.Resource => ({
  id: { resourceType: type, resource: id },
  displayName: `${type} ${id}`,
  ...extra,
});

export function entitlement(r: pb.Resource, slug: string): pb.Entitlement {
  return { id: `${key(r)}:${slug}`, resource: r, slug, displayName: slug };
}

/** A grant with stub entitlement and principal, like the SDK's grant.NewGrant. */
export function grant(r: pb.Resource, slug: string, principal: pb.ResourceId): pb.Grant {
  const entitlementId = `${key(r)}:${slug}`;
  return {
    id: `${entitlementId}:${principal.resourceType}:${principal.resource}`,
    entitlement: { id: entitlementId, resource: { id: r.id } },
    principal: { id: principal },
  };
}
