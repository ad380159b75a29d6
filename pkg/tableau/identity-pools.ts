/**
 * Identity pools (Tableau Server 2023.1+, REST API 3.19, server administrators only): the authn
 * service's JSON listings of pools, identity stores and authentication configurations, and the two
 * site-level calls that move a user into or out of a pool. Tableau's pool answers carry codes that
 * start with 429 (429001 "User conflict": already a member, 429002, 429003) although they are refusals,
 * not rate limiting: errors.ts classifies them as such, so they are never retried.
 */
import { ShapeError, toIdentityPools } from './normalize.js';
import { convertTree, unless, type SiteRequester } from './site-request.js';
import type { IdentityPool } from './types.js';

/** An identity store instance (`GET /api/-/authn-service/identity-stores`). */
export interface IdentityStore {
  id: string;
  /** `LOCAL`, `LDAP` or `ACTIVE_DIRECTORY`. */
  type?: string;
  name?: string;
  displayName?: string;
}

/** An authentication configuration (`GET /api/-/authn-service/auth-configurations`); secrets are never read. */
export interface AuthConfiguration {
  id: string;
  /** `OIDC` today. */
  authType?: string;
  /** The IdP's discovery URL (OIDC). */
  configUrl?: string;
  clientId?: string;
}

/** Tableau's "already a member of this pool" answer to Add User to Identity Pool. */
const POOL_USER_CONFLICT = '429001';

type Json = Record<string, unknown>;
const isJson = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const text = (node: Json, key: string): string | undefined => {
  const value = node[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
};

/** The list under the first of `keys` (or the body itself when it is a list). */
function listIn(body: unknown, keys: string[], what: string): Json[] {
  if (Array.isArray(body)) return body.filter(isJson);
  if (!isJson(body)) throw new ShapeError(`${what} response is not an object`);
  for (const key of keys) {
    const list = body[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new ShapeError(`${what} "${key}" is not a list`);
    return list.filter(isJson);
  }
  return [];
}

function defined<T extends object>(x: T): T {
  for (const key of Object.keys(x) as (keyof T)[]) if (x[key] === undefined) delete x[key];
  return x;
}

function toIdentityStores(body: unknown): IdentityStore[] {
  return listIn(body, ['instances', 'identity_stores'], 'identity stores').map((node) => {
    const id = text(node, 'id');
    if (id === undefined) throw new ShapeError('identity store without id');
    return defined({ id, type: text(node, 'type'), name: text(node, 'name'), displayName: text(node, 'display_name') });
  });
}

function toAuthConfigurations(body: unknown): AuthConfiguration[] {
  return listIn(body, ['auth_configurations', 'instances', 'configurations'], 'authentication configurations').map((node) => {
    const id = text(node, 'id');
    if (id === undefined) throw new ShapeError('authentication configuration without id');
    const oidc = isJson(node['oidc']) ? node['oidc'] : {};
    return defined({ id, authType: text(node, 'auth_type'), configUrl: text(oidc, 'config_url'), clientId: text(oidc, 'client_id') });
  });
}

const SERVICE = '/api/-/authn-service';

/** The identity-pool calls of one site handle (the authn service is server-wide, reached through any site). */
export class IdentityPoolEndpoints {
  constructor(private readonly req: SiteRequester) {}

  private async service<T>(path: string, convert: (json: unknown) => T, signal: AbortSignal | undefined): Promise<T> {
    const rootPath = `${SERVICE}${path}`;
    const { json, endpoint } = await this.req.run({
      method: 'GET', path: '', rootPath, route: rootPath, expect: 'service-json', feature: 'identityPools', signal,
    });
    return convertTree(endpoint, {}, () => convert(json));
  }

  listIdentityPools = (signal?: AbortSignal): Promise<IdentityPool[]> => this.service('/identity-pools', toIdentityPools, signal);
  listIdentityStores = (signal?: AbortSignal): Promise<IdentityStore[]> => this.service('/identity-stores', toIdentityStores, signal);
  listAuthConfigurations = (signal?: AbortSignal): Promise<AuthConfiguration[]> =>
    this.service('/auth-configurations', toAuthConfigurations, signal);

  /** Add User to Identity Pool (`identityUuid`: the user's identifier in the pool's store); `added` false when the user already was a member (429001, or 409). */
  async addUserToIdentityPool(userId: string, poolId: string, signal?: AbortSignal, identityUuid?: string): Promise<{ added: boolean }> {
    const user = identityUuid === undefined ? { id: userId, identityPoolUuid: poolId } : { id: userId, identityPoolUuid: poolId, identityUuid };
    const call = {
      method: 'POST' as const, path: '/users/identityPool', route: '/users/identityPool', body: { user },
      replayWithCheck: true, feature: 'identityPools' as const, signal,
    };
    return this.req.run(call).then(
      () => ({ added: true }),
      // A conflict answering the replay of an add whose first answer was lost is our own add.
      (err: unknown) => unless(err, (e) => e.tableauCode === POOL_USER_CONFLICT || (e.code === 'CONFLICT' && e.tableauCode === undefined), (e) => ({ added: e.afterLostResponse === true })),
    );
  }

  /** Remove User from Identity Pool; `removed` false when the user was not in it (404). */
  async removeUserFromIdentityPool(userId: string, poolId: string, signal?: AbortSignal): Promise<{ removed: boolean }> {
    const path = `/users/${encodeURIComponent(userId)}/identityPool/${encodeURIComponent(poolId)}`;
    const call = { method: 'DELETE' as const, path, route: '/users/{}/identityPool/{}', expect: 'none' as const, feature: 'identityPools' as const, signal };
    return this.req.run(call).then(
      () => ({ removed: true }),
      // A 404 answering the replay of a remove whose first answer was lost is our own remove.
      (err: unknown) => unless(err, (e) => e.code === 'NOT_FOUND', (e) => ({ removed: e.afterLostResponse === true })),
    );
  }
}
