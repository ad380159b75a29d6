/**
 * The SCIM 2.0 read endpoints of SCIM-enabled sites (`--scim`), shaped after Tableau Cloud's SCIM
 * service (a separate service from REST, RFC 7644):
 *   GET /pods/sim/sites/SITE_LUID/scim/v2/Users[?startIndex&count&filter=userName eq "…"]
 *   GET /pods/sim/sites/SITE_LUID/scim/v2/Groups[?startIndex&count&filter=displayName eq "…"&excludedAttributes=members]
 *   GET …/Users/ID, …/Groups/ID
 * with `Authorization: Bearer <the site's SCIM secret>`. Lists hold exactly the IdP-managed users and
 * groups, at most {@link MAX_COUNT} a page so that clients must page. Read-only: writes answer 501.
 */
import type { SimSiteScim } from './scim.js';
import type { SimGroup, SimUser, SiteStore } from './site-store.js';
import type { OutgoingResponse } from './types.js';
import type { World } from './world.js';

/** Where a site's SCIM service lives on the simulator (the pod is always `sim`). */
export const scimBasePath = (siteId: string): string => `/pods/sim/sites/${siteId}/scim/v2`;

const SCIM_PATH = /^\/pods\/[^/]+\/sites\/([^/]+)\/scim\/v2\/(Users|Groups)(?:\/([^/]+))?$/;
const MAX_COUNT = 25;
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const TABLEAU_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:tableau:3.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const FILTER = /^\s*(userName|displayName)\s+eq\s+(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*$/i;

type Json = Record<string, unknown>;

/** Whether the path is a SCIM path (anything under `/pods/`). */
export const isScimPath = (pathname: string): boolean => pathname.startsWith('/pods/');

/** Answers one SCIM request. */
export function scimResponse(world: World, method: string, url: URL, authorization: string | undefined): OutgoingResponse {
  const match = SCIM_PATH.exec(url.pathname);
  const site = match ? world.siteById(match[1] ?? '') : undefined;
  const scim = site ? world.scim?.site(site.meta.id) : undefined;
  if (!match || !site || !scim) return scimError(404, 'Resource not found');
  if (authorization !== `Bearer ${scim.token}`) return scimError(401, 'Unauthorized');
  if (method !== 'GET') return scimError(501, 'The simulator serves SCIM reads only');
  const users = match[2] === 'Users';
  const all = users ? managedUsers(site, scim).map(userJson) : managedGroups(site, scim).map(groupJson);
  const id = match[3];
  if (id !== undefined) {
    const found = all.find((r) => String(r['id']).toLowerCase() === id.toLowerCase());
    return found ? reply(200, found) : scimError(404, `${users ? 'User' : 'Group'} ${id} not found`);
  }
  const filter = url.searchParams.get('filter');
  let matching = all;
  if (filter !== null) {
    const parsed = FILTER.exec(filter);
    if (!parsed) return scimError(400, `Unsupported filter: ${filter}`, 'invalidFilter');
    const attribute = parsed[1]?.toLowerCase() === 'username' ? 'userName' : 'displayName';
    const value = (parsed[2] !== undefined ? (JSON.parse(`"${parsed[2]}"`) as string) : (parsed[3] ?? '')).toLowerCase();
    matching = all.filter((r) => String(r[attribute] ?? '').toLowerCase() === value);
  }
  const startIndex = Math.max(1, Number.parseInt(url.searchParams.get('startIndex') ?? '1', 10) || 1);
  const count = Math.min(MAX_COUNT, Math.max(0, Number.parseInt(url.searchParams.get('count') ?? String(MAX_COUNT), 10) || 0));
  const page = matching.slice(startIndex - 1, startIndex - 1 + count);
  return reply(200, { schemas: [LIST_SCHEMA], totalResults: matching.length, startIndex, itemsPerPage: page.length, Resources: page });
}

function managedUsers(site: SiteStore, scim: SimSiteScim): SimUser[] {
  return site.liveUsers().map((idx) => site.users[idx] as SimUser).filter((u) => scim.users.has(u.id.toLowerCase()));
}

function managedGroups(site: SiteStore, scim: SimSiteScim): SimGroup[] {
  return site.groups.filter((g) => scim.groups.has(g.id.toLowerCase()));
}

function userJson(user: SimUser): Json {
  const space = user.fullName.indexOf(' ');
  return {
    schemas: [USER_SCHEMA, TABLEAU_USER_SCHEMA], id: user.id, userName: user.name,
    name: { givenName: space < 0 ? user.fullName : user.fullName.slice(0, space), familyName: space < 0 ? '' : user.fullName.slice(space + 1) },
    active: user.siteRole !== 'Unlicensed',
    [TABLEAU_USER_SCHEMA]: { siteRoles: [{ value: user.siteRole }] },
    meta: { resourceType: 'User' },
  };
}

function groupJson(group: SimGroup): Json {
  return { schemas: [GROUP_SCHEMA], id: group.id, displayName: group.name, meta: { resourceType: 'Group' } };
}

function reply(status: number, body: Json): OutgoingResponse {
  return { status, headers: { 'Content-Type': 'application/scim+json' }, body: Buffer.from(JSON.stringify(body)) };
}

function scimError(status: number, detail: string, scimType?: string): OutgoingResponse {
  return reply(status, { schemas: [ERROR_SCHEMA], status: String(status), detail, ...(scimType ? { scimType } : {}) });
}
