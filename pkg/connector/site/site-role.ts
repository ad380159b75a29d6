/**
 * `site:<siteLuid>:<slug>` entitlements: the user's site role. A user holds exactly one role per site,
 * so a grant replaces the previous role (GrantReplaced) and a revoke leaves the user Unlicensed.
 */
import { failedPrecondition, invalidArgument } from '../errors.js';
import { grantAlreadyExists, grantAlreadyRevoked, grantReplaced, metadataAnnotation } from '../provisioning/annotations.js';
import type { GrantOutcome, OpEnv } from '../provisioning/context.js';
import { entitlementIdOf, grantIdOf, type EntitlementRef } from '../ids.js';
import { refuseScimManaged } from '../scim-management.js';
import { changeRole, refuseServerAdministrator, requireUser, userOnSite } from './role-change.js';
import { isSettableRole, roleOfSlug, roleRank, roleSlug } from './roles.js';

/** What a `site:<siteLuid>:<slug>` entitlement grants: one site role on one site. */
export interface SiteRoleTarget {
  kind: 'site-role';
  siteLuid: string;
  slug: string;
  role: string;
  entitlementId: string;
}

/** The site role an entitlement of the `site` type names (every slug names a role). */
export function siteRoleTarget(ref: EntitlementRef): SiteRoleTarget {
  return { kind: 'site-role', siteLuid: ref.resource, slug: ref.slug, role: roleOfSlug(ref.slug), entitlementId: ref.entitlementId };
}

function requireSettable(target: SiteRoleTarget): void {
  if (target.role === 'ServerAdministrator') {
    throw failedPrecondition('the server administrator role cannot be granted through Tableau\'s REST API (use TSM or the Server UI)');
  }
  if (!isSettableRole(target.role)) {
    throw invalidArgument(`site role "${target.slug}" (${target.role}) is a legacy or system role Tableau does not let clients set`);
  }
}

export async function grantSiteRole(target: SiteRoleTarget, userLuid: string, env: OpEnv): Promise<GrantOutcome> {
  const site = await env.directory.siteByLuid(target.siteLuid, env.signal);
  env.audit.site = site.id;
  requireSettable(target);
  const user = requireUser(await userOnSite(site, userLuid, env), userLuid, `site ${site.id}`);
  env.audit.before = user.siteRole;
  refuseServerAdministrator(user);
  await refuseScimManaged(env, site, { user }, 'site role');
  if (user.siteRole === target.role) {
    env.audit.finish('already-exists', user.siteRole);
    return { changed: false, annotations: [grantAlreadyExists()] };
  }
  const { after, annotations } = await changeRole(env, site, user, target.role);
  const replaced = grantIdOf(entitlementIdOf('site', site.id, roleSlug(user.siteRole)), user.id);
  env.audit.finish('granted', after);
  return { changed: true, annotations: [grantReplaced(replaced), ...annotations] };
}

/**
 * Sets Unlicensed when the user holds exactly the revoked role. Tableau may keep a higher role than
 * Unlicensed (a grant-license-on-sign-in group): the revoke still succeeds when the user no longer
 * holds the revoked role and has less access than before; the role Tableau reports is returned in a
 * GrantMetadata `{siteRole}`.
 */
export async function revokeSiteRole(target: SiteRoleTarget, userLuid: string, env: OpEnv): Promise<GrantOutcome> {
  const site = await env.directory.siteByLuid(target.siteLuid, env.signal);
  env.audit.site = site.id;
  const user = await userOnSite(site, userLuid, env);
  env.audit.before = user?.siteRole;
  if (!user || user.siteRole !== target.role) {
    env.audit.finish('already-revoked', user?.siteRole);
    return { changed: false, annotations: [grantAlreadyRevoked()] };
  }
  refuseServerAdministrator(user);
  await refuseScimManaged(env, site, { user }, 'site role');
  if (target.role === 'Unlicensed') {
    throw invalidArgument('the unlicensed role is the absence of a role and cannot be revoked: grant another role instead');
  }
  const accept = (actual: string): boolean => actual !== target.role && roleRank(actual) < roleRank(user.siteRole);
  const { after, annotations } = await changeRole(env, site, user, 'Unlicensed', accept);
  env.audit.finish('revoked', after);
  const note = after === 'Unlicensed' ? [] : [metadataAnnotation({ siteRole: after })];
  return { changed: true, annotations: [...annotations, ...note] };
}
