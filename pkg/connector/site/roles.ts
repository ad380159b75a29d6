/**
 * Tableau site roles as the Baton model sees them: the entitlement slug of each role on its site
 * and the license tier (seat) it consumes. Facts from the reference table of Tableau site roles
 * (current roles by their `license`, legacy pre-2018.1 roles by the role they were upgraded to).
 */
import type { SiteRole } from '../../tableau/types.js';

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

/** Pre-2018.1 roles still seen in responses, read as the role they were upgraded to (the one legacy table). */
const LEGACY_ROLES: Readonly<Record<string, string>> = {
  Interactor: 'Explorer',
  Publisher: 'ExplorerCanPublish',
  SiteAdministrator: 'SiteAdministratorExplorer',
  ViewerWithPublish: 'Viewer',
  UnlicensedWithPublish: 'Unlicensed',
};

const CURRENT_TIERS: ReadonlyArray<readonly [string, LicenseTier]> = [
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
];

/** Current roles by their license; legacy roles by the tier of the role they were upgraded to. */
const TIER_OF_ROLE: ReadonlyMap<string, LicenseTier> = (() => {
  const tiers = new Map(CURRENT_TIERS);
  for (const [legacy, successor] of Object.entries(LEGACY_ROLES)) tiers.set(legacy, tiers.get(successor) ?? 'unlicensed');
  return tiers;
})();

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

/** `System` = server administrator, `Site` = site administrator. */
type AdminLevel = 'System' | 'Site' | 'None';

interface RoleFacts {
  /** The seat the role takes: always the sync side's answer (licenseTierOf), so both sides agree. */
  tier: LicenseTier;
  admin: AdminLevel;
  canPublish: boolean;
  /** Whether Update User / Add User accept this value. */
  settable: boolean;
}

const CURRENT_ROLES: Record<string, Omit<RoleFacts, 'tier'>> = {
  ServerAdministrator: { admin: 'System', canPublish: true, settable: false },
  SiteAdministratorCreator: { admin: 'Site', canPublish: true, settable: true },
  SiteAdministratorExplorer: { admin: 'Site', canPublish: true, settable: true },
  Creator: { admin: 'None', canPublish: true, settable: true },
  ExplorerCanPublish: { admin: 'None', canPublish: true, settable: true },
  Explorer: { admin: 'None', canPublish: false, settable: true },
  Viewer: { admin: 'None', canPublish: false, settable: true },
  Unlicensed: { admin: 'None', canPublish: false, settable: true },
  // Tableau: Guest is core-licensing only and Add User answers 409005; SupportUser is Tableau staff.
  Guest: { admin: 'None', canPublish: false, settable: false },
  SupportUser: { admin: 'None', canPublish: false, settable: false },
  ReadOnly: { admin: 'None', canPublish: false, settable: false },
};

const UNKNOWN_ROLE: Omit<RoleFacts, 'tier'> = { admin: 'None', canPublish: false, settable: false };

/** Facts of any role string Tableau may send (legacy roles by their successor; unknown → unlicensed). */
function roleFacts(role: SiteRole): RoleFacts {
  const tier = licenseTierOf(role);
  const current = CURRENT_ROLES[role];
  if (current) return { ...current, tier };
  const successor = LEGACY_ROLES[role];
  const legacy = successor ? CURRENT_ROLES[successor] : undefined;
  return legacy ? { ...legacy, tier, settable: false } : { ...UNKNOWN_ROLE, tier };
}

/** True for roles Update User accepts (ServerAdministrator, Guest, legacy roles... are not). */
export const isSettableRole = (role: SiteRole): boolean => roleFacts(role).settable;

const ROLE_OF_KNOWN_SLUG = new Map([...KNOWN_ROLE_SLUGS].map(([role, slug]) => [slug, role]));

/** The site role of a slug; unknown words are joined back in PascalCase (`support user` → `SupportUser`). */
export function roleOfSlug(slug: string): SiteRole {
  const known = ROLE_OF_KNOWN_SLUG.get(slug);
  if (known !== undefined) return known;
  return slug
    .split(' ')
    .filter((word) => word.length > 0)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

const TIER_RANK: Record<LicenseTier, number> = { unlicensed: 0, viewer: 1, explorer: 2, creator: 3 };

/** Orders tiers, lowest first: unlicensed, viewer, explorer, creator. */
export const tierRank = (tier: LicenseTier): number => TIER_RANK[tier];

/**
 * A total order on roles by access (tier first, then publish, then admin level), used to tell
 * "Tableau gave less than asked" (seats) from "Tableau gave more than asked" (grant-license-on-sign-in).
 */
export function roleRank(role: SiteRole): number {
  const facts = roleFacts(role);
  const adminRank = facts.admin === 'System' ? 2 : facts.admin === 'Site' ? 1 : 0;
  return TIER_RANK[facts.tier] * 100 + adminRank * 10 + (facts.canPublish ? 1 : 0);
}

/**
 * The role a user should get when moved into `tier`, keeping their admin level and publish right
 * where the tier allows it. The whole table:
 *
 * | current (admin, publish)      | creator                  | explorer                  | viewer | unlicensed |
 * |-------------------------------|--------------------------|---------------------------|--------|------------|
 * | System (ServerAdministrator)  | refused                  | refused                   | refused| refused    |
 * | Site                          | SiteAdministratorCreator | SiteAdministratorExplorer | refused| refused    |
 * | None, can publish             | Creator                  | ExplorerCanPublish        | Viewer | Unlicensed |
 * | None, cannot publish          | Creator                  | Explorer                  | Viewer | Unlicensed |
 *
 * Viewer and Unlicensed cannot publish, so moving a publisher there drops the publish right: the tier
 * the caller asked for wins over the publish right. Creator always publishes. Admin levels are never
 * demoted here ("refused" = `undefined`): a site administrator needs at least an Explorer license.
 */
export function roleForTier(currentRole: SiteRole, tier: LicenseTier): SiteRole | undefined {
  const { admin, canPublish } = roleFacts(currentRole);
  if (admin === 'System') return undefined;
  if (admin === 'Site') {
    if (tier === 'creator') return 'SiteAdministratorCreator';
    if (tier === 'explorer') return 'SiteAdministratorExplorer';
    return undefined;
  }
  if (tier === 'creator') return 'Creator';
  if (tier === 'explorer') return canPublish ? 'ExplorerCanPublish' : 'Explorer';
  if (tier === 'viewer') return 'Viewer';
  return 'Unlicensed';
}

/** Display name of a tier as Tableau writes it in its UI and errors (`Creator`). */
export const tierLabel = (tier: LicenseTier): string => tier.charAt(0).toUpperCase() + tier.slice(1);
