/**
 * `identity_pool` (CONTRACTS §3): one resource per identity pool of the server (no parent: pools are
 * server-wide), entitlement `member`, one grant per site user in the pool. Memberships come from what
 * the users listing already returns — each user's `identityPoolUuid` — read through the sync cache
 * like the license grants: no request per user, no request per pool. Tableau shows ONE pool per user
 * (the listing's attributes are single-valued), so a user in several pools shows only that one.
 */
import { toStruct } from '../../../proto/index.js';
import { Trait } from '../../../proto/index.js';
import type { Entitlement, Grant, Resource, ResourceId, ResourceType } from '../../../proto/types.js';
import { decodePageToken, encodePageToken } from '../page-token.js';
import { annotation, resourceId, userEntitlement, userGrant } from '../resource-types.js';
import type { SiteLookup } from '../sites.js';
import { MEMBER_SLUG, type EntitlementRef } from '../ids.js';
import { invalidArgument } from '../errors.js';
import { onTarget, type GrantOutcome, type OpEnv } from '../provisioning/context.js';
import type { CallCtx, Page, PageRequest, Provisioner, ResourceSyncer } from '../types.js';
import type { UserPages } from '../user-pages.js';
import { PoolDirectory, type PoolFacts } from './pools.js';
import { grantPoolMember, poolRevoker, type PoolTarget } from './provision.js';

const IDENTITY_POOL = 'identity_pool';

const IDENTITY_POOL_TYPE: ResourceType = {
  id: IDENTITY_POOL,
  displayName: 'Identity pool',
  description:
    'A Tableau Server identity pool (an identity store with an authentication configuration); its members may sign in ' +
    'through it. Tableau shows one pool per user, so a user in several pools appears in one of them only',
  traits: [Trait.TRAIT_GROUP],
  annotations: [annotation('V1Identifier', { id: IDENTITY_POOL })],
};

const TOKEN_KIND = 'pool-members';

/** How pool revokes are provisioned. */
export interface PoolOptions {
  /** Let a revoke leave a user in no identity pool Tableau shows (`--allow-pool-lockout`). */
  allowLockout: boolean;
}

/** `identity_pool:<pool uuid>:member`; anything else of the type is INVALID_ARGUMENT. */
function poolTarget(ref: EntitlementRef): PoolTarget {
  if (ref.slug !== MEMBER_SLUG) throw invalidArgument(`identity pool entitlement "${ref.entitlementId}" is unknown (only "${MEMBER_SLUG}")`);
  return { kind: 'identity-pool', poolId: ref.resource, entitlementId: ref.entitlementId };
}

/** The `identity_pool` resource type: its sync, and grant/revoke of pool membership (provision.ts). */
export class IdentityPoolSyncer implements ResourceSyncer, Provisioner {
  readonly resourceType = IDENTITY_POOL_TYPE;
  /** A pool change reads the user, changes and reads back one value: one at a time per user. */
  readonly lockPerPrincipal = true;
  readonly grant: (target: EntitlementRef, userLuid: string, env: OpEnv) => Promise<GrantOutcome>;
  readonly revoke: (target: EntitlementRef, userLuid: string, env: OpEnv) => Promise<GrantOutcome>;
  private readonly directory: PoolDirectory;

  constructor(
    private readonly sites: SiteLookup,
    private readonly users: UserPages,
    opts: PoolOptions = { allowLockout: false },
  ) {
    this.directory = new PoolDirectory(sites);
    this.grant = onTarget(poolTarget, grantPoolMember);
    this.revoke = onTarget(poolTarget, poolRevoker(opts));
  }

  /** Listed only where Tableau has pools to show (after one warning when it cannot show them). */
  async available(ctx: CallCtx): Promise<boolean> {
    return ((await this.directory.pools(ctx))?.length ?? 0) > 0;
  }

  async list(parent: ResourceId | undefined, _page: PageRequest, ctx: CallCtx): Promise<Page<Resource>> {
    if (parent !== undefined) return { items: [], nextToken: '' };
    const pools = (await this.directory.pools(ctx)) ?? [];
    return { items: pools.map(poolResource), nextToken: '' };
  }

  async entitlements(resource: Resource): Promise<Page<Entitlement>> {
    const name = resource.displayName ?? '';
    const member = userEntitlement(resource, MEMBER_SLUG, {
      displayName: `${name} Identity pool ${MEMBER_SLUG}`,
      description: `Member of the ${name} identity pool in Tableau (may sign in through it)`,
      purpose: 'assignment',
    });
    return { items: [member], nextToken: '' };
  }

  /** One Baton page per (site, users page): the users of that page whom Tableau shows in this pool. */
  async grants(resource: Resource, page: PageRequest, ctx: CallCtx): Promise<Page<Grant>> {
    const poolId = (resource.id?.resource ?? '').toLowerCase();
    const state = decodePageToken(page.token, TOKEN_KIND);
    const siteIndex = state.s ?? 0;
    const sites = await this.sites.list(ctx);
    const site = sites[siteIndex];
    if (site === undefined) return { items: [], nextToken: '' };
    const users = await this.users.compact(site, state.p, ctx);
    const poolRid = resourceId(IDENTITY_POOL, resource.id?.resource ?? '');
    const items: Grant[] = [];
    for (let i = 0; i < users.size; i++) {
      if (users.identityPool(i)?.toLowerCase() === poolId) items.push(userGrant(poolRid, MEMBER_SLUG, users.userId(i)));
    }
    const next = users.hasMore
      ? { k: TOKEN_KIND, s: siteIndex, p: state.p + 1 }
      : siteIndex + 1 < sites.length
        ? { k: TOKEN_KIND, s: siteIndex + 1, p: 1 }
        : undefined;
    return { items, nextToken: next === undefined ? '' : encodePageToken(next) };
  }

  async get(id: ResourceId, _parent: ResourceId | undefined, ctx: CallCtx): Promise<Resource | undefined> {
    const wanted = (id.resource ?? '').toLowerCase();
    const facts = (await this.directory.pools(ctx))?.find((f) => f.pool.id.toLowerCase() === wanted);
    return facts === undefined ? undefined : poolResource(facts);
  }
}

/** The Baton resource of a pool: GroupTrait with the pool's profile (no secret: OIDC client secrets are never read). */
function poolResource({ pool, store, auth }: PoolFacts): Resource {
  const profile = toStruct({
    identity_pool_id: pool.id,
    identity_pool_name: pool.name,
    description: pool.description,
    enabled: pool.isEnabled,
    identity_store_id: pool.storeId,
    identity_store_type: store?.type ?? pool.identityStoreType,
    identity_store_name: store?.displayName ?? store?.name,
    auth_configuration_id: pool.authConfigId,
    auth_type: auth?.authType ?? pool.authType,
    auth_config_url: auth?.configUrl,
  });
  return {
    id: resourceId(IDENTITY_POOL, pool.id),
    displayName: pool.name,
    description: pool.description ?? '',
    annotations: [annotation('GroupTrait', { profile })],
    profile,
  };
}
