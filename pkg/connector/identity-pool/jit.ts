/**
 * Just-in-time accounts into an identity pool: CreateAccount with `identity_pool` (name or UUID) in
 * its profile creates the user on the site and then adds them to the pool. The pool is resolved before
 * anything is created (an unknown pool changes nothing); when the second step fails the new user is
 * removed again, and if even that fails the error says exactly which account exists.
 */
import { type IdentityPool, type TableauUser } from '../../tableau/index.js';
import { failedPrecondition, notFound } from '../errors.js';
import type { OpEnv } from '../provisioning/context.js';
import type { PlannedCall } from '../provisioning/plan.js';
import type { SiteRef } from '../sites.js';

/** How long removing a just-created account may take once the pool step failed (the caller may be gone). */
const UNDO_TIMEOUT_MS = 30_000;

/** The pool named by `ref` (UUID, else name, case-insensitively); NOT_FOUND listing what exists. */
export async function resolveAccountPool(site: SiteRef, ref: string, signal: AbortSignal): Promise<IdentityPool> {
  const pools = await site.client.listIdentityPools(signal);
  const lower = ref.toLowerCase();
  const pool = pools.find((p) => p.id.toLowerCase() === lower) ?? pools.find((p) => p.name.toLowerCase() === lower);
  if (!pool) {
    const known = pools.map((p) => `'${p.name}'`).join(', ') || 'none';
    throw notFound(`identity pool "${ref}" does not exist on this Tableau Server (pools: ${known})`);
  }
  return pool;
}

/** The call a dry run lists for the pool step (the user id is not known yet). */
export function plannedPoolJoin(site: SiteRef, pool: IdentityPool): PlannedCall {
  return { method: 'POST', path: `/api/{v}/sites/${site.id}/users/identityPool`, body: `user id={new user id} identityPoolUuid=${pool.id}` };
}

/**
 * Adds the just-created `user` to `pool` and reads it back; on failure removes the user again and
 * fails with FAILED_PRECONDITION saying what is left.
 */
export async function joinPoolOrUndo(site: SiteRef, user: TableauUser, pool: IdentityPool, identifier: string | undefined, env: OpEnv): Promise<TableauUser> {
  let cause: string;
  try {
    await site.client.addUserToIdentityPool(user.id, pool.id, env.signal, identifier);
    const stored = await site.client.getUser(user.id, env.signal);
    if (stored.identityPoolUuid?.toLowerCase() === pool.id.toLowerCase()) return stored;
    cause = `Tableau shows the user in ${stored.identityPoolUuid ?? 'no pool'} after adding them`;
  } catch (err) {
    cause = env.signal.aborted ? 'the request was cancelled' : err instanceof Error ? err.message : String(err);
  }
  const what = `created ${user.name} (${user.id}) on site ${site.id} but could not add them to identity pool '${pool.name}' (${pool.id}): ${cause}`;
  try {
    // The undo runs even when the caller gave up: its own time limit, not the request's signal.
    await site.client.removeUser(user.id, { signal: AbortSignal.timeout(UNDO_TIMEOUT_MS) });
  } catch (err) {
    env.log.error({ err, userId: user.id }, 'removing the account whose identity pool could not be set failed');
    throw failedPrecondition(`${what}; removing the new account failed too, so ${user.name} (${user.id}) exists on site ${site.id} in no identity pool`);
  }
  throw failedPrecondition(`${what}; the new account was removed again`);
}
