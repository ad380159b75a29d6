/**
 * SiteClient: every site-level endpoint behind one handle per content URL. Users and groups live in
 * their own modules; this file adds the site itself, content ownership and identity pools.
 */
import { IdentityPoolEndpoints, type AuthConfiguration, type IdentityStore } from './identity-pools.js';
import { single, toContentItem, toSite } from './normalize.js';
import { Listing } from './listing.js';
import { filterTerm, SiteRequester, type PageOptions, type SiteContext } from './site-request.js';
import { UserEndpoints } from './user-endpoints.js';
import { GroupEndpoints } from './group-endpoints.js';
import type { ContentKind, IdentityPool, TableauGroup, TableauPage, TableauSite, TableauUser } from './types.js';

export type { PageOptions } from './site-request.js';

/** Endpoints of one Tableau site. Every method takes an AbortSignal and signs in on demand. */
export interface SiteClient {
  /** `""` is the Default site. */
  readonly contentUrl: string;
  /** The site LUID (signs in, or switches site, when needed). */
  siteId(signal?: AbortSignal): Promise<string>;
  /** The site Tableau signed in to: its LUID and its content URL as Tableau spells it (`Samples` for `samples`). */
  signedInSite(signal?: AbortSignal): Promise<{ id: string; contentUrl: string }>;
  getSite(opts?: { includeUsage?: boolean; signal?: AbortSignal }): Promise<TableauSite>;
  listUsers(opts?: PageOptions): Promise<TableauPage<TableauUser>>;
  /** Every user: pageSize 1000, sorted `name:asc` unless told otherwise. */
  users(opts?: PageOptions): AsyncGenerator<TableauUser>;
  /** Every page of users, prefetched concurrently, yielded in order. */
  userPages(opts?: PageOptions): AsyncGenerator<TableauPage<TableauUser>>;
  getUser(userId: string, signal?: AbortSignal): Promise<TableauUser>;
  findUserByName(name: string, signal?: AbortSignal): Promise<TableauUser | undefined>;
  /** 409000/409017 (exists) → the existing user, `created` false. */
  addUser(input: { name: string; siteRole: string; authSetting?: string; idpConfigurationId?: string }, signal?: AbortSignal): Promise<{ user: TableauUser; created: boolean }>;
  /** Returns what Tableau answered (the real resulting role). */
  updateUser(userId: string, patch: { siteRole?: string; fullName?: string; email?: string; authSetting?: string }, signal?: AbortSignal): Promise<TableauUser>;
  /** 404 → `removed` false; 409 (owns content) → TableauError CONFLICT. */
  removeUser(userId: string, opts?: { mapAssetsTo?: string; signal?: AbortSignal }): Promise<{ removed: boolean }>;
  groupsForUser(userId: string, opts?: PageOptions): Promise<TableauPage<TableauGroup>>;
  listGroups(opts?: PageOptions): Promise<TableauPage<TableauGroup>>;
  groups(opts?: PageOptions): AsyncGenerator<TableauGroup>;
  groupPages(opts?: PageOptions): AsyncGenerator<TableauPage<TableauGroup>>;
  listGroupUsers(groupId: string, opts?: PageOptions): Promise<TableauPage<TableauUser>>;
  groupUsers(groupId: string, opts?: PageOptions): AsyncGenerator<TableauUser>;
  groupUserPages(groupId: string, opts?: PageOptions): AsyncGenerator<TableauPage<TableauUser>>;
  /** 409011 (already a member) → `added` false. */
  addUserToGroup(groupId: string, userId: string, signal?: AbortSignal): Promise<{ added: boolean }>;
  /** 404 → `removed` false. */
  removeUserFromGroup(groupId: string, userId: string, signal?: AbortSignal): Promise<{ removed: boolean }>;
  /** REST API 3.21+. */
  addUsersToGroup(groupId: string, userIds: string[], signal?: AbortSignal): Promise<TableauUser[]>;
  /** REST API 3.21+. */
  removeUsersFromGroup(groupId: string, userIds: string[], signal?: AbortSignal): Promise<void>;
  createGroup(input: { name: string; minimumSiteRole?: string }, signal?: AbortSignal): Promise<{ group: TableauGroup; created: boolean }>;
  deleteGroup(groupId: string, signal?: AbortSignal): Promise<{ deleted: boolean }>;
  /** Workbooks, data sources and flows owned by `userName` (filter ownerName:eq); BAD_REQUEST for a name holding `,` or `&`. */
  countOwnedContent(userName: string, signal?: AbortSignal): Promise<Record<ContentKind, number>>;
  /** Tableau Server 2023.1+ (REST API 3.19), server administrators. */
  listIdentityPools(signal?: AbortSignal): Promise<IdentityPool[]>;
  listIdentityStores(signal?: AbortSignal): Promise<IdentityStore[]>;
  listAuthConfigurations(signal?: AbortSignal): Promise<AuthConfiguration[]>;
  /** 429001 (already a member) → `added` false. */
  addUserToIdentityPool(userId: string, poolId: string, signal?: AbortSignal, identityUuid?: string): Promise<{ added: boolean }>;
  /** 404 (not a member) → `removed` false. */
  removeUserFromIdentityPool(userId: string, poolId: string, signal?: AbortSignal): Promise<{ removed: boolean }>;
}

async function* itemsOf<T>(pages: AsyncGenerator<TableauPage<T>>): AsyncGenerator<T> {
  for await (const page of pages) yield* page.items;
}

const CONTENT_KINDS: readonly ContentKind[] = ['workbooks', 'datasources', 'flows'];

