/**
 * Tableau's XML/JSON for users, groups, sites and content, with per-object fragment caches so that a
 * page of 1,000 users is a concatenation of cached UTF-8 buffers.
 */
import { escapeXml, renderFragment, type Format, type XNode } from './render.js';
import type { ContentItem, FragmentSlot, SimGroup, SimUser, SiteStore } from './site-store.js';
import type { World } from './world.js';
import type { GroupShape } from './listing-habits.js';

/** `_default_`, `_all_`, or an explicit attribute list (`fields=id,name,siteRole`). */
export type FieldSet = '_default_' | '_all_' | string[];

export function parseFields(raw: string | null): FieldSet {
  if (raw === null || raw === '' || raw === '_default_') return '_default_';
  if (raw === '_all_') return '_all_';
  return raw.split(',').filter((f) => f !== '');
}

function userAttrs(user: SimUser, world: World): XNode['attrs'] {
  return {
    id: user.id, name: user.name, fullName: user.fullName, email: user.email, siteRole: user.siteRole,
    authSetting: user.authSetting, lastLogin: user.lastLogin, externalAuthUserId: user.externalAuthUserId,
    identityPoolUuid: user.identityPoolUuid, identityPoolName: user.identityPoolUuid ? world.poolByUuid(user.identityPoolUuid)?.name : undefined,
    idpConfigurationId: world.scim?.idpOfUser(user.id),
  };
}

export function userNode(user: SimUser, world: World, fields: FieldSet = '_default_'): XNode {
  const attrs = userAttrs(user, world) ?? {};
  if (Array.isArray(fields)) {
    const picked: XNode['attrs'] = {};
    for (const f of fields) if (f in attrs) picked[f] = attrs[f];
    return { tag: 'user', attrs: picked };
  }
  if (fields === '_all_') Object.assign(attrs, { language: 'en', locale: '' });
  return { tag: 'user', attrs, children: [{ tag: 'domain', attrs: { name: user.domain } }] };
}

const NEEDS_ESCAPE = /[&<>"']/;

function xmlAttr(name: string, value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return ` ${name}="${NEEDS_ESCAPE.test(value) ? escapeXml(value) : value}"`;
}

/** Hand-written `<user>` for the default and `_all_` field sets: the cold path of a 200k-user sync. */
function userXml(user: SimUser, world: World, all: boolean): string {
  const poolName = user.identityPoolUuid ? world.poolByUuid(user.identityPoolUuid)?.name : undefined;
  return `<user${xmlAttr('id', user.id)}${xmlAttr('name', user.name)}${xmlAttr('fullName', user.fullName)}`
    + `${xmlAttr('email', user.email)}${xmlAttr('siteRole', user.siteRole)}${xmlAttr('authSetting', user.authSetting)}`
    + `${xmlAttr('lastLogin', user.lastLogin)}${xmlAttr('externalAuthUserId', user.externalAuthUserId)}`
    + `${xmlAttr('identityPoolUuid', user.identityPoolUuid)}${xmlAttr('identityPoolName', poolName)}`
    + `${xmlAttr('idpConfigurationId', world.scim?.idpOfUser(user.id))}`
    + `${all ? ' language="en" locale=""' : ''}><domain${xmlAttr('name', user.domain)}/></user>`;
}

function renderUser(user: SimUser, world: World, format: Format, fields: FieldSet): Buffer {
  if (format === 'xml' && !Array.isArray(fields)) return Buffer.from(userXml(user, world, fields === '_all_'));
  return renderFragment(userNode(user, world, fields), format);
}

export function userFragment(user: SimUser, world: World, format: Format, fields: FieldSet): Buffer {
  if (Array.isArray(fields)) return renderUser(user, world, format, fields);
  const slot: FragmentSlot = fields === '_all_' ? (format === 'xml' ? 'xmlAll' : 'jsonAll') : format;
  user.cache ??= {};
  return (user.cache[slot] ??= renderUser(user, world, format, fields));
}

/** A group as Tableau renders it, in one of the shapes real servers send (see listing-habits.ts). */
export function groupNode(group: SimGroup, site: SiteStore, shape: GroupShape = 'standard'): XNode {
  const attrs = { id: group.id, name: group.name, userCount: site.memberCount(group), minimumSiteRole: group.minimumSiteRole };
  const domain: XNode = { tag: 'domain', attrs: { name: group.domain } };
  if (group.domain === 'local') return { tag: 'group', attrs, children: [domain] };
  const role = group.minimumSiteRole ?? 'Unlicensed';
  const licenseMode = group.grantLicenseMode ?? 'onSync';
  if (shape === 'attributes-on-group') {
    return { tag: 'group', attrs: { ...attrs, minimumSiteRole: undefined, siteRole: role, grantLicenseMode: licenseMode }, children: [domain] };
  }
  const imported: XNode = { tag: 'import', attrs: { domainName: group.domain, siteRole: role, grantLicenseMode: licenseMode, source: 'ActiveDirectory' } };
  return { tag: 'group', attrs, children: shape === 'import-only' ? [imported] : [domain, imported] };
}

export function groupFragment(group: SimGroup, site: SiteStore, format: Format, shape: GroupShape = 'standard'): Buffer {
  // Only the usual shape is cached: the others are test habits, switched at run time.
  if (shape !== 'standard') return renderFragment(groupNode(group, site, shape), format);
  return (group.cache[format] ??= renderFragment(groupNode(group, site), format));
}

export function siteNode(site: SiteStore, includeUsage: boolean): XNode {
  const { meta } = site;
  const node: XNode = { tag: 'site', attrs: { id: meta.id, name: meta.name, contentUrl: meta.contentUrl,
    adminMode: meta.adminMode, state: meta.state, userQuota: meta.userQuota,
    tierCreatorCapacity: meta.tierCreatorCapacity, tierExplorerCapacity: meta.tierExplorerCapacity,
    tierViewerCapacity: meta.tierViewerCapacity, idpConfigurationIdForScim: meta.idpConfigurationIdForScim } };
  if (includeUsage) {
    const seats = site.seatUsage();
    node.children = [{ tag: 'usage', attrs: { numUsers: site.liveUsers().length, numCreators: seats.Creator,
      numExplorers: seats.Explorer, numViewers: seats.Viewer, storage: 0 } }];
  }
  return node;
}

export function contentNode(item: ContentItem, site: SiteStore): XNode {
  const owner = site.users[item.ownerIdx] as SimUser;
  return { tag: item.kind, attrs: { id: item.id, name: item.name },
    children: [{ tag: 'owner', attrs: { id: owner.id, name: owner.name } }] };
}

export function paginationNode(pageNumber: number, pageSize: number, totalAvailable: number): XNode {
  return { tag: 'pagination', attrs: { pageNumber, pageSize, totalAvailable } };
}
