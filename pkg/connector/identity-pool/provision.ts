/**
 * `identity_pool:<pool uuid>:member` grants: Add User to Identity Pool and Remove User from Identity
 * Pool, each read back (the user's `identityPoolUuid`). Already a member (429001) is GrantAlreadyExists,
 * not a member is GrantAlreadyRevoked; Tableau's other refusals (429002, 429003) fail with
 * FAILED_PRECONDITION naming the user and the pool.
 *
 * The lock-out guard: Tableau shows one pool per user, so the connector cannot see another pool the
 * user may sign in through, nor whether the initial (TSM-configured) pool would still let them in.
 * Removing the pool it sees may therefore stop the user signing in: that revoke is refused unless the
 * operator allowed it (`--allow-pool-lockout`), and the dry-run plan and the audit line say so.
 */
import { TableauError, type IdentityPool, type TableauUser } from '../../tableau/index.js';
import { failedPrecondition, notFound } from '../errors.js';
import { refuseScimManaged } from '../scim-management.js';
import { grantAlreadyExists, grantAlreadyRevoked, metadataAnnotation } from '../provisioning/annotations.js';
import type { GrantOutcome, OpEnv } from '../provisioning/context.js';
import { dryRunAnnotation, type PlannedCall } from '../provisioning/plan.js';
import type { SiteRef } from '../sites.js';

/** What a pool grant acts on. */
export interface PoolTarget {
  kind: 'identity-pool';
  poolId: string;
  entitlementId: string;
}

/** The switch that lets a revoke leave a user in no identity pool Tableau shows. */
const POOL_LOCKOUT_FLAG = '--allow-pool-lockout';

const samePool = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();
const describeUser = (user: TableauUser): string => `user ${user.name} (${user.id})`;
const describePool = (pool: IdentityPool): string => `identity pool '${pool.name}' (${pool.id})`;

const planned = {
  add: (site: SiteRef, user: TableauUser, pool: IdentityPool): PlannedCall => ({
    method: 'POST', path: `/api/{v}/sites/${site.id}/users/identityPool`, body: `user id=${user.id} identityPoolUuid=${pool.id}`,
  }),
  remove: (site: SiteRef, user: TableauUser, pool: IdentityPool): PlannedCall => ({
    method: 'DELETE', path: `/api/{v}/sites/${site.id}/users/${user.id}/identityPool/${pool.id}`,
  }),
};

/** The user (fresh from Tableau) and the pool, or NOT_FOUND naming what is missing. */
async function locate(target: PoolTarget, userLuid: string, env: OpEnv): Promise<{ site: SiteRef; user: TableauUser; pool: IdentityPool }> {
  const found = await env.directory.findUser(userLuid, env.signal);
  if (!found) throw notFound(`user ${userLuid} does not exist on any configured site`);
  env.audit.site = found.site.id;
  env.audit.before = found.user.identityPoolUuid ?? 'none';
  const pools = await found.site.client.listIdentityPools(env.signal);
  const pool = pools.find((p) => samePool(p.id, target.poolId));
  if (!pool) throw notFound(`identity pool ${target.poolId} does not exist on this Tableau Server`);
  return { ...found, pool };
}

/** Tableau's refusal as a FAILED_PRECONDITION that names the user and the pool. */
function refused(err: unknown, action: string, user: TableauUser, pool: IdentityPool): never {
  if (err instanceof TableauError && (err.code === 'CONFLICT' || err.code === 'BAD_REQUEST')) {
    const why = [err.tableauCode, err.summary, err.detail].filter((s) => s).join(': ');
    throw failedPrecondition(`Tableau refused to ${action} ${describeUser(user)} ${action === 'add' ? 'to' : 'from'} ${describePool(pool)}: ${why}`);
  }
  throw err;
}

