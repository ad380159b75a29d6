/**
 * buildConnector: the Tableau resource types behind the ConnectorApi, mapped like the Baton SDK's
 * connectorbuilder (dispatch on the resource type id, one page per call, the unchanged-next-token
 * check, capabilities computed from the types, Cleanup dropping the per-sync caches).
 */
import type { Logger } from 'pino';
import type * as pb from '../../proto/types.js';
import type { TableauClient } from '../tableau/index.js';
import type { ConnectorApi } from './api.js';
import { ConnectorError, invalidArgument, notFound, unimplemented } from './errors.js';
import { GroupSyncer } from './group.js';
import type { ScimSettings } from '../tableau/scim.js';
import { ScimLookup } from './scim-management.js';
import type { ProvisioningApi } from './provision/index.js';
import { LicenseSyncer } from './license.js';
import { capabilitiesOf, connectorMetadata } from './metadata.js';
import { GROUP_TYPE } from './resource-types.js';
import { SiteSyncer } from './site.js';
import { noSitesConfigured, SiteDirectory, type SiteLookup, type SiteSelection } from './sites.js';
import { SyncCache } from './sync-cache.js';
import type { CallCtx, Page, PageRequest, ResourceSyncer } from './types.js';
import { UserPages } from './user-pages.js';
import { UserSyncer } from './user.js';

/** The SDK version Validate reports; ≥ 0.4.3 makes Baton syncers send `active_sync_id`. */
export const SDK_VERSION = '0.25.0';

export interface BuildConnectorOptions {
  client: TableauClient;
  sites: SiteSelection;
  log: Logger;
  /**
   * Grant/Revoke/CreateAccount/DeleteResource handlers (pkg/connector/provision). Without them those
   * RPCs are UNIMPLEMENTED and the capabilities do not claim them.
   */
  provisioning?: ProvisioningApi;
  /** The opt-in SCIM read (exact `managed_by`); without it SCIM is inferred from REST attributes. */
  scim?: ScimSettings;
}

/**
 * The connector: a ConnectorApi plus the resource types it dispatches to, and how a sync engine should
 * drive it (pkg/sync's SyncHints: one site at a time when all sites share one PAT session).
 */
export type TableauConnector = ConnectorApi & { syncers: ResourceSyncer[]; syncHints: { oneParentAtATime: boolean; independentGrantTypes: readonly string[] } };

function createSyncers(sites: SiteLookup, users: UserPages, scim?: ScimLookup): ResourceSyncer[] {
  return [new SiteSyncer(sites, users), new UserSyncer(sites, users, scim), new GroupSyncer(sites, users, scim), new LicenseSyncer(sites, users)];
}

/**
 * Capabilities of the connector, without any Tableau connection (the CLI's `capabilities`). By default
 * with provisioning, like the Baton SDK, which reports what the connector can do whether or not `-p`
 * enables it in this run.
 */
export function capabilities(opts: { provisioning?: boolean } = {}): pb.ConnectorCapabilities {
  const offline: SiteLookup = {
    list: () => Promise.reject(new Error('offline')),
    get: () => Promise.reject(new Error('offline')),
    details: () => Promise.reject(new Error('offline')),
  };
  return capabilitiesOf(createSyncers(offline, new UserPages(new SyncCache())), { provisioning: opts.provisioning ?? true });
}

export function buildConnector(opts: BuildConnectorOptions): TableauConnector {
  const cache = new SyncCache();
  const sites = new SiteDirectory(opts.client, opts.sites, cache);
  const syncers = createSyncers(sites, new UserPages(cache), new ScimLookup(opts.client, opts.scim));
  const byType = new Map(syncers.map((s) => [s.resourceType.id ?? '', s]));
  const syncerOf = (typeId: string | undefined, what: string): ResourceSyncer => {
    const syncer = byType.get(typeId ?? '');
    if (syncer === undefined) throw notFound(`${what}: unknown resource type ${JSON.stringify(typeId ?? '')}`);
    return syncer;
  };
  const withProvisioning = { provisioning: opts.provisioning !== undefined };

  return {
    syncers,
    syncHints: {
      oneParentAtATime: opts.client.sharesOneSessionAcrossSites,
      // Group members come straight from Get Users in Group; the other types' grants read the users pages.
      independentGrantTypes: [GROUP_TYPE.id ?? 'group'],
    },
    getMetadata: async () => ({ metadata: connectorMetadata(syncers, withProvisioning) }),
    validate: async (_req, ctx) => {
      await validateSites(sites, ctx);
      return { annotations: [], sdkVersion: SDK_VERSION };
    },
    cleanup: async (req, ctx) => {
      cache.drop(req.activeSyncId || ctx.syncId);
      return { annotations: [] };
    },
    listResourceTypes: async () => ({ list: syncers.map((s) => s.resourceType), nextPageToken: '' }),
    listResources: (req, ctx) =>
      paged(req, ctx, (page, c) => syncerOf(req.resourceTypeId, 'ListResources').list(req.parentResourceId, page, c)),
    getResource: (req, ctx) => getResource(req, syncCtx(ctx, req.activeSyncId), (typeId) => syncerOf(typeId, 'GetResource')),
    listEntitlements: (req, ctx) =>
      paged(req, ctx, (page, c) => syncerOf(resourceOf(req).id?.resourceType, 'ListEntitlements').entitlements(resourceOf(req), page, c)),
    listStaticEntitlements: (req, ctx) =>
      paged(req, ctx, async (page, c) => {
        const syncer = syncerOf(req.resourceTypeId, 'ListStaticEntitlements');
        return syncer.staticEntitlements ? syncer.staticEntitlements(page, c) : { items: [], nextToken: '' };
      }),
    listGrants: (req, ctx) =>
      paged(req, ctx, (page, c) => syncerOf(resourceOf(req).id?.resourceType, 'ListGrants').grants(resourceOf(req), page, c)),
    ...provisioningMethods(opts.provisioning),
  };
}

