/**
 * One site's users, groups, memberships and content, held in compact in-memory structures.
 * Users are addressed by a stable index; removed users are tombstoned so indexes never shift.
 */
import { MemberList } from './member-list.js';
import { maxRole, seatOf, type Seat } from './roles.js';
import { UserGroupIndex } from './user-group-index.js';

/** Pre-rendered fragments of one object, per output format and field set; dropped on change. */
interface FragmentCache {
  xml?: Buffer;
  json?: Buffer;
  xmlAll?: Buffer;
  jsonAll?: Buffer;
}

export type FragmentSlot = keyof FragmentCache;

/** A user of one site; `idx` is its stable position in the site's user table. */
export interface SimUser {
  idx: number;
  id: string;
  name: string;
  email: string;
  fullName: string;
  siteRole: string;
  authSetting: string;
  lastLogin: string | null;
  domain: string;
  externalAuthUserId: string;
  identityPoolUuid: string | null;
  deleted: boolean;
  /** Created on first render (200k empty caches would cost memory and start time). */
  cache: FragmentCache | undefined;
}

/** A group of one site with its member list. */
export interface SimGroup {
  id: string;
  name: string;
  domain: string;
  minimumSiteRole: string | null;
  grantLicenseMode: string | null;
  /** The implicit "All Users" group: its members are the site's live users. */
  allUsers: boolean;
  members: MemberList;
  cache: FragmentCache;
}

/** The content types whose ownership blocks removing a user. */
export type ContentKind = 'workbook' | 'datasource' | 'flow';

/** A workbook, data source or flow and its owner's user index. */
export interface ContentItem {
  id: string;
  name: string;
  kind: ContentKind;
  ownerIdx: number;
}

/** Site attributes as Query Site returns them (null capacity = unlimited). */
export interface SiteMeta {
  id: string;
  name: string;
  contentUrl: string;
  adminMode: string;
  state: string;
  userQuota: number | null;
  tierCreatorCapacity: number | null;
  tierExplorerCapacity: number | null;
  tierViewerCapacity: number | null;
  /** With `--scim`: the IdP configuration SCIM provisions through (Query Site's attribute). */
  idpConfigurationIdForScim?: string;
}

const VIEW_CACHE_LIMIT = 16;

/** One site's state and the queries and writes the routes need. */
export class SiteStore {
  readonly users: SimUser[] = [];
  readonly groups: SimGroup[] = [];
  readonly content: ContentItem[] = [];
  /** Live user indexes in insertion order (Tableau's "undefined" but stable order). */
  private live: number[] = [];
  private liveDirty = false;
  private readonly idxByLuid = new Map<string, number>();
  private readonly groupByLuid = new Map<string, SimGroup>();
  private readonly idxByLowerName = new Map<string, number>();
  /** Bumped on any user change; keys the cached filtered/sorted views. */
  version = 0;
  private readonly views = new Map<string, { version: number; order: Int32Array }>();
  /** Built on demand; dropped whenever a membership or the group list changes. */
  private groupIndex: UserGroupIndex | null = null;

  constructor(readonly meta: SiteMeta) {}

  insertUser(f: Omit<SimUser, 'idx' | 'deleted' | 'cache'>): SimUser {
    // Explicit literal (not a spread) so every user shares one hidden class.
    const user: SimUser = {
      idx: this.users.length, id: f.id, name: f.name, email: f.email, fullName: f.fullName, siteRole: f.siteRole,
      authSetting: f.authSetting, lastLogin: f.lastLogin, domain: f.domain, externalAuthUserId: f.externalAuthUserId,
      identityPoolUuid: f.identityPoolUuid, deleted: false, cache: undefined,
    };
    this.users.push(user);
    this.live.push(user.idx);
    this.idxByLuid.set(user.id.toLowerCase(), user.idx);
    this.idxByLowerName.set(user.name.toLowerCase(), user.idx);
    this.touch();
    return user;
  }

  insertGroup(fields: Omit<SimGroup, 'cache' | 'members'>, members?: MemberList): SimGroup {
    const group: SimGroup = { ...fields, members: members ?? new MemberList(), cache: {} };
    this.groups.push(group);
    this.groupByLuid.set(group.id.toLowerCase(), group);
    this.groupIndex = null;
    return group;
  }

  deleteGroup(group: SimGroup): void {
    this.groups.splice(this.groups.indexOf(group), 1);
    this.groupByLuid.delete(group.id.toLowerCase());
    this.groupIndex = null;
  }

  /** Adds a member; false when the user already was one. */
  addMember(group: SimGroup, user: SimUser): boolean {
    if (!group.members.add(user.idx)) return false;
    this.membershipChanged(group);
    return true;
  }

  /** Removes a member; false when the user was not one. */
  removeMember(group: SimGroup, user: SimUser): boolean {
    if (!group.members.remove(user.idx)) return false;
    this.membershipChanged(group);
    return true;
  }

