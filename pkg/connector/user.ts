/**
 * `user`: one resource per Tableau user of a site, a child of its site. Users carry no entitlements
 * or grants of their own (their site role, license and groups are grants on those resources).
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { AccountType, ResourceStatus, toStruct, toTimestamp, UserTraitStatus } from '../../proto/index.js';
import type { Resource, ResourceId } from '../../proto/types.js';
import { TableauError, type TableauUser } from '../tableau/index.js';
import { decodePageToken, encodePageToken, nextPageToken, promisedTotal } from './page-token.js';
import { annotation, resourceId, USER_TYPE } from './resource-types.js';
import { isDisabledRole, licenseTierOf } from './site-roles.js';
import { syncScimOf, userManagement, type ScimLookup, type SiteScim } from './scim-management.js';
import type { SiteLookup, SiteRef } from './sites.js';
import type { CallCtx, Page, PageRequest, ResourceSyncer } from './types.js';
import type { UserPages } from './user-pages.js';

/** The `user` resource type. */
export class UserSyncer implements ResourceSyncer {
  readonly resourceType = USER_TYPE;

  constructor(
    private readonly sites: SiteLookup,
    private readonly users: UserPages,
    private readonly scim?: ScimLookup,
  ) {}

  async list(parent: ResourceId | undefined, page: PageRequest, ctx: CallCtx): Promise<Page<Resource>> {
    // Users only exist under a site; the Baton syncer also lists every type once without a parent.
    if (parent?.resourceType !== 'site' || !parent.resource) return { items: [], nextToken: '' };
    const state = decodePageToken(page.token, 'users');
    const site = await this.sites.get(parent.resource, ctx);
    const { items: users, hasMore, promised } = await this.users.full(site, state.p, ctx, state.t);
    const scim = await syncScimOf(this.scim, this.sites, site, ctx);
    const start = state.o ?? 0;
    const end = responseEnd(users, start);
    const items: Resource[] = [];
    for (let i = start; i < end; i++) {
      items.push(userResource(users[i] as TableauUser, site, scim));
      // A user takes ~7 µs: a page of 1,000 in one go would keep other listings' responses waiting.
      if ((i - start) % USERS_PER_TURN === USERS_PER_TURN - 1) await yieldToIo();
    }
    if (end < users.length) return { items, nextToken: encodePageToken({ ...state, o: end }) };
    return { items, nextToken: nextPageToken({ k: 'users', p: state.p + 1, t: promisedTotal(promised) }, hasMore) };
  }

  async entitlements(): Promise<Page<never>> {
    return { items: [], nextToken: '' };
  }

  async grants(): Promise<Page<never>> {
    return { items: [], nextToken: '' };
  }

  /** A user of a synced site: the parent names the site; without it every synced site is tried. */
  async get(id: ResourceId, parent: ResourceId | undefined, ctx: CallCtx): Promise<Resource | undefined> {
    const userId = id.resource ?? '';
    const candidates = parent?.resource ? [await this.sites.get(parent.resource, ctx)] : await this.sites.list(ctx);
    for (const site of candidates) {
      const user = await getUserOrUndefined(site, userId, ctx);
      if (user !== undefined) return userResource(user, site, await syncScimOf(this.scim, this.sites, site, ctx));
    }
    return undefined;
  }
}

/** Users turned into resources before letting I/O callbacks in (~0.7 ms of work). */
const USERS_PER_TURN = 100;

/** Bytes a response of users may take: half of gRPC's default 4 MiB message limit. */
const RESPONSE_BUDGET = 2 * 1024 * 1024;

/**
 * Where the response starting at `start` must end to stay within RESPONSE_BUDGET. Typical users take
 * ~1 KB (a page of 1000 fits easily), but Tableau allows 255-character names, emails and full names,
 * each repeated in the trait, the profiles and the login: ~4.4 KB a user, over 4 MiB a page. Such a page
 * is split over several responses (its later parts read the Tableau page again).
 */
function responseEnd(users: readonly TableauUser[], start: number): number {
  let bytes = 0;
  for (let i = start; i < users.length; i++) {
    bytes += estimatedResourceBytes(users[i] as TableauUser);
    if (bytes > RESPONSE_BUDGET && i > start) return i;
  }
  return users.length;
}