/** The provisioning RPCs: delegated when provisioning is set up, UNIMPLEMENTED otherwise. */
function provisioningMethods(provisioning: ProvisioningApi | undefined): ProvisioningApi {
  if (provisioning !== undefined) {
    return {
      grant: (req, ctx) => provisioning.grant(req, ctx),
      revoke: (req, ctx) => provisioning.revoke(req, ctx),
      createAccount: (req, ctx) => provisioning.createAccount(req, ctx),
      deleteResource: (req, ctx) => provisioning.deleteResource(req, ctx),
      deleteResourceV2: (req, ctx) => provisioning.deleteResourceV2(req, ctx),
    };
  }
  const notSetUp = (what: string) => () => Promise.reject(unimplemented(`${what} is not available: provisioning is not set up`));
  return {
    grant: notSetUp('Grant'),
    revoke: notSetUp('Revoke'),
    createAccount: notSetUp('CreateAccount'),
    deleteResource: notSetUp('DeleteResource'),
    deleteResourceV2: notSetUp('DeleteResourceV2'),
  };
}

/** GetResource: UNIMPLEMENTED for types without `get`, NOT_FOUND when the resource does not exist. */
async function getResource(
  req: pb.ResourceGetterServiceGetResourceRequest,
  ctx: CallCtx,
  syncerOf: (typeId: string) => ResourceSyncer,
): Promise<pb.ResourceGetterServiceGetResourceResponse> {
  const id = req.resourceId;
  if (!id?.resourceType || !id.resource) throw invalidArgument('GetResource needs a resource id');
  const syncer = syncerOf(id.resourceType);
  if (syncer.get === undefined) throw unimplemented(`GetResource is not supported for ${id.resourceType}`);
  const resource = await syncer.get(id, req.parentResourceId, ctx);
  if (resource === undefined) throw notFound(`${id.resourceType} ${id.resource} not found`);
  return { resource, annotations: [] };
}

interface PagedRequest {
  pageToken?: string;
  pageSize?: number;
  activeSyncId?: string;
}

/** Runs one page and applies the SDK's check that a next token never equals the request token. */
async function paged<T>(
  req: PagedRequest,
  ctx: CallCtx,
  run: (page: PageRequest, ctx: CallCtx) => Promise<Page<T>>,
): Promise<{ list: T[]; nextPageToken: string; annotations: pb.Any[] }> {
  const token = req.pageToken ?? '';
  const result = await run({ token, size: req.pageSize ?? 0 }, syncCtx(ctx, req.activeSyncId));
  if (token !== '' && result.nextToken === token) {
    throw new ConnectorError('INTERNAL', 'next page token unchanged - likely a connector bug');
  }
  return { list: result.items, nextPageToken: result.nextToken, annotations: result.annotations ?? [] };
}

/** The call context, taking the sync id from the request when the caller did not set it. */
function syncCtx(ctx: CallCtx, activeSyncId: string | undefined): CallCtx {
  return ctx.syncId === '' && activeSyncId ? { ...ctx, syncId: activeSyncId } : ctx;
}

function resourceOf(req: { resource?: pb.Resource }): pb.Resource {
  if (!req.resource?.id?.resourceType || !req.resource.id.resource) throw invalidArgument('the request names no resource');
  return req.resource;
}

/**
 * Signs in to and reads (Query Site) every configured site. Within a sync (the engine passes its sync
 * id) the answer is the one the site listing uses, so a sync still reads each site once.
 */
async function validateSites(sites: SiteDirectory, ctx: CallCtx): Promise<void> {
  const all = await sites.list(ctx);
  if (all.length === 0) throw noSitesConfigured();
  for (const site of all) await sites.details(site, ctx);
  ctx.log.info({ sites: all.length }, 'validated Tableau sites');
}
