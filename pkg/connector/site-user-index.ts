/**
 * The duplicate checks of one site's listings, sharing one index of its users. A user listed on two
 * pages of a listing means the offsets shifted while paging or a response is corrupt; either way the
 * listing cannot be trusted (a duplicate usually means another user was skipped), so the sync fails
 * rather than write a silently incomplete c1z. Ids are compared exactly. The users listing
 * keeps the compact form of every page anyway (see SyncState), so the index stores no ids of its
 * own: each slot holds a reference (page number and position) into those pages' UUID words, 4 bytes
 * a slot (~1 MB at 200k users, where a table of copied ids took 5 MB). A group's member listing that
 * spans pages records the member page of each user by that reference, 2 bytes a user of the site
 * when the group holds a good part of the site (the "All Users" group: 0.4 MB instead of another
 * 5 MB), and keeps its own table of ids for smaller groups and for users the index does not know.
 */
import { IdTable, parseUuid, uuidHash } from './id-table.js';

/** The ids of one Tableau page (a compact users page qualifies). */
export interface IdPage {
  /** Tableau's 1-based page number. */
  page: number;
  size: number;
  userId(i: number): string;
}

/** A user id found on two pages: the listing shifted while paging, or a response is corrupt. */
export interface DuplicateUser {
  id: string;
  firstPage: number;
  page: number;
}

/** Positions within a page take 10 bits of a reference (Tableau pages hold at most 1000 users). */
const POSITION_BITS = 10;
const POSITIONS = 1 << POSITION_BITS;
const INITIAL_SLOTS = 1024;
const MAX_LOAD = 0.8;

/** A users page as the index reads it: its number and, when every id is a UUID, their words. */
export interface IndexedUserPage extends IdPage {
  /** Four words per user (see parseUuid); undefined when a page has any other kind of id. */
  uuidWords: Uint32Array | undefined;
}

export class SiteUserIndex {
  /** The UUID words of each page by page number (the first copy read, when a page is read twice). */
  private readonly pageWords: (Uint32Array | undefined)[] = [];
  /** Open addressing: reference + 1 per slot, 0 = empty. */
  private slots = new Uint32Array(INITIAL_SLOTS);
  private used = 0;
  /** Ids that are not UUIDs, or beyond a reference's reach, with the page that listed them first. */
  private readonly others = new Map<string, number>();
  private readonly key = new Uint32Array(4);
  /** One past the largest reference handed out (sizes the member checks' arrays). */
  referenceLimit = 0;
  /** The users the listing announced (totalAvailable), 0 until its first page is in. */
  expectedUsers = 0;
  /** Whether the users listing of this sync has reached its last page. */
  listed = false;
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];

  /** Records that the users listing reached its last page (wakes whoever waits for it). */
  markListed(): void {
    this.listed = true;
    this.wake();
  }

  /** Whether this sync has started reading the users listing (set before its first page is in). */
  begun = false;
  /** Why the last page read failed, until the listing is read again (waiting for it is then hopeless). */
  private failure: { error: unknown } | undefined;

  /** Whether the users listing has shown this user so far. */
  knows(id: string): boolean {
    return this.others.has(id) || this.referenceOf(id) >= 0;
  }

  /** Resolves when the next page is recorded or the listing ends; rejects when reading a page fails. */
  nextPage(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.error);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** A page of the listing is being read (again): the listing goes on. */
  reading(): void {
    this.begun = true;
    this.failure = undefined;
  }

  /** Reading a page failed: whoever waits for the listing fails with it (it may never go on). */
  failed(error: unknown): void {
    this.failure = { error };
    this.wake(error);
  }

  private wake(err?: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      if (err === undefined) waiter.resolve();
      else waiter.reject(err);
    }
  }

  /**
   * Records a page of the users listing; returns a user an earlier page listed. Reading the same page
   * again is fine, and so is an id twice on one page (a page never shifts against itself).
   */
  addPage(page: IndexedUserPage): DuplicateUser | undefined {
    const duplicate = this.record(page);
    this.wake();
    return duplicate;
  }

  private record(page: IndexedUserPage): DuplicateUser | undefined {
    const words = page.uuidWords;
    const earlier = this.pageWords[page.page];
    // References point into the first copy of a page: a second read (which may differ) goes by id.
    const byReference = words && page.size <= POSITIONS && page.page < 2 ** (32 - POSITION_BITS) - 1 && (!earlier || earlier === words);
    if (!byReference) return this.addOthers(page);
    this.pageWords[page.page] = words;
    for (let i = 0; i < page.size; i++) {
      if (this.others.size > 0) {
        const firstPage = this.others.get(page.userId(i));
        if (firstPage !== undefined && firstPage !== page.page) return { id: page.userId(i), firstPage, page: page.page };
      }
      const at = this.find(words, i * 4);
      const found = this.slots[at] ?? 0;
      if (found !== 0) {
        const firstPage = (found - 1) >>> POSITION_BITS;
        if (firstPage !== page.page) return { id: page.userId(i), firstPage, page: page.page };
        continue;
      }
      const reference = page.page * POSITIONS + i;
      this.slots[at] = reference + 1;
      this.referenceLimit = Math.max(this.referenceLimit, reference + 1);
      if (++this.used > this.slots.length * MAX_LOAD) this.grow();
    }
    return undefined;
  }

  /** The reference of a user the listing has shown so far, or -1 (unknown, or not a UUID). */
  referenceOf(id: string): number {
    if (this.used === 0 || !parseUuid(id, this.key)) return -1;
    const found = this.slots[this.find(this.key, 0)] ?? 0;
    return found - 1;
  }

  private addOthers(page: IdPage): DuplicateUser | undefined {
    for (let i = 0; i < page.size; i++) {
      const id = page.userId(i);
      const reference = this.referenceOf(id);
      const firstPage = this.others.get(id) ?? (reference >= 0 ? reference >>> POSITION_BITS : undefined);
      if (firstPage === undefined) this.others.set(id, page.page);
      else if (firstPage !== page.page) return { id, firstPage, page: page.page };
    }
    return undefined;
  }

  /** The slot holding the id in `key` at `at`, or the empty slot where it belongs. */
  private find(key: Uint32Array, at: number, slots = this.slots): number {
    const mask = slots.length - 1;
    for (let slot = uuidHash(key, at) & mask; ; slot = (slot + 1) & mask) {
      const found = slots[slot] ?? 0;
      if (found === 0 || this.sameId(found - 1, key, at)) return slot;
    }
  }

  private sameId(reference: number, key: Uint32Array, at: number): boolean {
    const words = this.pageWords[reference >>> POSITION_BITS];
    const w = (reference & (POSITIONS - 1)) * 4;
    return !!words && words[w] === key[at] && words[w + 1] === key[at + 1] && words[w + 2] === key[at + 2] && words[w + 3] === key[at + 3];
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Uint32Array(old.length * 2);
    for (const found of old) {
      if (found === 0) continue;
      const reference = found - 1;
      const words = this.pageWords[reference >>> POSITION_BITS] as Uint32Array;
      slots[this.find(words, (reference & (POSITIONS - 1)) * 4, slots)] = found;
    }
    this.slots = slots;
  }
}

