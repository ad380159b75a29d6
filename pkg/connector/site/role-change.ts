/**
 * The shared last step of site-role and license grants/revokes: plan the Update User (dry run) or
 * perform it with read-back (role-writer), and record before/after in the audit line.
 */
import type { Any } from '../../../proto/types.js';
import type { SiteRole, TableauUser } from '../../tableau/types.js';
import { failedPrecondition, notFound } from '../errors.js';
import type { OpEnv } from '../provisioning/context.js';
import { calls, dryRunAnnotation } from '../provisioning/plan.js';
import { writeRoleVerified } from './role-writer.js';
import { isNotFound, type SiteRef } from '../provisioning/locator.js';

/** The user on this site, or undefined when the site has no such user. */
export async function userOnSite(site: SiteRef, userLuid: string, env: OpEnv): Promise<TableauUser | undefined> {
  try {
    return await site.client.getUser(userLuid, env.signal);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export function requireUser(user: TableauUser | undefined, userLuid: string, where: string): TableauUser {
  if (!user) throw notFound(`user ${userLuid} does not exist on ${where}`);
  return user;
}

/** Tableau's REST API cannot change a server administrator's role (only TSM / the Server UI can). */
export function refuseServerAdministrator(user: TableauUser, change = 'change that role or license'): void {
  if (user.siteRole === 'ServerAdministrator') {
    throw failedPrecondition(`user ${user.name} is a server administrator: Tableau's REST API cannot ${change} (use TSM or the Server UI)`);
  }
}

/** Sets `role` (or plans it in a dry run); returns the resulting role and the dry-run annotation. */
export async function changeRole(
  env: OpEnv,
  site: SiteRef,
  user: TableauUser,
  role: SiteRole,
  accept?: (actual: SiteRole) => boolean,
): Promise<{ after: SiteRole; annotations: Any[] }> {
  env.audit.before = user.siteRole;
  if (env.dryRun) {
    const planned = [calls.updateUser(site.id, user.id, `siteRole=${role}`)];
    env.log.info({ dryRun: true, calls: planned }, 'dry run: would change a site role');
    return { after: role, annotations: [dryRunAnnotation(planned, `set ${user.name} from ${user.siteRole} to ${role}`)] };
  }
  const write = { site, user, role, signal: env.signal, log: env.log };
  const after = await writeRoleVerified(accept ? { ...write, accept } : write, env.directory);
  return { after, annotations: [] };
}
