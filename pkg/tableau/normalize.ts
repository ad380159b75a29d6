/**
 * Normalisers from the parsed response tree (XML via xml-codec, or Tableau's JSON, which mirrors the
 * XML tree) to the domain types. Tolerant of unknown fields, legacy roles, missing lists and numbers
 * sent as strings; strict about what the connector cannot do without (ids, names, pagination).
 * They throw {@link ShapeError}; the caller turns it into a PARSE error naming the endpoint.
 */
import type { Tree } from './xml-codec.js';
import type {
  IdentityPool, Pagination, ServerInfo, SessionInfo, SiteUsage, TableauGroup, TableauGroupImport, TableauPage,
  TableauSite, TableauUser,
} from './types.js';
import type { TableauErrorBody } from './errors.js';
import {
  child, defined, isTree, optBoolean, optNumber, optString, reqInteger, reqString, setIfDefined, ShapeError,
} from './tree-fields.js';

export { ShapeError } from './tree-fields.js';

/**
 * `<users><user/>…</users>` / `{"users":{"user":[…]}}` / `{"users":{"user":{…}}}` (one item) /
 * `{"users":{}}` (none) / `{"users":[…]}` (no item wrapper) / missing → array of nodes.
 */
export function listOf(container: unknown, item: string): Tree[] {
  if (Array.isArray(container)) return container.filter(isTree);
  if (!isTree(container)) return [];
  const raw = container[item];
  if (raw === undefined || raw === null) return [];
  return (Array.isArray(raw) ? raw : [raw]).filter(isTree);
}

export function toUser(node: Tree): TableauUser {
  const id = reqString(node, 'id', 'user');
  // Tableau: pre-2018.1 payloads may carry only the legacy `role` attribute.
  const siteRole = optString(node, 'siteRole') ?? optString(node, 'role');
  if (siteRole === undefined) throw new ShapeError(`user ${id} without siteRole`);
  // Built field by field rather than through defined(): users come by the million in a large sync
  // (every group member is one), and the copy was a second object per user.
  const user: TableauUser = { id, name: reqString(node, 'name', `user ${id}`), siteRole };
  setIfDefined(user, 'fullName', optString(node, 'fullName'));
  setIfDefined(user, 'email', optString(node, 'email'));
  setIfDefined(user, 'authSetting', optString(node, 'authSetting'));
  setIfDefined(user, 'lastLogin', optString(node, 'lastLogin') || undefined);
  setIfDefined(user, 'externalAuthUserId', optString(node, 'externalAuthUserId'));
  setIfDefined(user, 'domainName', optString(child(node, 'domain'), 'name'));
  setIfDefined(user, 'idpConfigurationId', optString(node, 'idpConfigurationId'));
  setIfDefined(user, 'identityPoolUuid', optString(node, 'identityPoolUuid'));
  setIfDefined(user, 'identityPoolName', optString(node, 'identityPoolName'));
  setIfDefined(user, 'glsiMinimumSiteRole', optString(node, 'glsiMinimumSiteRole'));
  return user;
}

function toGroupImport(node: Tree | undefined): TableauGroupImport | undefined {
  if (node === undefined) return undefined;
  return defined({
    source: optString(node, 'source'),
    domainName: optString(node, 'domainName'),
    siteRole: optString(node, 'siteRole'),
    grantLicenseMode: optString(node, 'grantLicenseMode'),
  });
}

/** One TableauGroup from every shape Tableau sends (see group-management.ts). */
export function toGroup(node: Tree): TableauGroup {
  const id = reqString(node, 'id', 'group');
  const imported = toGroupImport(child(node, 'import'));
  return defined({
    id,
    name: reqString(node, 'name', `group ${id}`),
    // A group with neither <domain> nor an imported domain can only be a local group.
    domainName: optString(child(node, 'domain'), 'name') ?? imported?.domainName ?? 'local',
    userCount: optNumber(node, 'userCount'),
    // Older versions put the role on <group> as siteRole; AD imports carry it on <import>.
    minimumSiteRole: optString(node, 'minimumSiteRole') ?? optString(node, 'siteRole') ?? imported?.siteRole,
    grantLicenseMode: optString(node, 'grantLicenseMode') ?? imported?.grantLicenseMode,
    import: imported,
  });
}

