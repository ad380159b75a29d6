/**
 * Group members that are not users of the site's users listing in this sync: a user removed while
 * the sync ran (listed as a member, gone from the users listing), added while it ran (behind the
 * users listing's position by then), or otherwise absent. A grant for such a member would name a
 * user resource the sync never stored (a dangling grant), so none is emitted; the group's count of
 * dropped members is one warning when its member listing ends.
 *
 * Group grants are listed while the users listing still runs (SyncHints.independentGrantTypes), so a
 * member the users listing has not shown yet is waited for: until the listing shows it or ends. Both
 * listings go by name, so the wait is short. The sync engine dispatches a site's users listing before
 * its groups listing, so the listing waited on is running. Without a users listing in this sync
 * (a ListGrants call on its own) there is nothing to compare with, and every member is kept.
 */
import { untilAborted } from '../util/abort.js';
import type { SyncState } from './sync-cache.js';
import type { SiteRef } from './sites.js';
import type { CallCtx } from './types.js';
import { warnOnce } from './warnings.js';

/** The members of one page that the site's users listing holds; see the module comment. */
export async function listedMembers<T extends { id: string }>(
  state: SyncState | undefined,
  site: SiteRef,
  group: { id: string; name: string },
  page: { items: T[]; next: number | undefined },
  ctx: CallCtx,
): Promise<T[]> {
  const index = state?.usersOf(site.id);
  if (!state || !index?.begun) return page.items;
  let unknown = page.items.filter((member) => !index.knows(member.id));
  while (unknown.length > 0 && !index.listed) {
    await untilAborted(index.nextPage(), ctx.signal);
    unknown = unknown.filter((member) => !index.knows(member.id));
  }
  const done = page.next === undefined;
  const dropped = state.countDroppedMembers(group.id, unknown.length, done);
  if (done && dropped > 0) {
    const message = `group "${group.name}" (${group.id}): ${dropped} members are not in the users listing of site "${site.contentUrl}" ` +
      '(removed or added during the sync?); no grants emitted for them';
    warnOnce(ctx, message, `missing members ${group.id}`, { groupId: group.id, dropped });
  }
  if (unknown.length === 0) return page.items;
  const missing = new Set(unknown.map((member) => member.id));
  return page.items.filter((member) => !missing.has(member.id));
}