/** Reads the user back; FAILED_PRECONDITION when Tableau does not show the expected pool. */
async function readBack(site: SiteRef, user: TableauUser, pool: IdentityPool, member: boolean, env: OpEnv): Promise<TableauUser> {
  const stored = await site.client.getUser(user.id, env.signal);
  if (samePool(stored.identityPoolUuid, pool.id) !== member) {
    const shown = stored.identityPoolUuid ?? 'no pool';
    throw failedPrecondition(`Tableau accepted the change but shows ${describeUser(user)} in ${shown} instead of ${member ? describePool(pool) : `outside ${describePool(pool)}`}`);
  }
  return stored;
}

export async function grantPoolMember(target: PoolTarget, userLuid: string, env: OpEnv): Promise<GrantOutcome> {
  const { site, user, pool } = await locate(target, userLuid, env);
  if (samePool(user.identityPoolUuid, pool.id)) {
    env.audit.finish('already-exists', pool.id);
    return { changed: false, annotations: [grantAlreadyExists()] };
  }
  // Which pool a user signs in through is their authentication: the IdP's, when SCIM manages them.
  await refuseScimManaged(env, site, { user }, 'identity pool (authentication)');
  if (env.dryRun) {
    env.audit.finish('granted', pool.id);
    return { changed: true, annotations: [dryRunAnnotation([planned.add(site, user, pool)], `add ${user.name} to ${describePool(pool)}`)] };
  }
  const { added } = await site.client.addUserToIdentityPool(user.id, pool.id, env.signal).catch((err: unknown) => refused(err, 'add', user, pool));
  await readBack(site, user, pool, true, env);
  env.audit.finish(added ? 'granted' : 'already-exists', pool.id);
  return { changed: added, annotations: added ? [] : [grantAlreadyExists()] };
}

/** The revoke, refused as a lock-out unless `allowLockout` (see the module comment). */
export function poolRevoker(opts: { allowLockout: boolean }): (target: PoolTarget, userLuid: string, env: OpEnv) => Promise<GrantOutcome> {
  return async (target, userLuid, env) => {
    const found = await env.directory.findUser(userLuid, env.signal);
    if (!found || !samePool(found.user.identityPoolUuid, target.poolId)) {
      if (found) env.audit.site = found.site.id;
      env.audit.before = found?.user.identityPoolUuid ?? 'none';
      env.audit.finish('already-revoked', found?.user.identityPoolUuid ?? 'none');
      return { changed: false, annotations: [grantAlreadyRevoked()] };
    }
    const { site, user, pool } = await locate(target, userLuid, env);
    await refuseScimManaged(env, site, { user }, 'identity pool (authentication)');
    const lockout = `${describeUser(user)} would be left in no identity pool Tableau shows and could not sign in unless the initial (TSM-configured) pool admits them`;
    if (!opts.allowLockout) throw failedPrecondition(`lock-out refused: ${lockout}; pass ${POOL_LOCKOUT_FLAG} to allow it`);
    const note = metadataAnnotation({ lockout: true, allowedBy: POOL_LOCKOUT_FLAG, detail: lockout });
    if (env.dryRun) {
      env.audit.finish('revoked', 'none', `lock-out allowed by ${POOL_LOCKOUT_FLAG}: ${lockout}`);
      return { changed: true, annotations: [dryRunAnnotation([planned.remove(site, user, pool)], `remove ${user.name} from ${describePool(pool)} (lock-out: ${lockout})`), note] };
    }
    const { removed } = await site.client.removeUserFromIdentityPool(user.id, pool.id, env.signal).catch((err: unknown) => refused(err, 'remove', user, pool));
    await readBack(site, user, pool, false, env);
    env.audit.finish(removed ? 'revoked' : 'already-revoked', 'none', removed ? `lock-out allowed by ${POOL_LOCKOUT_FLAG}: ${lockout}` : undefined);
    return { changed: removed, annotations: removed ? [note] : [grantAlreadyRevoked()] };
  };
}