function toUsage(node: Tree | undefined): SiteUsage | undefined {
  if (node === undefined) return undefined;
  return defined({
    numUsers: optNumber(node, 'numUsers'),
    numCreators: optNumber(node, 'numCreators'),
    numExplorers: optNumber(node, 'numExplorers'),
    numViewers: optNumber(node, 'numViewers'),
  });
}

/** A workbook, data source or flow: only its id (content is counted, never synced). */
export function toContentItem(node: Tree): { id: string } {
  return { id: reqString(node, 'id', 'content item') };
}

export function toSite(node: Tree): TableauSite {
  const id = reqString(node, 'id', 'site');
  return defined({
    id,
    name: reqString(node, 'name', `site ${id}`),
    contentUrl: optString(node, 'contentUrl') ?? '',
    adminMode: optString(node, 'adminMode'),
    state: optString(node, 'state'),
    userQuota: optNumber(node, 'userQuota'),
    tierCreatorCapacity: optNumber(node, 'tierCreatorCapacity'),
    tierExplorerCapacity: optNumber(node, 'tierExplorerCapacity'),
    tierViewerCapacity: optNumber(node, 'tierViewerCapacity'),
    idpConfigurationIdForScim: optString(node, 'idpConfigurationIdForScim') || undefined,
    // Older fixtures put numUsers on <site> itself instead of a <usage> child.
    usage: toUsage(child(node, 'usage')) ?? (node['numUsers'] !== undefined ? toUsage(node) : undefined),
  });
}

function toPagination(body: Tree): Pagination {
  const node = child(body, 'pagination');
  if (node === undefined) throw new ShapeError('listing without pagination');
  const pagination = {
    pageNumber: reqInteger(node, 'pageNumber', 'pagination'),
    pageSize: reqInteger(node, 'pageSize', 'pagination'),
    totalAvailable: reqInteger(node, 'totalAvailable', 'pagination'),
  };
  if (pagination.pageNumber < 1 || pagination.pageSize < 1) throw new ShapeError('pagination pageNumber/pageSize below 1');
  return pagination;
}

/**
 * One page of `<pagination/><{list}><{item}/>…</{list}>`, checked against its own pagination: more
 * items than the page size, or than pageNumber, pageSize and totalAvailable promise, and an id twice
 * are errors. Fewer items than promised are not: real servers over-promise, and where a listing ends
 * is decided by listing-end.ts.
 */
export function toPage<T>(body: Tree, list: string, item: string, convert: (node: Tree) => T): TableauPage<T> {
  const pagination = toPagination(body);
  const container = body[list];
  // An empty page ends a listing, so a list Tableau did not send as one must not pass for an empty page.
  // JSON may also carry the items as a bare array, without the item wrapper (see listOf).
  const bare = Array.isArray(container);
  if (container !== undefined && container !== null && container !== '' && !isTree(container) && !bare) {
    throw new ShapeError(`<${list}> is not a list of ${item} items`);
  }
  const raw = bare ? container : isTree(container) ? container[item] : undefined;
  const nodes = listOf(container, item);
  if (raw !== undefined && raw !== null && nodes.length !== (Array.isArray(raw) ? raw.length : 1)) {
    throw new ShapeError(`<${list}> holds ${item} entries that are not ${item} elements`);
  }
  const items = nodes.map(convert);
  const { pageNumber, pageSize, totalAvailable } = pagination;
  if (items.length > pageSize) throw new ShapeError(`page ${pageNumber} has ${items.length} ${item} items, more than its page size ${pageSize}`);
  const promised = Math.max(0, Math.min(pageSize, totalAvailable - (pageNumber - 1) * pageSize));
  if (items.length > promised) {
    throw new ShapeError(`page ${pageNumber} has ${items.length} ${item} items; its pagination promises ${promised} of ${totalAvailable}`);
  }
  const seen = new Set<string>();
  for (const entry of items) {
    const id = (entry as { id?: unknown }).id;
    if (typeof id !== 'string') continue;
    if (seen.has(id)) throw new ShapeError(`page ${pageNumber} lists ${item} ${id} twice`);
    seen.add(id);
  }
  return { pagination, items };
}

