/**
 * Per-sync memory shared by the resource types, so that one sync lists each site's users once:
 * ListResources(user) fills it, ListGrants(site) / ListGrants(license) / ListEntitlements(site)
 * read it. Only `[user id, site role]` pairs are kept, in a compact form (ids as UUID bytes and one
 * Uint16Array of role indexes per page: ~18 bytes a user, ~4 MB at 200k users, outside the V8 heap).
 * Keyed by the Baton `active_sync_id`; calls without one never share state.
 */
import type { TableauSite } from '../tableau/types.js';
import { formatUuid, parseUuid } from './id-table.js';
import { MemberPagesCheck, SiteUserIndex } from './site-user-index.js';
import type { ScimUserKey } from './scim-management.js';
import type { SiteRef } from './sites.js';
import { UserReadAhead } from './user-read-ahead.js';

/** The `[id, siteRole]` pairs of one Tableau users page. */
export interface CompactUserPage {
  /** Tableau's 1-based page number (pages are always 1000 users). */
  page: number;
  /** Whether Tableau has a page after this one. */
  hasMore: boolean;
  size: number;
  userId(i: number): string;
  siteRole(i: number): string;
  /** The identity pool Tableau shows for the user (`identityPoolUuid`), if any; few users have one. */
  identityPool(i: number): string | undefined;
  /**
   * What the SCIM test needs of the user (scim-management.ts): the id, the IdP configuration (kept
   * only for users with one) and the sign-in name (kept only when the sync reads the site's SCIM service).
   */
  scimUser(i: number): ScimUserKey;
  /** The ids as UUID words, four per user, when every id of the page is a UUID (see parseUuid). */
  uuidWords: Uint32Array | undefined;
}

/** What the compact form keeps of a listed user. */
interface CompactableUser {
  id: string;
  siteRole: string;
  identityPoolUuid?: string;
  idpConfigurationId?: string;
  name?: string;
}

/** State kept for one sync: compact users pages, Query Site results and the resolved site list. */
export class SyncState {
  private readonly roleNames: string[] = [];
  private readonly roleIndex = new Map<string, number>();
  private readonly idpIds: string[] = [];
  private readonly idpIndex = new Map<string, number>();
  private readonly userPages = new Map<string, Promise<CompactUserPage>>();
  private readonly siteDetails = new Map<string, Promise<TableauSite>>();
  private readonly siteUsers = new Map<string, SiteUserIndex>();
  private readonly memberChecks = new Map<string, MemberPagesCheck>();
  private readonly droppedMembers = new Map<string, number>();
  /** The users page after the last one listed, already on its way (see UserReadAhead). */
  readonly userReadAhead = new UserReadAhead();
  /** The next members page of each group being listed, already on its way (keyed by group id). */
  readonly memberReadAhead = new UserReadAhead();
  /** The resolved site list of this sync (see SiteDirectory.list). */
  siteList: Promise<SiteRef[]> | undefined;

  /** Cancels pages still on their way (the sync ended or its state was evicted). */
  closeReadAheads(): void {
    this.userReadAhead.close();
    this.memberReadAhead.close();
  }

  /** Memoises the Query Site (with usage) of a site for the rest of the sync. */
  siteDetailsOf(siteId: string, load: () => Promise<TableauSite>): Promise<TableauSite> {
    return memo(this.siteDetails, siteId, load);
  }

  /** Returns the cached page, or runs `load` once (concurrent callers share it). */
  userPage(siteId: string, page: number, load: () => Promise<CompactUserPage>): Promise<CompactUserPage> {
    return memo(this.userPages, `${siteId}/${page}`, load);
  }

  /** Stores a page just read from Tableau (ListResources(user) is the usual producer). */
  putUserPage(siteId: string, page: CompactUserPage): void {
    this.userPages.set(`${siteId}/${page.page}`, Promise.resolve(page));
  }

  /** The index of a site's users listing in this sync, which also checks it for duplicates. */
  usersOf(siteId: string): SiteUserIndex {
    let index = this.siteUsers.get(siteId);
    if (!index) this.siteUsers.set(siteId, (index = new SiteUserIndex()));
    return index;
  }

  /**
   * The duplicate check of one group's member listing while it spans several pages (`members`: its
   * totalAvailable); `done` drops it after the last page, so only groups being listed hold memory.
   */
  duplicateMembers(siteId: string, groupId: string, members: number, done: boolean): MemberPagesCheck {
    let check = this.memberChecks.get(groupId);
    if (!check) this.memberChecks.set(groupId, (check = new MemberPagesCheck(this.usersOf(siteId), members)));
    if (done) this.memberChecks.delete(groupId);
    return check;
  }

  /**
   * Adds `count` members of a group dropped as not listed (see member-check.ts) and returns the
   * group's total so far; `done` forgets the group (its member listing ended).
   */
  countDroppedMembers(groupId: string, count: number, done: boolean): number {
    const total = (this.droppedMembers.get(groupId) ?? 0) + count;
    if (done) this.droppedMembers.delete(groupId);
    else if (total > 0) this.droppedMembers.set(groupId, total);
    return total;
  }

