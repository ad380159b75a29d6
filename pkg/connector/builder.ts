/**
 * buildConnector: the Tableau resource types behind the ConnectorApi, mapped like the Baton SDK's
 * connectorbuilder (dispatch on the resource type id, one page per call, the unchanged-next-token
 * check, capabilities computed from the types, Cleanup dropping the per-sync caches, Grant/Revoke
 * dispatched to the type's Provisioner under one audit, dry-run and locking wrapper).
 */
import type { Logger } from 'pino';
import type * as pb from '../../proto/types.js';
import type { TableauClient } from '../tableau/index.js';
import type { ConnectorApi } from './api.js';
import { ConnectorError, invalidArgument, notFound, unimplemented } from './errors.js';
import { GroupSyncer, type MembershipBatching } from './group/group.js';
import { IdentityPoolSyncer, type PoolOptions } from './identity-pool/syncer.js';
import { LicenseSyncer } from './license/license.js';
import type { ScimSettings } from '../tableau/scim.js';
import { ScimLookup } from './scim-management.js';
import { capabilitiesOf, connectorMetadata } from './metadata.js';
import { Locator } from './provisioning/locator.js';
import { ProvisioningRpcs, type ProvisioningApi } from './provisioning/rpcs.js';
import { GROUP_TYPE } from './resource-types.js';
import { SiteSyncer } from './site/site.js';
import { noSitesConfigured, SiteDirectory, type SiteLookup, type SiteSelection } from './sites.js';
import { SyncCache } from './sync-cache.js';
import { isAccountManager, isProvisioner, type AccountManager, type CallCtx, type Page, type PageRequest, type Provisioner, type ResourceSyncer } from './types.js';
import { UserPages } from './user-pages.js';
import { UserSyncer, type DeprovisionOptions } from './user/user.js';

/** The SDK version Validate reports; ≥ 0.4.3 makes Baton syncers send `active_sync_id`. */
const SDK_VERSION = '0.25.0';

/** How provisioning runs: the user type's deprovisioning, the group type's batching, and dry runs. */
export interface ProvisioningOptions extends DeprovisionOptions {
  /** Validate and plan, change nothing. */
  dryRun: boolean;
  /** How long a group membership change waits for others to share a bulk call (default 5 ms). */
  batchWindowMs?: number;
  /** Let a revoke leave a user in no identity pool Tableau shows (`--allow-pool-lockout`); refused otherwise. */
  allowPoolLockout?: boolean;
  /** Change SCIM-managed users and groups anyway (`--scim-override`); the audit line records it. */
  scimOverride?: boolean;
}

export interface BuildConnectorOptions {
  client: TableauClient;
  sites: SiteSelection;
  /** The run's logger; provisioning writes its audit lines to a child of it (component `provisioning`). */
  log: Logger;
  /**
   * Turns on Grant/Revoke/CreateAccount/DeleteResource. Without it those RPCs are UNIMPLEMENTED and the capabilities do not claim them.
   */
  provisioning?: ProvisioningOptions;
  /** The opt-in SCIM read (exact `managed_by`); without it SCIM is inferred from REST attributes. */
  scim?: ScimSettings;
}

/**
 * The connector: a ConnectorApi plus the resource types it dispatches to, and how a sync engine should
 * drive it (pkg/sync's SyncHints: one site at a time when all sites share one PAT session).
 */
export type TableauConnector = ConnectorApi & { syncers: ResourceSyncer[]; syncHints: { oneParentAtATime: boolean; independentGrantTypes: readonly string[] } };

/** What the resource types are made with; the provisioning options are absent offline. */
interface TypeOptions {
  deprovision?: DeprovisionOptions;
  batching?: MembershipBatching;
  pools?: PoolOptions;
  /** Who manages users and groups (SCIM), shared by the sync's marking and provisioning's refusals. */
  scim?: ScimLookup;
}

/**
 * The resource types, in the order ListResourceTypes reports them: the builder's one list. A type
 * that implements Provisioner / AccountManager is grantable / creatable by that alone.
 */
function createSyncers(sites: SiteLookup, users: UserPages, opts: TypeOptions = {}): ResourceSyncer[] {
  return [
    new SiteSyncer(sites, users, opts.scim),
    new UserSyncer(sites, users, opts.deprovision, opts.scim),
    new GroupSyncer(sites, users, opts.batching, opts.scim),
    new LicenseSyncer(sites, users, opts.scim),
    new IdentityPoolSyncer(sites, users, opts.pools),
  ];
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

/**
 * The connector on `opts.client`: the resource types of {@link createSyncers} behind the
 * ConnectorApi, sharing one site directory and one per-sync cache; with `opts.provisioning`, their
 * provisioning behind Grant/Revoke/CreateAccount/DeleteResource(V2).
 */
export function buildConnector(opts: BuildConnectorOptions): TableauConnector {
  const cache = new SyncCache();
  const sites = new SiteDirectory(opts.client, opts.sites, cache);
  const log = opts.log.child({ component: 'provisioning' });
  const batching: MembershipBatching = {
    windowMs: opts.provisioning?.batchWindowMs ?? 5,
    bulkSupported: () => opts.client.supports('bulkGroupMembership'),
    log,
  };
  const scim = new ScimLookup(opts.client, opts.scim);
  const syncers = createSyncers(sites, new UserPages(cache, (siteId) => scim.readsSite(siteId)), {
    batching,
    scim,
    pools: { allowLockout: opts.provisioning?.allowPoolLockout === true },
    ...(opts.provisioning ? { deprovision: opts.provisioning } : {}),
  });
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
    listResourceTypes: async (req, ctx) => ({ list: await availableTypes(syncers, syncCtx(ctx, req.activeSyncId)), nextPageToken: '' }),
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
    ...provisioningMethods(opts.provisioning && new ProvisioningRpcs(provisioningTypes(syncers), new Locator(sites, log), log, opts.provisioning.dryRun, { lookup: scim, override: opts.provisioning.scimOverride === true })),
  };
}

/** The provisioners and account managers among the resource types, by type id. */
function provisioningTypes(syncers: readonly ResourceSyncer[]): { provisioners: Map<string, Provisioner>; accounts: Map<string, AccountManager> } {
  const typeId = (s: ResourceSyncer): string => s.resourceType.id ?? '';
  return {
    provisioners: new Map(syncers.filter(isProvisioner).map((s) => [typeId(s), s])),
    accounts: new Map(syncers.filter(isAccountManager).map((s) => [typeId(s), s])),
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

/** The types this run lists: a type Tableau may not have (identity pools) only where it has it. */
async function availableTypes(syncers: readonly ResourceSyncer[], ctx: CallCtx): Promise<pb.ResourceType[]> {
  const shown = await Promise.all(syncers.map((s) => (s.available ? s.available(ctx) : true)));
  return syncers.filter((_, i) => shown[i]).map((s) => s.resourceType);
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
