/**
 * Users on a site: list, query, add, update, remove (with Tableau's content-ownership rule), a user's
 * groups, and identity-pool membership.
 */
import { randomUUID } from 'node:crypto';
import { body, noContent, siteOf, type Reply, type RequestCtx } from './context.js';
import { SimError, badRequest, userNotFound } from './errors.js';
import { groupFragment, paginationNode, parseFields, userFragment, userNode } from './fragments.js';
import { pageParams, pageWindow } from './query.js';
import { attr, child, type BodyTree } from './request-body.js';
import { SETTABLE_ROLES } from './roles.js';
import type { Route } from './router.js';
import type { SimUser, SiteStore } from './site-store.js';
import { selectUsers } from './users-query.js';
import { listingWindow, promisedTotal, unlistedUserIds } from './listing-habits.js';

const AUTH_SETTINGS = new Set(['ServerDefault', 'SAML', 'OpenID', 'OIDC', 'TableauIDWithMFA']);
const SITE = '(?<site>[^/]+)';
const USER = '(?<user>[^/]+)';

export function findUser(site: SiteStore, id: string | undefined): SimUser {
  const user = id === undefined ? undefined : site.userById(id);
  if (!user) throw userNotFound(id ?? '');
  return user;
}

function listUsers(ctx: RequestCtx): Reply {
  const site = siteOf(ctx);
  const page = pageParams(ctx.query);
  const fields = parseFields(ctx.query.get('fields'));
  const unlisted = unlistedUserIds(ctx.habits);
  const selected = selectUsers(site, ctx.query.get('filter'), ctx.query.get('sort'));
  const order = unlisted.size === 0 ? selected : Array.from(selected).filter((idx) => !unlisted.has((site.users[idx] as SimUser).id));
  const { start, end } = listingWindow(ctx.habits, 'users', order.length, page);
  const items: Buffer[] = [];
  for (let i = start; i < end; i++) {
    items.push(userFragment(site.users[order[i] as number] as SimUser, ctx.world, ctx.format, fields));
  }
  return { status: 200, pieces: [paginationNode(page.pageNumber, page.pageSize, promisedTotal(ctx.habits, 'users', order.length)),
    { tag: 'users', itemTag: 'user', items }] };
}

function queryUser(ctx: RequestCtx): Reply {
  const user = findUser(siteOf(ctx), ctx.params.user);
  return { status: 200, pieces: [userNode(user, ctx.world, parseFields(ctx.query.get('fields')))] };
}

/** 409005 for Guest, 400013 for ServerAdministrator or unknown roles. */
function checkRequestedRole(role: string): void {
  if (role === 'Guest') throw new SimError('409005', 'Guest user conflict', 'The API does not allow adding a user with the Guest role.');
  if (!SETTABLE_ROLES.has(role)) throw new SimError('400013', 'Invalid site role', `'${role}' is not a site role that can be set.`);
}

function checkAuthSetting(value: string | undefined): void {
  if (value !== undefined && !AUTH_SETTINGS.has(value)) {
    throw new SimError('400003', 'Bad Request', `The authSetting '${value}' is not supported for this site.`);
  }
}

function addUser(ctx: RequestCtx): Reply {
  const site = siteOf(ctx);
  const request = child(body(ctx), 'user');
  const name = attr(request, 'name');
  const role = attr(request, 'siteRole');
  if (!name || !role) throw badRequest('A user element with name and siteRole is required.');
  checkRequestedRole(role);
  checkAuthSetting(attr(request, 'authSetting'));
  if (site.userByName(name)) throw new SimError('409017', 'User conflict', `A user named '${name}' already exists on the site.`);
  const user = site.insertUser({
    id: randomUUID(), name, email: attr(request, 'email') ?? '', fullName: attr(request, 'fullName') ?? name,
    siteRole: site.effectiveRole(role, undefined),
    authSetting: attr(request, 'authSetting') ?? (ctx.settings.cloud ? 'TableauIDWithMFA' : 'ServerDefault'),
    lastLogin: null, domain: 'local', externalAuthUserId: '', identityPoolUuid: null,
  });
  return { status: 201, pieces: [userNode(user, ctx.world, ['id', 'name', 'siteRole', 'authSetting', 'externalAuthUserId'])] };
}

function applyUserUpdate(site: SiteStore, user: SimUser, request: BodyTree): void {
  const role = attr(request, 'siteRole');
  if (role !== undefined) checkRequestedRole(role);
  checkAuthSetting(attr(request, 'authSetting'));
  const name = attr(request, 'name');
  if (name !== undefined && name.toLowerCase() !== user.name.toLowerCase() && site.userByName(name)) {
    throw new SimError('409000', 'User conflict', `A user named '${name}' already exists on the site.`);
  }
  user.fullName = attr(request, 'fullName') ?? user.fullName;
  user.email = attr(request, 'email') ?? user.email;
  user.authSetting = attr(request, 'authSetting') ?? user.authSetting;
  if (role !== undefined) user.siteRole = site.effectiveRole(role, user);
  site.touchUser(user);
}

function updateUser(ctx: RequestCtx): Reply {
  const site = siteOf(ctx);
  const user = findUser(site, ctx.params.user);
  const request = child(body(ctx), 'user');
  if (!request) throw badRequest('A user element is required.');
  applyUserUpdate(site, user, request);
  return { status: 200, pieces: [userNode(user, ctx.world, ['name', 'fullName', 'email', 'siteRole', 'authSetting'])] };
}