  private membershipChanged(group: SimGroup): void {
    group.cache = {};
    this.groupIndex = null;
  }

  userById(id: string): SimUser | undefined {
    const idx = this.idxByLuid.get(id.toLowerCase());
    return idx === undefined ? undefined : this.users[idx];
  }

  userByName(name: string): SimUser | undefined {
    const idx = this.idxByLowerName.get(name.toLowerCase());
    return idx === undefined ? undefined : this.users[idx];
  }

  groupById(id: string): SimGroup | undefined {
    return this.groupByLuid.get(id.toLowerCase());
  }

  groupByName(name: string): SimGroup | undefined {
    const lower = name.toLowerCase();
    return this.groups.find((g) => g.name.toLowerCase() === lower);
  }

  liveUsers(): readonly number[] {
    if (this.liveDirty) {
      this.live = this.live.filter((idx) => this.users[idx]?.deleted === false);
      this.liveDirty = false;
    }
    return this.live;
  }

  /** Members of a group in stable order, in [start, end). */
  memberSlice(group: SimGroup, start: number, end: number): ArrayLike<number> {
    return group.allUsers ? this.liveUsers().slice(start, end) : group.members.slice(start, end);
  }

  memberCount(group: SimGroup): number {
    return group.allUsers ? this.liveUsers().length : group.members.size;
  }

  isMember(group: SimGroup, user: SimUser): boolean {
    return group.allUsers ? !user.deleted : group.members.has(user.idx);
  }

  groupsOf(user: SimUser): SimGroup[] {
    if (user.deleted) return [];
    this.groupIndex ??= UserGroupIndex.build(this.groups, this.users.length);
    return [...this.groups.filter((g) => g.allUsers), ...this.groupIndex.groupsOf(user.idx)];
  }

  /** A cached user ordering for one filter/sort combination; rebuilt when users change. */
  userView(key: string, build: () => Int32Array): ArrayLike<number> {
    if (key === '') return this.liveUsers();
    const hit = this.views.get(key);
    if (hit && hit.version === this.version) return hit.order;
    const order = build();
    if (this.views.size >= VIEW_CACHE_LIMIT) this.views.clear();
    this.views.set(key, { version: this.version, order });
    return order;
  }

  /** Marks a user changed: drops its fragments and every cached view. */
  touchUser(user: SimUser): void {
    user.cache = undefined;
    this.touch();
  }

  private touch(): void {
    this.version++;
    for (const group of this.groups) if (group.allUsers) group.cache = {};
  }

  removeUser(user: SimUser): void {
    user.deleted = true;
    this.idxByLuid.delete(user.id.toLowerCase());
    this.idxByLowerName.delete(user.name.toLowerCase());
    this.liveDirty = true;
    for (const group of this.groups) {
      if (!group.allUsers && group.members.remove(user.idx)) group.cache = {};
    }
    this.groupIndex = null;
    this.touch();
  }

  /** Seats in use per license, optionally not counting one user (whose role is being changed). */
  seatUsage(exceptIdx = -1): { Creator: number; Explorer: number; Viewer: number; total: number } {
    const usage = { Creator: 0, Explorer: 0, Viewer: 0, total: 0 };
    for (const idx of this.liveUsers()) {
      if (idx === exceptIdx) continue;
      const seat = seatOf((this.users[idx] as SimUser).siteRole);
      if (seat) {
        usage[seat]++;
        usage.total++;
      }
    }
    return usage;
  }

  /**
   * The role a write actually produces: raised to the minimum of the user's grant-license-on-sign-in
   * groups, then `Unlicensed` when the seat it needs is used up (Tableau's behaviour; no error).
   */
  effectiveRole(requested: string, user: SimUser | undefined): string {
    let role = requested;
    if (user) {
      for (const group of this.groupsOf(user)) {
        if (group.minimumSiteRole && group.grantLicenseMode === 'onLogin') role = maxRole(role, group.minimumSiteRole);
      }
    }
    return this.hasSeatFor(role, user?.idx ?? -1) ? role : 'Unlicensed';
  }

  private hasSeatFor(role: string, exceptIdx: number): boolean {
    const seat: Seat = seatOf(role);
    if (seat === null) return true;
    const { meta } = this;
    const usage = this.seatUsage(exceptIdx);
    if (meta.userQuota !== null && usage.total >= meta.userQuota) return false;
    const capacity = { Creator: meta.tierCreatorCapacity, Explorer: meta.tierExplorerCapacity,
      Viewer: meta.tierViewerCapacity }[seat];
    return capacity === null || usage[seat] < capacity;
  }

  contentOwnedBy(idx: number): ContentItem[] {
    return this.content.filter((item) => item.ownerIdx === idx);
  }
}
