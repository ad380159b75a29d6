/**
 * Groups and their members: list/create/update/delete groups, list members, add/remove one member
 * and the 3.21 bulk forms (`<users>` POST to add, PUT `…/users/remove` to remove).
 */
import { randomUUID } from 'node:crypto';
import { body, noContent, siteOf, versionNumber, type Reply, type RequestCtx } from './context.js';
import { SimError, badRequest, forbidden, resourceNotFound } from './errors.js';
import { groupFragment, groupNode, paginationNode, parseFields, userFragment, userNode } from './fragments.js';
import { compareText, pageParams, parseFilter, parseSort, type FilterTerm } from './query.js';
import { listingWindow, promisedTotal } from './listing-habits.js';
import { attr, child, children, type BodyTree } from './request-body.js';
import { SETTABLE_ROLES } from './roles.js';
import type { Route } from './router.js';
import type { SimGroup, SimUser, SiteStore } from './site-store.js';
import { findUser } from './routes-users.js';

const GROUP_FILTERS: Record<string, string[]> = {
  name: ['eq', 'cieq', 'in', 'like'], domainName: ['eq', 'in'], isLocal: ['eq'], minimumSiteRole: ['eq', 'in'], luid: ['eq', 'in'],
};

function findGroup(site: SiteStore, id: string | undefined): SimGroup {
  const group = id === undefined ? undefined : site.groupById(id);
  if (!group) throw resourceNotFound(`The group '${id ?? ''}' could not be found.`);
  return group;
}

function groupValue(group: SimGroup, field: string): string | null {
  if (field === 'name') return group.name;
  if (field === 'domainName') return group.domain;
  if (field === 'isLocal') return String(group.domain === 'local');
  if (field === 'minimumSiteRole') return group.minimumSiteRole;
  return group.id;
}

function groupMatches(group: SimGroup, term: FilterTerm): boolean {
  const value = groupValue(group, term.field);
  const wanted = term.values[0] ?? '';
  if (term.op === 'in') return value !== null && term.values.includes(value);
  if (term.op === 'cieq') return value?.toLowerCase() === wanted.toLowerCase();
  if (term.op === 'like') {
    const pattern = wanted.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return value !== null && new RegExp(`^${pattern}$`, 'i').test(value);
  }
  return value === wanted;
}

function listGroups(ctx: RequestCtx): Reply {
  const site = siteOf(ctx);
  const page = pageParams(ctx.query);
  const terms = parseFilter(ctx.query.get('filter'), GROUP_FILTERS);
  const keys = parseSort(ctx.query.get('sort'), ['name', 'domainName', 'userCount']);
  const groups = site.groups.filter((g) => terms.every((t) => groupMatches(g, t)));
  if (keys.length > 0) {
    groups.sort((a, b) => {
      for (const key of keys) {
        const order = key.field === 'userCount' ? site.memberCount(a) - site.memberCount(b)
          : compareText(groupValue(a, key.field)?.toLowerCase() ?? null, groupValue(b, key.field)?.toLowerCase() ?? null);
        if (order !== 0) return key.descending ? -order : order;
      }
      return 0;
    });
  }
  const { start, end } = listingWindow(ctx.habits, 'groups', groups.length, page);
  return { status: 200, pieces: [paginationNode(page.pageNumber, page.pageSize, promisedTotal(ctx.habits, 'groups', groups.length)),
    { tag: 'groups', itemTag: 'group', items: groups.slice(start, end).map((g) => groupFragment(g, site, ctx.format, ctx.habits.groupShape)) }] };
}

function checkMinimumRole(role: string | undefined): void {
  if (role !== undefined && !SETTABLE_ROLES.has(role)) {
    throw new SimError('400013', 'Invalid site role', `'${role}' is not a valid minimum site role.`);
  }
}

function createGroup(ctx: RequestCtx): Reply {
  const site = siteOf(ctx);
  const request = child(body(ctx), 'group');
  const name = attr(request, 'name');
  if (!name) throw badRequest('A group element with a name is required.');
  if (site.groupByName(name)) throw new SimError('409009', 'Group name conflict', `A group named '${name}' already exists.`);
  const imported = child(request, 'import');
  const minimumSiteRole = attr(imported, 'siteRole') ?? attr(request, 'minimumSiteRole');
  checkMinimumRole(minimumSiteRole);
  const group = site.insertGroup({
    id: randomUUID(), name, domain: attr(imported, 'domainName') ?? 'local', minimumSiteRole: minimumSiteRole ?? null,
    grantLicenseMode: attr(imported, 'grantLicenseMode') ?? attr(request, 'grantLicenseMode') ?? (minimumSiteRole ? 'onLogin' : null),
    allUsers: false,
  });
  return { status: 201, pieces: [groupNode(group, site, ctx.habits.groupShape)] };
}