function removeUser(ctx: RequestCtx): Reply {
  const site = siteOf(ctx);
  const user = findUser(site, ctx.params.user);
  const owned = site.contentOwnedBy(user.idx);
  const mapTo = ctx.query.get('mapAssetsTo');
  if (mapTo !== null) {
    const heir = findUser(site, mapTo);
    for (const item of owned) item.ownerIdx = heir.idx;
  } else if (owned.length > 0) {
    // Tableau keeps a user who still owns content, demoted to Unlicensed.
    user.siteRole = 'Unlicensed';
    site.touchUser(user);
    throw new SimError('409003', 'User owns content',
      `The user owns ${owned.length} content items and was set to Unlicensed instead of being removed; pass mapAssetsTo.`);
  }
  site.removeUser(user);
  return noContent;
}

function groupsOfUser(ctx: RequestCtx): Reply {
  const site = siteOf(ctx);
  const groups = site.groupsOf(findUser(site, ctx.params.user));
  const page = pageParams(ctx.query);
  const { start, end } = pageWindow(groups.length, page);
  return { status: 200, pieces: [paginationNode(page.pageNumber, page.pageSize, groups.length),
    { tag: 'groups', itemTag: 'group', items: groups.slice(start, end).map((g) => groupFragment(g, site, ctx.format, ctx.habits.groupShape)) }] };
}

function requireServer(ctx: RequestCtx): void {
  if (ctx.settings.cloud) throw new SimError('404003', 'Resource Not Found', 'Identity pools are not available on Tableau Cloud.');
}

/**
 * Add User to Identity Pool. Tableau shows one pool per user, so the simulator keeps one: a user in
 * this pool is 429001 (User conflict), in another pool 429002, and a disabled pool refuses with 429003.
 * Tableau's codes start with the HTTP status, so these answers are 429s (not rate limiting).
 */
function addToPool(ctx: RequestCtx): Reply {
  requireServer(ctx);
  const site = siteOf(ctx);
  const request = child(body(ctx), 'user');
  const pool = ctx.world.poolByUuid(attr(request, 'identityPoolUuid') ?? '');
  if (!pool) throw new SimError('404001', 'Resource not found', 'The identity pool could not be found.');
  const id = attr(request, 'id');
  const name = attr(request, 'name');
  let user = id !== undefined ? findUser(site, id) : name !== undefined ? site.userByName(name) : undefined;
  if (user?.identityPoolUuid?.toLowerCase() === pool.uuid.toLowerCase()) {
    throw new SimError('429001', 'User conflict', `The user is already a member of the identity pool '${pool.name}'.`);
  }
  if (user?.identityPoolUuid) throw new SimError('429002', 'User conflict', 'The user is a member of another identity pool.');
  if (!pool.enabled) throw new SimError('429003', 'Identity pool disabled', `The identity pool '${pool.name}' is disabled.`);
  if (!user) {
    if (!name) throw badRequest('A user id or name is required.');
    const role = attr(request, 'siteRole') ?? 'Unlicensed';
    checkRequestedRole(role);
    user = site.insertUser({ id: randomUUID(), name, email: '', fullName: name, siteRole: site.effectiveRole(role, undefined),
      authSetting: 'ServerDefault', lastLogin: null, domain: 'local', externalAuthUserId: '', identityPoolUuid: null });
  }
  user.identityPoolUuid = pool.uuid;
  site.touchUser(user);
  return { status: 200, pieces: [userNode(user, ctx.world)] };
}

function removeFromPool(ctx: RequestCtx): Reply {
  requireServer(ctx);
  const site = siteOf(ctx);
  const user = findUser(site, ctx.params.user);
  if (user.identityPoolUuid?.toLowerCase() !== (ctx.params.pool ?? '').toLowerCase()) {
    throw new SimError('404001', 'Resource not found', 'The user is not in that identity pool.');
  }
  user.identityPoolUuid = null;
  site.touchUser(user);
  return noContent;
}

const route = (method: string, path: string, extra: Partial<Route> & Pick<Route, 'handle'>): Route =>
  ({ method, path: new RegExp(`^/sites/${SITE}/users${path}$`), auth: true, ...extra });

export const userRoutes: Route[] = [
  route('GET', '', { scope: 'tableau:users:read', handle: listUsers }),
  route('POST', '', { scope: 'tableau:users:create', admin: true, handle: addUser }),
  route('POST', '/identityPool', { minVersion: '3.19', scope: 'tableau:users:update', admin: true, handle: addToPool }),
  route('GET', `/${USER}`, { scope: 'tableau:users:read', handle: queryUser }),
  route('PUT', `/${USER}`, { scope: 'tableau:users:update', admin: true, handle: updateUser }),
  route('DELETE', `/${USER}`, { scope: 'tableau:users:delete', admin: true, handle: removeUser }),
  route('GET', `/${USER}/groups`, { minVersion: '3.7', scope: 'tableau:groups:read', handle: groupsOfUser }),
  route('DELETE', `/${USER}/identityPool/(?<pool>[^/]+)`, { minVersion: '3.19', scope: 'tableau:users:update', admin: true,
    handle: removeFromPool }),
];
