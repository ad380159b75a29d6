/**
 * Tableau JSON bodies written from the documented and recorded facts listed in pkg/tableau-sim/README.md
 * ("JSON details and their sources"), independently of the simulator's renderer: child elements before
 * attributes, pagination numbers as strings, `{}` for no items, booleans as JSON booleans, `locale` and
 * `language` on users, `estimatedTimeToExpiration` as D:HH:MM. Variants that other clients tolerate
 * (one item as an object, a list without its item wrapper, numbers as numbers) are here too.
 */

export interface RecordedUser {
  id: string;
  name: string;
  siteRole: string;
  lastLogin?: string;
  email?: string;
  fullName?: string;
  domain?: string;
}

export interface RecordedGroup {
  id: string;
  name: string;
  userCount: number;
  /** Active Directory domain; undefined for a local group. */
  domain?: string;
  minimumSiteRole?: string;
  grantLicenseMode?: string;
}

/** How a list is rendered: Tableau's own shape, or a variant other clients have had to accept. */
export type ListShape = 'array' | 'single-object' | 'no-item-wrapper';

export const serverInfo = (restApiVersion: string): object =>
  ({ serverInfo: { productVersion: { value: '2022.1.5', build: '20221.22.0823.1450' }, restApiVersion } });

export const credentials = (c: { token: string; siteId: string; contentUrl: string; userId: string }): object =>
  ({ credentials: { site: { id: c.siteId, contentUrl: c.contentUrl }, user: { id: c.userId }, token: c.token, estimatedTimeToExpiration: '364:00:42' } });

export function user(u: RecordedUser): object {
  return {
    domain: { name: u.domain ?? 'local' },
    email: u.email, externalAuthUserId: '', fullName: u.fullName, id: u.id, lastLogin: u.lastLogin,
    name: u.name, siteRole: u.siteRole, locale: '', language: 'en',
  };
}

export function group(g: RecordedGroup): object {
  const imported = g.domain === undefined ? undefined
    : { domainName: g.domain, siteRole: g.minimumSiteRole, grantLicenseMode: g.grantLicenseMode, source: 'ActiveDirectory' };
  return {
    domain: { name: g.domain ?? 'local' }, import: imported, id: g.id, name: g.name,
    minimumSiteRole: g.domain === undefined ? g.minimumSiteRole : undefined, userCount: String(g.userCount), ephemeralUsersEnabled: false,
  };
}

/** `{"pagination":{…},"users":{"user":[…]}}` and its variants. */
export function page(list: string, item: string, items: object[], p: { pageNumber: number; pageSize: number; total: number },
  opts: { shape?: ListShape; numbers?: boolean } = {}): object {
  const n = (v: number): string | number => (opts.numbers ? v : String(v));
  const shape = opts.shape ?? 'array';
  let rendered: unknown;
  if (shape === 'no-item-wrapper') rendered = items;
  else if (items.length === 0) rendered = {};
  else rendered = { [item]: shape === 'single-object' && items.length === 1 ? items[0] : items };
  return { pagination: { pageNumber: n(p.pageNumber), pageSize: n(p.pageSize), totalAvailable: n(p.total) }, [list]: rendered };
}

export const error = (code: string, summary: string, detail: string): object => ({ error: { summary, detail, code } });

/** Add User to Site answers with the new user's id, name, role and authentication. */
export const addedUser = (u: { id: string; name: string; siteRole: string }): object =>
  ({ user: { id: u.id, name: u.name, siteRole: u.siteRole, authSetting: 'ServerDefault' } });

/** Update User answers without the id. */
export const updatedUser = (u: { name: string; siteRole: string }): object =>
  ({ user: { name: u.name, fullName: u.name, email: '', siteRole: u.siteRole, authSetting: 'ServerDefault' } });