  /** Builds the compact form of a page of users; `keepNames` for the SCIM test of exact mode. */
  compact(page: number, hasMore: boolean, users: readonly CompactableUser[], keepNames = false): CompactUserPage {
    const roles = new Uint16Array(users.length);
    // IdP configurations (the SCIM test) as indexes into a few interned ids, 0 = none: on an SSO site
    // every user names one, so a map entry per user would outweigh the rest of the page.
    const idps = new Uint16Array(users.length);
    // Sparse: only pool users take an entry (the identity_pool grants read it, see identity-pool/).
    const pools = new Map<number, string>();
    users.forEach((u, i) => {
      roles[i] = this.internRole(u.siteRole);
      if (u.idpConfigurationId) idps[i] = this.internIdp(u.idpConfigurationId);
      if (u.identityPoolUuid) pools.set(i, u.identityPoolUuid);
    });
    const names = keepNames ? joined(users.map((u) => u.name ?? '')) : undefined;
    const roleNames = this.roleNames;
    const idpIds = this.idpIds;
    const ids = compactIds(users);
    return {
      page,
      hasMore,
      size: users.length,
      userId: ids.userId,
      uuidWords: ids.uuidWords,
      siteRole: (i) => roleNames[roles[i] ?? 0] ?? '',
      identityPool: (i) => pools.get(i),
      scimUser: (i) => ({ id: ids.userId(i), name: names?.(i), idpConfigurationId: idpIds[(idps[i] ?? 0) - 1] }),
    };
  }

  /** The 1-based index of an IdP configuration id (a site has a few; every user of one may name it). */
  private internIdp(id: string): number {
    let index = this.idpIndex.get(id);
    if (index === undefined) {
      this.idpIds.push(id);
      index = this.idpIds.length;
      this.idpIndex.set(id, index);
    }
    return index;
  }

  private internRole(role: string): number {
    let index = this.roleIndex.get(role);
    if (index === undefined) {
      index = this.roleNames.length;
      this.roleNames.push(role);
      this.roleIndex.set(role, index);
    }
    return index;
  }
}

/**
 * The ids of a page in their smallest form: Tableau's lowercase UUIDs as 16 bytes each, outside the
 * V8 heap (what is live there sets how far V8 lets the heap grow); a page with any other id keeps
 * them joined in one string.
 */
function compactIds(users: readonly { id: string }[]): Pick<CompactUserPage, 'userId' | 'uuidWords'> {
  const words = new Uint32Array(users.length * 4);
  if (users.every((u, i) => parseUuid(u.id, words, i * 4))) return { userId: (i) => formatUuid(words, i * 4), uuidWords: words };
  return { userId: joined(users.map((u) => u.id)), uuidWords: undefined };
}

/** Strings joined in one (one string and an offsets array instead of one string each). */
function joined(values: readonly string[]): (i: number) => string {
  const all = values.join('\n');
  const offsets = new Uint32Array(values.length + 1);
  let at = 0;
  values.forEach((v, i) => {
    offsets[i] = at;
    at += v.length + 1;
  });
  offsets[values.length] = at;
  return (i) => all.slice(offsets[i] ?? 0, (offsets[i + 1] ?? 1) - 1);
}

/** Maximum syncs kept at once: a sync that never calls Cleanup must not leak memory forever. */
const MAX_SYNCS = 4;

/** The states of the syncs in progress, by `active_sync_id`. */
export class SyncCache {
  private readonly syncs = new Map<string, SyncState>();

  /** The state of a sync, or undefined when the call carries no sync id. */
  forSync(syncId: string): SyncState | undefined {
    if (syncId === '') return undefined;
    let state = this.syncs.get(syncId);
    if (state === undefined) {
      state = new SyncState();
      this.syncs.set(syncId, state);
      for (const oldest of this.syncs.keys()) {
        if (this.syncs.size <= MAX_SYNCS) break;
        this.syncs.get(oldest)?.closeReadAheads();
        this.syncs.delete(oldest);
      }
    }
    return state;
  }

  /** Drops one sync's state (Cleanup with a sync id) or everything (Cleanup without one). */
  drop(syncId: string): void {
    for (const [id, state] of this.syncs) if (syncId === '' || id === syncId) state.closeReadAheads();
    if (syncId === '') this.syncs.clear();
    else this.syncs.delete(syncId);
  }

  get size(): number {
    return this.syncs.size;
  }
}

function memo<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = map.get(key);
  if (hit !== undefined) return hit;
  const pending = load();
  map.set(key, pending);
  // A failed load is not cached: the next caller retries it.
  pending.catch(() => {
    if (map.get(key) === pending) map.delete(key);
  });
  return pending;
}
