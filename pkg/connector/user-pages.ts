/**
 * Tableau's users pages of a site, read once per sync: ListResources(user) reads the full page and
 * leaves its compact `[id, siteRole]` form in the sync cache; the site role grants, the license grants
 * and the site entitlements read the compact form, going to Tableau only on a cache miss (another
 * syncer order, a resumed sync, a call without a sync id).
 */
import { TableauError } from '../tableau/errors.js';
import type { DuplicateUser } from './site-user-index.js';
import type { Pagination, TableauPage, TableauUser } from '../tableau/types.js';
import { SyncState, type CompactUserPage, type SyncCache } from './sync-cache.js';
import type { UserReadAhead } from './user-read-ahead.js';
import { TABLEAU_PAGE_SIZE, type SiteRef } from './sites.js';
import type { CallCtx } from './types.js';

/** Whether a listing has a page after this one (Tableau: 1-based pages, stop at totalAvailable). */
export function hasPageAfter(page: number, pagination: Pagination, itemCount: number): boolean {
  const size = pagination.pageSize > 0 ? pagination.pageSize : TABLEAU_PAGE_SIZE;
  return itemCount > 0 && page * size < pagination.totalAvailable;
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
  constructor(private readonly cache: SyncCache) {}

  /** One full page of users (the user listing itself); fills the sync cache on the way. */
  async full(site: SiteRef, page: number, ctx: CallCtx): Promise<{ users: TableauUser[]; hasMore: boolean }> {
    const state = this.cache.forSync(ctx.syncId);
    const read = (p: number, signal: AbortSignal): Promise<TableauPage<TableauUser>> => this.read(site, p, signal);
    const result = await readThroughReadAhead(state?.userReadAhead, site.id, page, ctx, read);
    const hasMore = hasPageAfter(page, result.pagination, result.items.length);
    if (state && hasMore) state.userReadAhead.start(site.id, page + 1, (signal) => read(page + 1, signal));
    if (state) {
      const compact = state.compact(page, hasMore, result.items);
      const index = state.usersOf(site.id);
      index.expectedUsers = Math.max(index.expectedUsers, result.pagination.totalAvailable);
      throwOnDuplicate(index.addPage(compact), `/sites/${site.id}/users`);
      state.putUserPage(site.id, compact);
    }
    return { users: result.items, hasMore };
  }

  /**
   * One page of a group's members. In a sync the next page is requested as soon as this one is in,
   * like the users listing's (a group of many pages would otherwise be read one round trip at a time).
   */
  async members(site: SiteRef, groupId: string, page: number, ctx: CallCtx): Promise<{ members: TableauUser[]; hasMore: boolean }> {
    const state = this.cache.forSync(ctx.syncId);
    // A stable sort keeps pages consistent while members are added during the sync.
    const read = (p: number, signal: AbortSignal): Promise<TableauPage<TableauUser>> =>
      site.client.listGroupUsers(groupId, { pageNumber: p, pageSize: TABLEAU_PAGE_SIZE, sort: 'name:asc', signal });
    const result = await readThroughReadAhead(state?.memberReadAhead, groupId, page, ctx, read);
    const hasMore = hasPageAfter(page, result.pagination, result.items.length);
    if (state && hasMore) state.memberReadAhead.start(groupId, page + 1, (signal) => read(page + 1, signal));
    this.checkMembers(site, groupId, page, hasMore, result, ctx);
    return { members: result.items, hasMore };
  }

  /** Checks one page of a group's members against its earlier pages in this sync (several-page groups). */
  private checkMembers(site: SiteRef, groupId: string, page: number, hasMore: boolean, result: TableauPage<TableauUser>, ctx: CallCtx): void {
    const state = this.cache.forSync(ctx.syncId);
    if (!state || (page === 1 && !hasMore)) return;
    const members = result.items;
    const check = state.duplicateMembers(site.id, groupId, result.pagination.totalAvailable, !hasMore);
    const ids = { page, size: members.length, userId: (i: number) => members[i]?.id ?? '' };
    throwOnDuplicate(check.add(ids), `/sites/${site.id}/groups/${groupId}/users`);
  }

  /** The `[id, siteRole]` pairs of a page: from the sync cache, or from Tableau on a miss. */
  compact(site: SiteRef, page: number, ctx: CallCtx): Promise<CompactUserPage> {
    const state = this.cache.forSync(ctx.syncId) ?? new SyncState();
    return state.userPage(site.id, page, async () => {
      ctx.log.debug({ site: site.id, page }, 'users page not in the sync cache: reading it from Tableau');
      const result = await this.read(site, page, ctx.signal);
      return state.compact(page, hasPageAfter(page, result.pagination, result.items.length), result.items);
    });
  }

  private read(site: SiteRef, page: number, signal: AbortSignal): Promise<TableauPage<TableauUser>> {
    // A stable sort keeps pages consistent while users are added during the sync.
    return site.client.listUsers({ pageNumber: page, pageSize: TABLEAU_PAGE_SIZE, sort: 'name:asc', signal });
  }
}

/** The page read ahead under `key` when there is one; a failed read-ahead is read again once. */
async function readThroughReadAhead(
  readAhead: UserReadAhead | undefined,
  key: string,
  page: number,
  ctx: CallCtx,
  read: (page: number, signal: AbortSignal) => Promise<TableauPage<TableauUser>>,
): Promise<TableauPage<TableauUser>> {
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