export class SiteClientImpl implements SiteClient {
  private readonly req: SiteRequester;
  private readonly userApi: UserEndpoints;
  private readonly groupApi: GroupEndpoints;
  private readonly poolApi: IdentityPoolEndpoints;

  constructor(readonly contentUrl: string, private readonly ctx: SiteContext) {
    this.req = new SiteRequester(ctx);
    this.userApi = new UserEndpoints(this.req);
    this.groupApi = new GroupEndpoints(this.req);
    this.poolApi = new IdentityPoolEndpoints(this.req);
  }

  async siteId(signal?: AbortSignal): Promise<string> {
    return (await this.ctx.sessionInfo(signal)).siteId;
  }

  async signedInSite(signal?: AbortSignal): Promise<{ id: string; contentUrl: string }> {
    const session = await this.ctx.sessionInfo(signal);
    return { id: session.siteId, contentUrl: session.siteContentUrl ?? this.contentUrl };
  }

  getSite(opts: { includeUsage?: boolean; signal?: AbortSignal } = {}): Promise<TableauSite> {
    const call = { method: 'GET' as const, path: '', route: '', query: { includeUsage: opts.includeUsage ? 'true' : undefined }, signal: opts.signal };
    return this.req.convert(call, (body) => toSite(single(body, 'site')));
  }

  listUsers = (opts?: PageOptions) => this.userApi.listUsers(opts);
  users = (opts?: PageOptions) => itemsOf(this.userApi.userPages(opts));
  userPages = (opts?: PageOptions) => this.userApi.userPages(opts);
  getUser = (userId: string, signal?: AbortSignal) => this.userApi.getUser(userId, signal);
  findUserByName = (name: string, signal?: AbortSignal) => this.userApi.findUserByName(name, signal);
  addUser: SiteClient['addUser'] = (input, signal) => this.userApi.addUser(input, signal);
  updateUser: SiteClient['updateUser'] = (userId, patch, signal) => this.userApi.updateUser(userId, patch, signal);
  removeUser: SiteClient['removeUser'] = (userId, opts) => this.userApi.removeUser(userId, opts);
  groupsForUser = (userId: string, opts?: PageOptions) => this.userApi.groupsForUser(userId, opts);
  listGroups = (opts?: PageOptions) => this.groupApi.listGroups(opts);
  groups = (opts?: PageOptions) => itemsOf(this.groupApi.groupPages(opts));
  groupPages = (opts?: PageOptions) => this.groupApi.groupPages(opts);
  listGroupUsers = (groupId: string, opts?: PageOptions) => this.groupApi.listGroupUsers(groupId, opts);
  groupUsers = (groupId: string, opts?: PageOptions) => itemsOf(this.groupApi.groupUserPages(groupId, opts));
  groupUserPages = (groupId: string, opts?: PageOptions) => this.groupApi.groupUserPages(groupId, opts);
  addUserToGroup = (groupId: string, userId: string, signal?: AbortSignal) => this.groupApi.addUserToGroup(groupId, userId, signal);
  removeUserFromGroup = (groupId: string, userId: string, signal?: AbortSignal) => this.groupApi.removeUserFromGroup(groupId, userId, signal);
  addUsersToGroup = (groupId: string, userIds: string[], signal?: AbortSignal) => this.groupApi.addUsersToGroup(groupId, userIds, signal);
  removeUsersFromGroup = (groupId: string, userIds: string[], signal?: AbortSignal) => this.groupApi.removeUsersFromGroup(groupId, userIds, signal);
  createGroup: SiteClient['createGroup'] = (input, signal) => this.groupApi.createGroup(input, signal);
  deleteGroup = (groupId: string, signal?: AbortSignal) => this.groupApi.deleteGroup(groupId, signal);

  async countOwnedContent(userName: string, signal?: AbortSignal): Promise<Record<ContentKind, number>> {
    // Data sources and flows have no owner-id lookup, so a name no filter can carry is refused, never counted as 0.
    const filter = filterTerm('ownerName', 'eq', userName);
    const totals = await Promise.all(
      CONTENT_KINDS.map(async (kind) => {
        // Page 1 of one item, judged by the listing model: an empty page counts 0 whatever totalAvailable
        // promised (a known over-promise must not block a deprovision); a full one counts the promise.
        const call = { method: 'GET' as const, path: `/${kind}`, route: `/${kind}` };
        const owned = new Listing({
          what: `${kind} owned by ${userName}`, pageSize: 1, idOf: (item: { id: string }) => item.id,
          read: (pageNumber, pageSize, s) => this.req.page(call, { filter, pageNumber, pageSize, signal: s }, kind, kind.slice(0, -1), toContentItem),
        });
        const first = await owned.readPage(1, { signal, onShortfall: this.ctx.onShortfall });
        return first.next === undefined ? first.items.length : first.promised;
      }),
    );
    return { workbooks: totals[0]!, datasources: totals[1]!, flows: totals[2]! };
  }

  listIdentityPools = (signal?: AbortSignal) => this.poolApi.listIdentityPools(signal);
  listIdentityStores = (signal?: AbortSignal) => this.poolApi.listIdentityStores(signal);
  listAuthConfigurations = (signal?: AbortSignal) => this.poolApi.listAuthConfigurations(signal);
  addUserToIdentityPool = (userId: string, poolId: string, signal?: AbortSignal, identityUuid?: string) =>
    this.poolApi.addUserToIdentityPool(userId, poolId, signal, identityUuid);
  removeUserFromIdentityPool = (userId: string, poolId: string, signal?: AbortSignal) => this.poolApi.removeUserFromIdentityPool(userId, poolId, signal);
}

