/**
 * Tableau site roles as the Baton model sees them: the entitlement slug of each role on its site
 * and the license tier (seat) it consumes. Facts from the reference table of Tableau site roles
 * (current roles by their `license`, legacy pre-2018.1 roles by the role they were upgraded to).
 */

/** The license tiers, which are also the ids of the `license` resources. */
export type LicenseTier = 'creator' | 'explorer' | 'viewer' | 'unlicensed';

export const LICENSE_TIERS: readonly LicenseTier[] = ['creator', 'explorer', 'viewer', 'unlicensed'];

/**
 * The roles with a fixed entitlement on every site, and their slugs (CONTRACTS §3, the slugs of the
 * Go connector: ids must stay stable forever).
 */
export const KNOWN_ROLE_SLUGS: ReadonlyMap<string, string> = new Map([
  ['SiteAdministratorCreator', 'site administrator creator'],
  ['SiteAdministratorExplorer', 'site administrator explorer'],
  ['SiteAdministrator', 'site administrator'],
  ['ServerAdministrator', 'server administrator'],
  ['Creator', 'creator'],
  ['Explorer', 'explorer'],
  ['ExplorerCanPublish', 'explorer can publish'],
  ['Viewer', 'viewer'],
  ['Unlicensed', 'unlicensed'],
  ['ReadOnly', 'readonly'],
]);

const TIER_OF_ROLE: ReadonlyMap<string, LicenseTier> = new Map([
  ['ServerAdministrator', 'creator'],
  ['SiteAdministratorCreator', 'creator'],
  ['Creator', 'creator'],
  ['SiteAdministratorExplorer', 'explorer'],
  ['ExplorerCanPublish', 'explorer'],
  ['Explorer', 'explorer'],
  ['Viewer', 'viewer'],
  // Tableau Cloud support staff: counted as Viewer like Tableau's own migration tooling does.
  ['SupportUser', 'viewer'],
  ['Unlicensed', 'unlicensed'],
  // Guest (core licensing) and ReadOnly consume no seat.
  ['Guest', 'unlicensed'],
  ['ReadOnly', 'unlicensed'],
  // Legacy roles, by the current role they were upgraded to.
  ['Interactor', 'explorer'],
  ['Publisher', 'explorer'],
  ['SiteAdministrator', 'explorer'],
  ['ViewerWithPublish', 'viewer'],
  ['UnlicensedWithPublish', 'unlicensed'],
]);

/**
 * License tier of a site role. A role this table does not know is counted as `unlicensed`: we cannot
 * tell which seat it takes, and claiming a paid seat that may not exist would mislead an access review.
 */
export function licenseTierOf(siteRole: string): LicenseTier {
  return TIER_OF_ROLE.get(siteRole) ?? 'unlicensed';
}

/** Whether Tableau knows the role (the caller may want to log the others once). */
export function isRecognisedRole(siteRole: string): boolean {
  return TIER_OF_ROLE.has(siteRole) || KNOWN_ROLE_SLUGS.has(siteRole);
}

/**
 * Entitlement slug of a site role: the fixed slug for known roles, otherwise the role's words in lower
 * case (`SupportUser` → `support user`). Never empty, never containing `:` (ids are raw joins).
 */
export function roleSlug(siteRole: string): string {
  const known = KNOWN_ROLE_SLUGS.get(siteRole);
  if (known !== undefined) return known;
  const words = siteRole
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  return words.length > 0 ? words.join(' ') : 'unknown role';
}

/** Users whose role gives them no access to the site are reported as disabled accounts. */
export function isDisabledRole(siteRole: string): boolean {
  return siteRole === 'Unlicensed' || siteRole === 'UnlicensedWithPublish';
}

/** Display form of a tier: `creator` → `Creator`. */
export function tierDisplayName(tier: LicenseTier): string {
  return tier.charAt(0).toUpperCase() + tier.slice(1);
}
