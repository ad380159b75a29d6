/**
 * Writing a site role safely. Tableau may answer an Update User with a role other than the one asked
 * for (REST-API §0.7, §9): no seat left in the tier (the user becomes Unlicensed) or a group with
 * grant-license-on-sign-in holding the user at its minimum role. So every write reads the role back
 * (the Update User answer and a fresh Query User); when it differs and the caller does not accept the
 * result, the previous role is restored and the request fails with FAILED_PRECONDITION naming the cause.
 */
import type { Logger } from 'pino';
import { Listing } from '../../tableau/index.js';
import type { SiteRole, TableauGroup, TableauUser } from '../../tableau/types.js';
import { failedPrecondition } from '../errors.js';
import { roleRank, tierLabel, licenseTierOf } from './roles.js';
import type { Locator, SiteRef } from '../provisioning/locator.js';

/** One role change of one user. */
export interface RoleWrite {
  site: SiteRef;
  /** The user as read just before the write (its role is the one restored on failure). */
  user: TableauUser;
  role: SiteRole;
  signal: AbortSignal;
  log: Logger;
  /** Accept a resulting role other than `role` (revokes accept any role that no longer holds the grant). */
  accept?: (actual: SiteRole) => boolean;
}

/** Sets the role and returns the role Tableau reports afterwards (== `role` unless `accept` allowed it). */
export async function writeRoleVerified(write: RoleWrite, directory: Locator): Promise<SiteRole> {
  const { site, user, role, signal } = write;
  const answered = await site.client.updateUser(user.id, { siteRole: role }, signal);
  const actual = (await site.client.getUser(user.id, signal)).siteRole;
  if (actual === role || write.accept?.(actual)) {
    if (answered.siteRole !== actual) write.log.warn({ answered: answered.siteRole, actual }, 'Update User answer differs from Query User');
    return actual;
  }
  const reason = await explainRoleMismatch(write, actual, directory);
  const restored = await restoreRole(write, actual);
  throw failedPrecondition(
    `Tableau set site role ${actual} instead of ${role} for user ${user.name}: ${reason}; ` +
      (restored ? `the previous role ${user.siteRole} was restored` : `restoring ${user.siteRole} failed, the user is now ${actual}`),
  );
}

async function restoreRole(write: RoleWrite, actual: SiteRole): Promise<boolean> {
  const { site, user, signal, log } = write;
  if (actual === user.siteRole) return true;
  try {
    await site.client.updateUser(user.id, { siteRole: user.siteRole }, signal);
    return (await site.client.getUser(user.id, signal)).siteRole === user.siteRole;
  } catch (err) {
    log.error({ err, userId: user.id, role: user.siteRole }, 'restoring the previous site role failed');
    return false;
  }
}

/** Why Tableau gave `actual` instead of `write.role`: less → no seats, more → a sign-in (GLSI) group. */
export async function explainRoleMismatch(write: Omit<RoleWrite, 'accept'>, actual: SiteRole, directory: Locator): Promise<string> {
  try {
    if (roleRank(actual) < roleRank(write.role)) return await seatsReason(write);
    return await signInGrantReason(write, actual, directory);
  } catch (err) {
    write.log.warn({ err }, 'could not find out why Tableau changed the requested role');
    return 'Tableau did not keep the requested role';
  }
}

async function seatsReason({ site, role, signal }: Omit<RoleWrite, 'accept'>): Promise<string> {
  const info = await site.client.getSite({ includeUsage: true, signal });
  const tier = licenseTierOf(role);
  const label = tierLabel(tier);
  const capacity =
    tier === 'creator' ? info.tierCreatorCapacity : tier === 'explorer' ? info.tierExplorerCapacity : info.tierViewerCapacity;
  const used =
    tier === 'creator' ? info.usage?.numCreators : tier === 'explorer' ? info.usage?.numExplorers : info.usage?.numViewers;
  const siteName = info.name || info.contentUrl || site.id;
  if (capacity !== undefined && used !== undefined && used >= capacity) {
    return `no ${label} seats left on site ${siteName} (${used} of ${capacity} in use)`;
  }
  const users = info.usage?.numUsers;
  if (info.userQuota !== undefined && users !== undefined && users >= info.userQuota) {
    return `site ${siteName} has reached its user quota (${users} of ${info.userQuota})`;
  }
  return `Tableau did not assign a ${label} license on site ${siteName} (license capacity)`;
}

async function signInGrantReason(write: Omit<RoleWrite, 'accept'>, actual: SiteRole, directory: Locator): Promise<string> {
  const { site, user, signal } = write;
  const known = await directory.groupsOfSite(site, signal);
  // Every page: the sign-in group of a user in more than a page of groups may be on a later one.
  const groupsOfUser = new Listing<TableauGroup>({
    what: `groups of user ${user.id}`,
    idOf: (group) => group.id,
    read: (pageNumber, pageSize, s) => site.client.groupsForUser(user.id, { pageNumber, pageSize, signal: s }),
  });
  const groups: TableauGroup[] = [];
  for await (const group of groupsOfUser.items({ signal })) groups.push(group);
  const withMinimum = groups
    .map((g): TableauGroup => ({ ...known.get(g.id), ...g, minimumSiteRole: g.minimumSiteRole ?? known.get(g.id)?.minimumSiteRole }))
    .filter((g) => g.minimumSiteRole !== undefined && roleRank(g.minimumSiteRole) > roleRank(write.role))
    .sort((a, b) => roleRank(b.minimumSiteRole ?? '') - roleRank(a.minimumSiteRole ?? ''));
  const group = withMinimum[0];
  if (group) return `group ${group.name} grants at least ${group.minimumSiteRole ?? actual} on sign-in`;
  if (user.glsiMinimumSiteRole) return `a group grants at least ${user.glsiMinimumSiteRole} on sign-in`;
  return `Tableau kept ${actual} (a group or site setting grants it)`;
}