/**
 * The duplicate check of one group's member listing across its pages. When the group holds a good
 * part of the site, users the site index knows are tracked by reference in a 2-byte array (page
 * numbers up to 65,535) that grows with the references met; otherwise, and for users the index does
 * not know yet (the users listing may still be running), in an id table.
 */
export class MemberPagesCheck {
  private pageByReference: Uint16Array | undefined;
  private readonly others = new IdTable();

  /** `members` is the group's member count (Tableau's totalAvailable). */
  constructor(private readonly users: SiteUserIndex, members: number) {
    // The array costs 2 bytes per user of the site, the table ~25-50 bytes per member.
    if (users.expectedUsers > 0 && members * 16 >= users.expectedUsers) this.pageByReference = new Uint16Array(INITIAL_SLOTS);
  }

  /** Records a page; returns a user an earlier page of this group listed. */
  add(page: IdPage): DuplicateUser | undefined {
    const byReference = this.pageByReference !== undefined && page.page < 65_536;
    for (let i = 0; i < page.size; i++) {
      const id = page.userId(i);
      // An id first seen while the index did not know it stays in the table, so both sightings meet there.
      const reference = byReference && !this.others.has(id) ? this.users.referenceOf(id) : -1;
      const firstPage = reference >= 0 ? this.firstPageByReference(reference, page.page) : this.others.getOrSet(id, page.page);
      if (firstPage !== page.page) return { id, firstPage, page: page.page };
    }
    return undefined;
  }

  private firstPageByReference(reference: number, page: number): number {
    let pages = this.pageByReference as Uint16Array;
    if (reference >= pages.length) {
      const bigger = new Uint16Array(Math.max(pages.length * 2, this.users.referenceLimit));
      bigger.set(pages);
      this.pageByReference = pages = bigger;
    }
    const first = pages[reference] ?? 0;
    if (first !== 0) return first;
    pages[reference] = page;
    return page;
  }
}
