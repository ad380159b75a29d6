/**
 * Tableau's users pages of a site, read once per sync: ListResources(user) reads the full page and
 * leaves its compact `[id, siteRole]` form in the sync cache; the site role grants, the license grants
 * and the site entitlements read the compact form, going to Tableau only on a cache miss (another
 * syncer order, a resumed sync, a call without a sync id). Where a listing ends is Tableau's common
 * rule (listing-end.ts): a short page or a 400006 past the end ends it, with a warning.
 */
import { Listing, TableauError, type ListedPage } from '../tableau/index.js';
import type { DuplicateUser } from './site-user-index.js';
import type { TableauPage, TableauUser } from '../tableau/types.js';
import { SyncState, type CompactUserPage, type SyncCache } from './sync-cache.js';
import type { UserReadAhead } from './user-read-ahead.js';
import type { SiteRef } from './sites.js';
import type { CallCtx } from './types.js';
import { warnShortfallTo } from './warnings.js';
import { listedMembers } from './member-check.js';

/** A users page, or undefined past the end of the listing (Tableau's 400006). */
type UsersPage = TableauPage<TableauUser> | undefined;

/** A site's users; a stable sort keeps pages consistent while users are added during the sync. */
function siteUsers(site: SiteRef): Listing<TableauUser> {
  return new Listing({
    what: `users of site "${site.contentUrl}" (${site.id})`,
    idOf: (user) => user.id,
    read: (pageNumber, pageSize, signal) => site.client.listUsers({ pageNumber, pageSize, sort: 'name:asc', signal }),
  });
}

/** A group's members, sorted like the users listing (a stable sort, as there). */
function groupMembers(site: SiteRef, group: { id: string; name: string }): Listing<TableauUser> {
  return new Listing({
    what: `members of group "${group.name}" (${group.id})`,
    idOf: (user) => user.id,
    read: (pageNumber, pageSize, signal) => site.client.listGroupUsers(group.id, { pageNumber, pageSize, sort: 'name:asc', signal }),
  });
}

function throwOnDuplicate(duplicate: DuplicateUser | undefined, path: string): void {
  if (!duplicate) return;
  throw new TableauError({
    code: 'PARSE',
    message: `Tableau listing GET ${path}: user ${duplicate.id} is on page ${duplicate.firstPage} and page ${duplicate.page} (the listing shifted or is corrupt)`,
  });
}

/** Reads users pages for the resource types, through the per-sync cache. */
export class UserPages {
  /** `keepNames(siteId)`: whether the sync reads the site's SCIM service (its exact test matches names). */
  constructor(
    private readonly cache: SyncCache,
    private readonly keepNames: (siteId: string) => boolean = () => false,
  ) {}

  /** One full page of users (the user listing itself); fills the sync cache on the way. */
  async full(site: SiteRef, page: number, ctx: CallCtx, promisedBefore = 0): Promise<ListedPage<TableauUser>> {
    const index = this.cache.forSync(ctx.syncId)?.usersOf(site.id);
    // Group member grants wait for this listing to show their members (see member-check.ts).
    index?.reading();
    try {
      return await this.readFull(site, page, ctx, promisedBefore);
    } catch (err) {
      index?.failed(err);
      throw err;
    }
  }

  private async readFull(site: SiteRef, page: number, ctx: CallCtx, promisedBefore: number): Promise<ListedPage<TableauUser>> {
    const state = this.cache.forSync(ctx.syncId);
    const listing = siteUsers(site);
    const read = (p: number, signal: AbortSignal): Promise<UsersPage> => listing.fetch(p, signal);
    const result = await readThroughReadAhead(state?.userReadAhead, site.id, page, ctx, read);
    const listed = listing.judge(page, result, promisedBefore, warnShortfallTo(ctx));
    const next = listed.next;
    if (state && next !== undefined) state.userReadAhead.start(site.id, next, (signal) => read(next, signal));
    if (state) {
      const compact = state.compact(page, next !== undefined, listed.items, this.keepNames(site.id));
      const index = state.usersOf(site.id);
      index.expectedUsers = Math.max(index.expectedUsers, listed.promised);
      throwOnDuplicate(index.addPage(compact), `/sites/${site.id}/users`);
      if (next === undefined) index.markListed();
      state.putUserPage(site.id, compact);
    }
    return listed;
  }

  /**
   * One page of a group's members. In a sync the next page is requested as soon as this one is in,
   * like the users listing's (a group of many pages would otherwise be read one round trip at a time).
   */
  async members(site: SiteRef, group: { id: string; name: string }, page: number, ctx: CallCtx, promisedBefore = 0): Promise<ListedPage<TableauUser>> {
    const state = this.cache.forSync(ctx.syncId);
    const listing = groupMembers(site, group);
    const read = (p: number, signal: AbortSignal): Promise<UsersPage> => listing.fetch(p, signal);
    const result = await readThroughReadAhead(state?.memberReadAhead, group.id, page, ctx, read);
    const listed = listing.judge(page, result, promisedBefore, warnShortfallTo(ctx));
    const next = listed.next;
    if (state && next !== undefined) state.memberReadAhead.start(group.id, next, (signal) => read(next, signal));
    this.checkMembers(site, group.id, page, listed, ctx);
    return listed;
  }

  /** The members of a page that the site's users listing holds, in a sync (see member-check.ts). */
  listedMembers<T extends { id: string }>(site: SiteRef, group: { id: string; name: string }, page: ListedPage<T>, ctx: CallCtx): Promise<T[]> {
    return listedMembers(this.cache.forSync(ctx.syncId), site, group, page, ctx);
  }

  /** Checks one page of a group's members against its earlier pages in this sync (several-page groups). */
  private checkMembers(site: SiteRef, groupId: string, page: number, listed: ListedPage<TableauUser>, ctx: CallCtx): void {
    const state = this.cache.forSync(ctx.syncId);
    if (!state || (page === 1 && listed.next === undefined)) return;
    const members = listed.items;
    const check = state.duplicateMembers(site.id, groupId, listed.promised, listed.next === undefined);
    const ids = { page, size: members.length, userId: (i: number) => members[i]?.id ?? '' };
    throwOnDuplicate(check.add(ids), `/sites/${site.id}/groups/${groupId}/users`);
  }

  /** The `[id, siteRole]` pairs of a page: from the sync cache, or from Tableau on a miss. */
  compact(site: SiteRef, page: number, ctx: CallCtx): Promise<CompactUserPage> {
    const state = this.cache.forSync(ctx.syncId) ?? new SyncState();
    return state.userPage(site.id, page, async () => {
      ctx.log.debug({ site: site.id, page }, 'users page not in the sync cache: reading it from Tableau');
      const listed = await siteUsers(site).readPage(page, { signal: ctx.signal, onShortfall: warnShortfallTo(ctx) });
      return state.compact(page, listed.next !== undefined, listed.items, this.keepNames(site.id));
    });
  }
}

/** The page read ahead under `key` when there is one; a failed read-ahead is read again once. */
async function readThroughReadAhead(
  readAhead: UserReadAhead | undefined,
  key: string,
  page: number,
  ctx: CallCtx,
  read: (page: number, signal: AbortSignal) => Promise<UsersPage>,
): Promise<UsersPage> {
  const ahead = readAhead?.take(key, page);
  if (ahead) {
    try {
      return await ahead;
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      ctx.log.debug({ key, page, err: (err as Error).message }, 'page read ahead failed: reading it again');
    }
  }
  return read(page, ctx.signal);
}