function updateGroup(ctx: RequestCtx): Reply {
  const site = siteOf(ctx);
  const group = findGroup(site, ctx.params.group);
  const request = child(body(ctx), 'group');
  const name = attr(request, 'name');
  if (name !== undefined && name.toLowerCase() !== group.name.toLowerCase() && site.groupByName(name)) {
    throw new SimError('409009', 'Group name conflict', `A group named '${name}' already exists.`);
  }
  const minimumSiteRole = attr(child(request, 'import'), 'siteRole') ?? attr(request, 'minimumSiteRole');
  checkMinimumRole(minimumSiteRole);
  group.name = name ?? group.name;
  if (minimumSiteRole !== undefined) {
    group.minimumSiteRole = minimumSiteRole;
    group.grantLicenseMode ??= 'onLogin';
  }
  group.cache = {};
  return { status: 200, pieces: [groupNode(group, site, ctx.habits.groupShape)] };
}

function deleteGroup(ctx: RequestCtx): Reply {
  const site = siteOf(ctx);
  const group = findGroup(site, ctx.params.group);
  if (group.allUsers) throw forbidden('The All Users group cannot be deleted.');
  site.deleteGroup(group);
  return noContent;
}

function groupUsers(ctx: RequestCtx): Reply {
  const site = siteOf(ctx);
  const group = findGroup(site, ctx.params.group);
  const page = pageParams(ctx.query);
  const fields = parseFields(ctx.query.get('fields'));
  const total = site.memberCount(group);
  const { start, end } = listingWindow(ctx.habits, 'group-users', total, page);
  const members = site.memberSlice(group, start, end);
  const items: Buffer[] = [];
  for (let i = 0; i < members.length; i++) {
    items.push(userFragment(site.users[members[i] as number] as SimUser, ctx.world, ctx.format, fields));
  }
  return { status: 200, pieces: [paginationNode(page.pageNumber, page.pageSize, promisedTotal(ctx.habits, 'group-users', total)),
    { tag: 'users', itemTag: 'user', items }] };
}

function editableGroup(ctx: RequestCtx): { site: SiteStore; group: SimGroup } {
  const site = siteOf(ctx);
  const group = findGroup(site, ctx.params.group);
  if (group.allUsers) throw forbidden('Membership of the All Users group is managed by Tableau.');
  return { site, group };
}

function bulkIds(ctx: RequestCtx, tree: BodyTree): string[] {
  if (ctx.version < versionNumber('3.21')) throw badRequest('Adding or removing several users at once requires REST API version 3.21.');
  return children(child(tree, 'users'), 'user').map((u) => attr(u, 'id') ?? '');
}

function addMembers(ctx: RequestCtx): Reply {
  const { site, group } = editableGroup(ctx);
  const tree = body(ctx);
  if (child(tree, 'users') !== undefined) {
    // Answers with the users this call added; users already in the group are left out.
    const users = bulkIds(ctx, tree).map((id) => findUser(site, id));
    const added = users.filter((user) => site.addMember(group, user));
    return { status: 200, pieces: [{ tag: 'users', list: true, children: added.map((u) => userNode(u, ctx.world)) }] };
  }
  const user = findUser(site, attr(child(tree, 'user'), 'id'));
  if (!site.addMember(group, user)) {
    throw new SimError('409011', 'Conflict', `The user '${user.id}' is already a member of the group.`);
  }
  return { status: 200, pieces: [userNode(user, ctx.world)] };
}

function removeMember(ctx: RequestCtx): Reply {
  const { site, group } = editableGroup(ctx);
  const user = findUser(site, ctx.params.user);
  if (!site.removeMember(group, user)) {
    throw new SimError('404002', 'User not found', `The user '${user.id}' is not a member of the group.`);
  }
  return noContent;
}

function removeMembers(ctx: RequestCtx): Reply {
  const { site, group } = editableGroup(ctx);
  const users = bulkIds(ctx, body(ctx)).map((id) => findUser(site, id));
  for (const user of users) site.removeMember(group, user);
  return noContent;
}

const route = (method: string, path: string, extra: Partial<Route> & Pick<Route, 'handle'>): Route =>
  ({ method, path: new RegExp(`^/sites/(?<site>[^/]+)/groups${path}$`), auth: true, ...extra });
const GROUP = '/(?<group>[^/]+)';

export const groupRoutes: Route[] = [
  route('GET', '', { scope: 'tableau:groups:read', handle: listGroups }),
  route('POST', '', { scope: 'tableau:groups:create', admin: true, handle: createGroup }),
  route('PUT', GROUP, { scope: 'tableau:groups:update', admin: true, handle: updateGroup }),
  route('DELETE', GROUP, { scope: 'tableau:groups:delete', admin: true, handle: deleteGroup }),
  route('GET', `${GROUP}/users`, { scope: 'tableau:groups:read', handle: groupUsers }),
  route('POST', `${GROUP}/users`, { scope: 'tableau:groups:update', admin: true, handle: addMembers }),
  route('PUT', `${GROUP}/users/remove`, { minVersion: '3.21', scope: 'tableau:groups:update', admin: true, handle: removeMembers }),
  route('DELETE', `${GROUP}/users/(?<user>[^/]+)`, { scope: 'tableau:groups:update', admin: true, handle: removeMember }),
];
