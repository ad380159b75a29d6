/**
 * `license:<tier>:member` entitlements: the license tier of the user's site role. A grant moves the
 * user into the tier keeping admin level and publish right (the table at `roleForTier`); a revoke
 * sets Unlicensed when the user is in that tier. The user's site comes from the configured sites
 * (the license resource has no site).
 */
import { failedPrecondition, invalidArgument, notFound } from '../errors.js';
import { grantAlreadyExists, grantAlreadyRevoked, grantReplaced, metadataAnnotation } from '../provisioning/annotations.js';
import type { GrantOutcome, OpEnv } from '../provisioning/context.js';
import { entitlementIdOf, grantIdOf, MEMBER_SLUG, type EntitlementRef } from '../ids.js';
import { changeRole, refuseServerAdministrator } from '../site/role-change.js';
import { LICENSE_TIERS, roleForTier, tierLabel, licenseTierOf, tierRank, type LicenseTier } from '../site/roles.js';
import { refuseScimManaged } from '../scim-management.js';

/** What a `license:<tier>:member` entitlement grants: a seat of one license tier. */
export interface LicenseTarget {
  kind: 'license';
  tier: LicenseTier;
  entitlementId: string;
}

/** The tier an entitlement of the `license` type names; INVALID_ARGUMENT for any other. */
export function licenseTarget(ref: EntitlementRef): LicenseTarget {
  const tier = LICENSE_TIERS.find((t) => t === ref.resource);
  if (!tier || ref.slug !== MEMBER_SLUG) throw invalidArgument(`license entitlement "${ref.entitlementId}" is unknown`);
  return { kind: 'license', tier, entitlementId: ref.entitlementId };
}

export async function grantLicense(target: LicenseTarget, userLuid: string, env: OpEnv): Promise<GrantOutcome> {
  const found = await env.directory.findUser(userLuid, env.signal);
  if (!found) throw notFound(`user ${userLuid} does not exist on any configured site`);
  const { site, user } = found;
  env.audit.site = site.id;
  env.audit.before = user.siteRole;
  refuseServerAdministrator(user);
  await refuseScimManaged(env, site, { user }, 'license');
  const currentTier = licenseTierOf(user.siteRole);
  if (currentTier === target.tier) {
    env.audit.finish('already-exists', user.siteRole);
    return { changed: false, annotations: [grantAlreadyExists()] };
  }
  const role = roleForTier(user.siteRole, target.tier);
  if (!role) {
    throw failedPrecondition(
      `user ${user.name} is a site administrator (${user.siteRole}), which needs at least an Explorer license: ` +
        `a ${tierLabel(target.tier)} license would remove the administrator role`,
    );
  }
  const { after, annotations } = await changeRole(env, site, user, role);
  env.audit.finish('granted', after);
  const replaced = grantIdOf(entitlementIdOf('license', currentTier, MEMBER_SLUG), user.id);
  return { changed: true, annotations: [grantReplaced(replaced), ...annotations] };
}

/**
 * Sets Unlicensed when the user is in the revoked tier. A site administrator loses the admin role with
 * the license (revoking the license is an explicit request to free the seat). Like site-role revokes,
 * a resulting role in a lower tier than the revoked one (a sign-in group) is accepted and reported.
 */
export async function revokeLicense(target: LicenseTarget, userLuid: string, env: OpEnv): Promise<GrantOutcome> {
  const found = await env.directory.findUser(userLuid, env.signal);
  const user = found?.user;
  env.audit.site = found?.site.id ?? '';
  env.audit.before = user?.siteRole;
  if (!found || !user || licenseTierOf(user.siteRole) !== target.tier) {
    env.audit.finish('already-revoked', user?.siteRole);
    return { changed: false, annotations: [grantAlreadyRevoked()] };
  }
  refuseServerAdministrator(user);
  await refuseScimManaged(env, found.site, { user }, 'license');
  if (target.tier === 'unlicensed') {
    throw invalidArgument('the unlicensed tier is the absence of a license and cannot be revoked: grant a tier instead');
  }
  const accept = (actual: string): boolean => tierRank(licenseTierOf(actual)) < tierRank(target.tier);
  const { after, annotations } = await changeRole(env, found.site, user, 'Unlicensed', accept);
  env.audit.finish('revoked', after);
  const note = after === 'Unlicensed' ? [] : [metadataAnnotation({ siteRole: after })];
  return { changed: true, annotations: [...annotations, ...note] };
}
