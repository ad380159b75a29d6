/**
 * `user`: one resource per Tableau user of a site, a child of its site. Users carry no entitlements
 * or grants of their own (their site role, license and groups are grants on those resources).
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type {
  CreateAccountRequest,
  CreateAccountResponse,
  DeleteResourceRequest,
  DeleteResourceResponse,
  Resource,
  ResourceId,
} from '../../../proto/types.js';
import { TableauError, type TableauUser } from '../../tableau/index.js';
import { decodePageToken, encodePageToken, promisedTotal, tokenOfNext } from '../page-token.js';
import { USER_TYPE } from '../resource-types.js';
import { syncScimOf, type ScimLookup } from '../scim-management.js';
import type { SiteLookup, SiteRef } from '../sites.js';
import type { OpEnv } from '../provisioning/context.js';
import type { AccountManager, CallCtx, Page, PageRequest, ResourceSyncer } from '../types.js';
import { createAccount, noPasswordOnly } from './accounts.js';
import { deprovisionUser, type DeprovisionPolicy } from './deprovision.js';
import { userResource } from './resource.js';
import type { UserPages } from '../user-pages.js';

/** What DeleteResource does with a user (pkg/config's `--deprovision-policy`, `--map-assets-to`). */
export interface DeprovisionOptions {
  policy: DeprovisionPolicy;
  /** Username or LUID inheriting a removed user's content under the `remove` policy. */
  mapAssetsTo?: string;
}

/** The `user` resource type; users are created (accounts.ts) and deleted (deprovision.ts) here. */
export class UserSyncer implements ResourceSyncer, AccountManager {
  readonly resourceType = USER_TYPE;
  /** Tableau users sign in through the site's identity provider: accounts are created without a password. */
  readonly credentialOptions = noPasswordOnly();

  constructor(
    private readonly sites: SiteLookup,
    private readonly users: UserPages,
    private readonly deprovision: DeprovisionOptions = { policy: 'block-if-owner' },
    private readonly scim?: ScimLookup,
  ) {}

  createAccount(req: CreateAccountRequest, env: OpEnv): Promise<CreateAccountResponse> {
    return createAccount(req, env);
  }

  deleteResource(req: DeleteResourceRequest, env: OpEnv): Promise<DeleteResourceResponse> {
    return deprovisionUser(req, env, this.deprovision.policy, this.deprovision.mapAssetsTo);
  }

  async list(parent: ResourceId | undefined, page: PageRequest, ctx: CallCtx): Promise<Page<Resource>> {
    // Users only exist under a site; the Baton syncer also lists every type once without a parent.
    if (parent?.resourceType !== 'site' || !parent.resource) return { items: [], nextToken: '' };
    const state = decodePageToken(page.token, 'users');
    const site = await this.sites.get(parent.resource, ctx);
    const { items: users, next, promised } = await this.users.full(site, state.p, ctx, state.t);
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
    return { items, nextToken: tokenOfNext(next, { k: 'users', t: promisedTotal(promised) }) };
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
