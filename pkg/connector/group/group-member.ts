/**
 * `group:<groupLuid>:member` entitlements: add or remove a user. Only local groups are editable:
 * "All Users" membership is implicit, and AD/LDAP/IdP groups are re-synced by their directory, which
 * would silently undo a REST change (REST-API §0.9, §10).
 */
import { groupManagement } from '../../tableau/group-management.js';
import type { TableauGroup } from '../../tableau/types.js';
import { failedPrecondition, invalidArgument, notFound } from '../errors.js';
import { grantAlreadyExists, grantAlreadyRevoked } from '../provisioning/annotations.js';
import type { GrantOutcome, OpEnv } from '../provisioning/context.js';
import { MEMBER_SLUG, type EntitlementRef } from '../ids.js';
import { refuseScimManaged } from '../scim-management.js';
import type { MembershipBatcher, MembershipChange } from './membership-batcher.js';
import { calls, dryRunAnnotation } from '../provisioning/plan.js';
import { requireUser, userOnSite } from '../site/role-change.js';
import { isNotFound, type SiteRef } from '../provisioning/locator.js';

/** What a `group:<groupLuid>:member` entitlement grants: membership of one group. */
export interface GroupTarget {
  kind: 'group-member';
  groupLuid: string;
  entitlementId: string;
}

/** The group an entitlement of the `group` type names; INVALID_ARGUMENT for any slug but `member`. */
export function groupMemberTarget(ref: EntitlementRef): GroupTarget {
  if (ref.slug !== MEMBER_SLUG) throw invalidArgument(`group entitlement "${ref.entitlementId}" is unknown (only "member")`);
  return { kind: 'group-member', groupLuid: ref.resource, entitlementId: ref.entitlementId };
}

const ALL_USERS = 'All Users';

function requireEditable(group: TableauGroup): void {
  if (group.name === ALL_USERS) {
    throw failedPrecondition('membership of "All Users" is implicit: every user of the site is a member');
  }
  const management = groupManagement(group);
  if (management.managedBy === 'directory') {
    throw failedPrecondition(
      `group ${group.name} is managed by the directory ${management.domainName}: a change made in Tableau would be undone by the next directory sync; change it in the directory`,
    );
  }
}

async function locateGroup(target: GroupTarget, env: OpEnv): Promise<{ site: SiteRef; group: TableauGroup }> {
  const found = await env.directory.findGroup(target.groupLuid, env.signal);
  if (!found) throw notFound(`group ${target.groupLuid} does not exist on any configured site`);
  env.audit.site = found.site.id;
  requireEditable(found.group);
  await refuseScimManaged(env, found.site, { group: found.group }, 'membership');
  return found;
}

export async function grantGroupMember(target: GroupTarget, userLuid: string, env: OpEnv, batcher: MembershipBatcher): Promise<GrantOutcome> {
  return changeMembership('add', target, userLuid, env, batcher);
}

export async function revokeGroupMember(target: GroupTarget, userLuid: string, env: OpEnv, batcher: MembershipBatcher): Promise<GrantOutcome> {
  return changeMembership('remove', target, userLuid, env, batcher);
}

async function changeMembership(
  kind: MembershipChange,
  target: GroupTarget,
  userLuid: string,
  env: OpEnv,
  batcher: MembershipBatcher,
): Promise<GrantOutcome> {
  const { site, group } = await locateGroup(target, env);
  if (env.dryRun) return planMembership(kind, site, group, userLuid, env);
  let result;
  try {
    result = await batcher.submit(site, group.id, kind, userLuid, env.signal);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    throw notFound(`user ${userLuid} is not on site ${site.id}, or group ${group.name} (${group.id}) no longer exists`);
  }
  const changed = result === 'changed';
  env.audit.before = beforeState(kind, changed);
  const after = kind === 'add' ? 'member' : 'not a member';
  if (!changed) {
    env.audit.finish(kind === 'add' ? 'already-exists' : 'already-revoked', after);
    return { changed, annotations: [kind === 'add' ? grantAlreadyExists() : grantAlreadyRevoked()] };
  }
  env.audit.finish(kind === 'add' ? 'granted' : 'revoked', after);
  return { changed, annotations: [] };
}

const beforeState = (kind: MembershipChange, changed: boolean): string =>
  (kind === 'add') === changed ? 'not a member' : 'member';

/** Dry run: read the user and the membership (no batching), answer with the call that would be made. */
async function planMembership(
  kind: MembershipChange,
  site: SiteRef,
  group: TableauGroup,
  userLuid: string,
  env: OpEnv,
): Promise<GrantOutcome> {
  const user = await userOnSite(site, userLuid, env);
  if (kind === 'add') requireUser(user, userLuid, `site ${site.id} (the site of group ${group.name})`);
  let member = false;
  if (user) {
    for await (const u of site.client.groupUsers(group.id, { signal: env.signal })) if (u.id === userLuid) member = true;
  }
  env.audit.before = member ? 'member' : 'not a member';
  if (member === (kind === 'add')) {
    env.audit.finish(kind === 'add' ? 'already-exists' : 'already-revoked', env.audit.before);
    return { changed: false, annotations: [kind === 'add' ? grantAlreadyExists() : grantAlreadyRevoked()] };
  }
  const planned = [kind === 'add' ? calls.addToGroup(site.id, group.id, userLuid) : calls.removeFromGroup(site.id, group.id, userLuid)];
  env.log.info({ dryRun: true, calls: planned }, 'dry run: would change a group membership');
  env.audit.finish(kind === 'add' ? 'granted' : 'revoked', kind === 'add' ? 'member' : 'not a member');
  const verb = kind === 'add' ? 'add' : 'remove';
  return { changed: true, annotations: [dryRunAnnotation(planned, `${verb} ${user?.name ?? userLuid} ${kind === 'add' ? 'to' : 'from'} group ${group.name}`)] };
}
