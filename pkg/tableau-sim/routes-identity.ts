/**
 * The per-resource identity-pool service (`/api/-/authn-service/…`, Tableau Server 2023.1+ / 3.19):
 * JSON only, errors as `{"http_error_code","message"}`, server administrators only.
 */
import { versionNumber, type Reply } from './context.js';
import { SimError } from './errors.js';
import type { SessionStore } from './sessions.js';
import type { ServerSettings } from './context.js';
import { authConfigsJson, poolJson, storesJson } from './identity-pools.js';
import type { World } from './world.js';

function jsonError(status: number, message: string): Reply {
  return { status, json: { http_error_code: status, message } };
}

/** One request to the identity-pool service. */
export interface AuthnServiceRequest {
  world: World;
  sessions: SessionStore;
  settings: ServerSettings;
  method: string;
  /** Path below `/api/-/authn-service`. */
  path: string;
  token: string | undefined;
}

export function handleAuthnService(req: AuthnServiceRequest): Reply {
  if (req.settings.cloud || versionNumber(req.settings.apiVersion) < versionNumber('3.19')) {
    return jsonError(404, 'Identity pools are not available on this server.');
  }
  try {
    const session = req.sessions.resolve(req.token);
    const user = session.site.userById(session.userId);
    if (user?.siteRole !== 'ServerAdministrator') return jsonError(403, 'Only server administrators can manage identity pools.');
  } catch (err) {
    if (err instanceof SimError) return jsonError(401, err.detail);
    throw err;
  }
  if (req.method !== 'GET') return jsonError(405, `${req.method} is not supported by this simulator for ${req.path}.`);
  if (req.path === '/identity-pools') return { status: 200, json: { pools: req.world.pools.map(poolJson) } };
  if (req.path === '/identity-stores') return { status: 200, json: storesJson(req.world.pools) };
  if (req.path === '/auth-configurations') return { status: 200, json: authConfigsJson(req.world.pools) };
  const one = /^\/identity-pools\/([^/]+)$/.exec(req.path);
  const pool = one ? req.world.poolByUuid(one[1] as string) : undefined;
  if (pool) return { status: 200, json: { pool: poolJson(pool) } };
  return jsonError(404, `Unknown resource '${req.path}'.`);
}