/** A slight over-estimate of the encoded user resource (calibrated against the protobuf encoding). */
function estimatedResourceBytes(user: TableauUser): number {
  const repeated = [user.name, user.email, user.fullName];
  const once = [user.siteRole, user.authSetting, user.domainName, user.idpConfigurationId, user.lastLogin];
  const size = (xs: (string | undefined)[]) => xs.reduce((n, x) => n + (x === undefined ? 0 : Buffer.byteLength(x)), 0);
  return 700 + 5 * size(repeated) + 2 * size(once);
}

async function getUserOrUndefined(site: SiteRef, userId: string, ctx: CallCtx): Promise<TableauUser | undefined> {
  try {
    return await site.client.getUser(userId, ctx.signal);
  } catch (err) {
    if (err instanceof TableauError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  }
}

/** The Baton resource of a Tableau user: UserTrait plus the same profile and status on the resource. */
export function userResource(user: TableauUser, site: SiteRef, scim?: SiteScim): Resource {
  const profile = toStruct(userProfile(user, site, scim));
  const disabled = isDisabledRole(user.siteRole);
  const trait = {
    emails: looksLikeEmail(user.email) ? [{ address: user.email, isPrimary: true }] : [],
    status: { status: disabled ? UserTraitStatus.STATUS_DISABLED : UserTraitStatus.STATUS_ENABLED },
    profile,
    // Tableau Cloud's SupportUser accounts are Tableau staff, not people of the customer.
    accountType: user.siteRole === 'SupportUser' ? AccountType.ACCOUNT_TYPE_SYSTEM : AccountType.ACCOUNT_TYPE_HUMAN,
    login: user.name,
    ...lastLogin(user.lastLogin),
    structuredName: structuredName(user.fullName),
  };
  return {
    id: resourceId('user', user.id),
    parentResourceId: resourceId('site', site.id),
    displayName: user.fullName || user.name,
    annotations: [annotation('UserTrait', trait)],
    profile,
    status: { status: disabled ? ResourceStatus.RESOURCE_STATUS_DISABLED : ResourceStatus.RESOURCE_STATUS_ENABLED },
  };
}

/** Profile keys of the Go connector (`first_name`, `last_name`, `login`, `user_id`) and ours beside them. */
function userProfile(user: TableauUser, site: SiteRef, scim: SiteScim | undefined): Record<string, unknown> {
  const { first, last } = splitName(user.fullName ?? '');
  return {
    first_name: first,
    last_name: last,
    // The Go connector put the email here; Tableau Cloud sign-in names are emails too.
    login: user.email || user.name,
    user_id: user.id,
    username: user.name,
    email: user.email,
    full_name: user.fullName,
    site_role: user.siteRole,
    license_tier: licenseTierOf(user.siteRole),
    auth_setting: user.authSetting,
    domain: user.domainName,
    idp_configuration_id: user.idpConfigurationId,
    last_login: user.lastLogin,
    site_id: site.id,
    site_content_url: site.contentUrl,
    ...userManagement(user, scim),
  };
}

function splitName(fullName: string): { first: string; last: string } {
  const trimmed = fullName.trim();
  const space = trimmed.indexOf(' ');
  return space < 0 ? { first: trimmed, last: '' } : { first: trimmed.slice(0, space), last: trimmed.slice(space + 1) };
}

function structuredName(fullName: string | undefined): { givenName: string; familyName: string } | undefined {
  const { first, last } = splitName(fullName ?? '');
  return first === '' ? undefined : { givenName: first, familyName: last };
}

function lastLogin(value: string | undefined): { lastLogin?: { seconds: number; nanos?: number } } {
  if (value === undefined || !Number.isFinite(Date.parse(value))) return {};
  return { lastLogin: toTimestamp(value) };
}

/** Baton validates trait emails; Tableau sometimes holds free text in the email attribute. */
function looksLikeEmail(email: string | undefined): email is string {
  return email !== undefined && /^[^\s@]+@[^\s@]+$/.test(email);
}