/** Exactly one `<{name}>` element (single-object responses). */
export function single(body: Tree, name: string): Tree {
  const value = body[name];
  const node = Array.isArray(value) ? value[0] : value;
  if (!isTree(node)) throw new ShapeError(`response without <${name}>`);
  return node;
}

export function toSession(body: Tree): SessionInfo {
  const credentials = single(body, 'credentials');
  const site = child(credentials, 'site');
  const user = child(credentials, 'user');
  if (site === undefined || user === undefined) throw new ShapeError('credentials without site or user');
  return defined({
    token: reqString(credentials, 'token', 'credentials'),
    siteId: reqString(site, 'id', 'credentials site'),
    siteContentUrl: optString(site, 'contentUrl'),
    userId: reqString(user, 'id', 'credentials user'),
  });
}

export function toServerInfo(body: Tree): ServerInfo {
  const info = single(body, 'serverInfo');
  const restApiVersion = reqString(info, 'restApiVersion', 'serverInfo');
  if (!/^\d+\.\d+/.test(restApiVersion)) throw new ShapeError(`serverInfo restApiVersion "${restApiVersion}" is not a version`);
  const product = info['productVersion'];
  return defined({
    restApiVersion,
    productVersion: optString(info, 'productVersion'),
    build: isTree(product) ? optString(product, 'build') : undefined,
  });
}

export function toErrorBody(body: Tree | undefined): TableauErrorBody | undefined {
  const node = body === undefined ? undefined : child(body, 'error');
  if (node === undefined) return undefined;
  return defined({ code: optString(node, 'code'), summary: optString(node, 'summary'), detail: optString(node, 'detail') });
}

/** Identity pools (authn-service JSON): `{"pools":[{"identity_pool_id":{"value":uuid}, …}]}`. */
export function toIdentityPools(body: unknown): IdentityPool[] {
  if (!isTree(body)) throw new ShapeError('identity pools response is not an object');
  const pools = body['pools'];
  if (pools !== undefined && !Array.isArray(pools)) throw new ShapeError('identity pools "pools" is not a list');
  return (pools ?? []).filter(isTree).map((pool) => {
    const idNode = pool['identity_pool_id'];
    const id = isTree(idNode) ? optString(idNode, 'value') : optString(pool, 'identity_pool_id');
    if (id === undefined) throw new ShapeError('identity pool without identity_pool_id');
    return defined({
      id,
      name: optString(pool, 'identity_pool_name') ?? optString(pool, 'name') ?? '',
      description: optString(pool, 'description'),
      isEnabled: optBoolean(pool, 'is_enabled'),
      identityStoreType: optString(pool, 'identity_store_type'),
      authType: optString(pool, 'auth_type'),
      storeId: idText(pool['identity_store_instance_id']),
      authConfigId: idText(pool['auth_type_instance_id']),
    });
  });
}

/** A JSON id given as a number or a string. */
function idText(value: unknown): string | undefined {
  return typeof value === 'number' ? String(value) : typeof value === 'string' && value !== '' ? value : undefined;
}

/** JSON error body of the authn-service endpoints: `{"http_error_code","message"}`. */
export function toJsonServiceError(body: unknown): TableauErrorBody | undefined {
  if (!isTree(body)) return undefined;
  const message = optString(body, 'message');
  const code = optString(body, 'http_error_code');
  return message === undefined && code === undefined ? undefined : defined({ code, summary: message });
}
