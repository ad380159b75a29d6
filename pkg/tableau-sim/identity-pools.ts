/**
 * Generated identity pools (`--identity-pools N`, Tableau Server 2023.1+): each pool pairs an identity
 * store with an OIDC authentication configuration; some pools are disabled. Tableau's users listing
 * carries ONE `identityPoolUuid`/`identityPoolName` per user (ts-api XSD `userType`), so a user shows
 * at most one pool: the simulator puts a user in one pool or none, never in several.
 * Pools and memberships come from their own random streams, so the rest of a seed's data is the same
 * with or without pools.
 */
import { Rng } from './rng.js';
import type { SiteStore, SimUser } from './site-store.js';
import type { IdentityPool } from './world.js';

const POOL_NAMES = ['Partners', 'Contractors', 'Customers', 'Suppliers', 'Auditors', 'Alumni', 'Franchisees', 'Guests'];
const STORE_TYPES = ['LOCAL', 'LOCAL', 'LDAP', 'ACTIVE_DIRECTORY'];
/** Share of a site's users who sign in through a pool. */
const POOL_SHARE = 0.3;

/** `count` pools, deterministic for the seed; every fourth one is disabled. */
export function generatePools(seed: number, count: number): IdentityPool[] {
  const rng = new Rng(seed * 104_729 + 7);
  const pools: IdentityPool[] = [];
  for (let i = 0; i < count; i++) {
    const base = POOL_NAMES[i % POOL_NAMES.length] as string;
    const name = i < POOL_NAMES.length ? base : `${base} ${Math.floor(i / POOL_NAMES.length) + 1}`;
    pools.push({
      uuid: rng.uuid(), name, description: `${name} who sign in with their own identity provider`,
      storeType: STORE_TYPES[i % STORE_TYPES.length] as string, storeId: i + 1, enabled: i % 4 !== 3, authConfigId: i + 1,
    });
  }
  return pools;
}

/** Puts about a third of a site's users (never its first, the administrator) into one pool each. */
export function assignPools(site: SiteStore, pools: readonly IdentityPool[], seed: number, siteIndex: number): void {
  if (pools.length === 0) return;
  const rng = new Rng(seed * 15_485_863 + siteIndex + 11);
  site.liveUsers().forEach((idx, i) => {
    const user = site.users[idx] as SimUser;
    const roll = rng.next();
    const pool = rng.pick(pools);
    if (i > 0 && roll < POOL_SHARE) user.identityPoolUuid = pool.uuid;
  });
}

const CREATED_AT = '2025-06-01T00:00:00Z';

/** The authn service's identity stores (`GET …/identity-stores`): one per store id the pools use. */
export function storesJson(pools: readonly IdentityPool[]): { instances: Record<string, unknown>[] } {
  const seen = new Map<number, IdentityPool>();
  for (const pool of pools) if (!seen.has(pool.storeId)) seen.set(pool.storeId, pool);
  const instances = [...seen.entries()].map(([id, pool]) => ({
    id, type: pool.storeType, name: `store-${id}`, display_name: `${pool.name} store`, created_at: CREATED_AT, updated_at: CREATED_AT,
  }));
  return { instances };
}

/** The authn service's OIDC configurations (`GET …/auth-configurations`); no client secret is ever sent. */
export function authConfigsJson(pools: readonly IdentityPool[]): Record<string, unknown>[] {
  return pools.map((pool) => ({
    id: pool.authConfigId, auth_type: 'OIDC', iframed_idp_enabled: false, created_at: CREATED_AT, updated_at: CREATED_AT,
    oidc: { client_id: `client-${pool.authConfigId}`, config_url: `https://idp${pool.authConfigId}.example.com/.well-known/openid-configuration`,
      id_claim: 'sub', username_claim: 'email' },
  }));
}

/** One pool as the authn service lists it. */
export function poolJson(pool: IdentityPool): Record<string, unknown> {
  return {
    identity_pool_id: { value: pool.uuid }, identity_pool_name: pool.name, identity_store_instance_id: pool.storeId,
    auth_type_instance_id: pool.authConfigId, is_enabled: pool.enabled, description: pool.description,
    identity_store_type: pool.storeType, auth_type: 'OIDC', created_at: CREATED_AT, updated_at: CREATED_AT,
  };
}
