/**
 * Tableau's users pages of a site, read once per sync: ListResources(user) reads the full page and
 * leaves its compact `[id, siteRole]` form in the sync cache; the site role grants, the license grants
 * and the site entitlements read the compact form, going to Tableau only on a cache miss (another
 * syncer order, a resumed sync, a call without a sync id).
 */
import { TableauError } from '../tableau/errors.js';
import type { DuplicateUser } from './duplicate-users.js';
import type { Pagination, TableauPage, TableauUser } from '../tableau/types.js';
import { SyncState, type CompactUserPage, type SyncCache } from './sync-cache.js';
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
    const result = await this.readThroughReadAhead(site, page, ctx, state);
    const hasMore = hasPageAfter(page, result.pagination, result.items.length);
    if (state && hasMore) state.userReadAhead.start(site.id, page + 1, (signal) => this.read(site, page + 1, signal));
    if (state) {
      const ids = { page, size: result.items.length, userId: (i: number) => result.items[i]?.id ?? '' };
      throwOnDuplicate(state.duplicateUsers(site.id).add(ids), `/sites/${site.id}/users`);
      state.putUserPage(site.id, state.compact(page, hasMore, result.items));
    }
    return { users: result.items, hasMore };
  }

  /** Checks one page of a group's members against its earlier pages in this sync (several-page groups). */
  checkMembers(site: SiteRef, groupId: string, page: number, hasMore: boolean, members: readonly TableauUser[], ctx: CallCtx): void {
    const state = this.cache.forSync(ctx.syncId);
    if (!state || (page === 1 && !hasMore)) return;
    const check = state.duplicateMembers(groupId, !hasMore);
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

  /** The page read ahead for this sync when there is one; a failed read-ahead is read again once. */
  private async readThroughReadAhead(site: SiteRef, page: number, ctx: CallCtx, state: SyncState | undefined): Promise<TableauPage<TableauUser>> {
    const ahead = state?.userReadAhead.take(site.id, page);
    if (ahead) {
      try {
        return await ahead;
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        ctx.log.debug({ site: site.id, page, err: (err as Error).message }, 'users page read ahead failed: reading it again');
      }
    }
    return this.read(site, page, ctx.signal);
  }

  private read(site: SiteRef, page: number, signal: AbortSignal): Promise<TableauPage<TableauUser>> {
    // A stable sort keeps pages consistent while users are added during the sync.
    return site.client.listUsers({ pageNumber: page, pageSize: TABLEAU_PAGE_SIZE, sort: 'name:asc', signal });
  }
}
