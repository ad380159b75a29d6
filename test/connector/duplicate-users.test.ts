/**
 * A listing that repeats an id across pages is caught, ids are compared exactly (UUIDs kept as
 * words, anything else as strings), and site-sized listings are checked without false repeats: the
 * users listing through the site's user index, a group's members by reference into it or by id.
 */
import { describe, expect, it } from 'vitest';
import { SyncState } from '../../pkg/connector/sync-cache.js';
import { IdTable } from '../../pkg/connector/id-table.js';

const uuid = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-${(n * 7919).toString(16).padStart(12, '0')}`;
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => uuid(from + i));

function usersPage(state: SyncState, number: number, ids: string[]) {
  return state.compact(number, true, ids.map((id) => ({ id, siteRole: 'Viewer' })));
}

describe('duplicate users across pages of the users listing', () => {
  it('catches a plain repeat and accepts a re-read page and a repeat within one page', () => {
    const state = new SyncState();
    const index = state.usersOf('site');
    expect(index.addPage(usersPage(state, 1, [uuid(1), uuid(2), uuid(1)]))).toBeUndefined();
    expect(index.addPage(usersPage(state, 1, [uuid(1), uuid(2)]))).toBeUndefined();
    expect(index.addPage(usersPage(state, 2, [uuid(3), uuid(2)]))).toEqual({ id: uuid(2), firstPage: 1, page: 2 });
  });

  it('checks a page read again with other users against the later pages too', () => {
    const state = new SyncState();
    const index = state.usersOf('site');
    expect(index.addPage(usersPage(state, 1, [uuid(1), uuid(2)]))).toBeUndefined();
    expect(index.addPage(usersPage(state, 1, [uuid(2), uuid(3)]))).toBeUndefined();
    expect(index.addPage(usersPage(state, 2, [uuid(4), uuid(3)]))).toEqual({ id: uuid(3), firstPage: 1, page: 2 });
    expect(index.referenceOf(uuid(1))).toBeGreaterThanOrEqual(0);
  });

  it('compares ids exactly across UUID pages and pages with other ids, in either order', () => {
    const state = new SyncState();
    const index = state.usersOf('site');
    expect(index.addPage(usersPage(state, 1, [uuid(1), 'u-1', uuid(1).toUpperCase()]))).toBeUndefined();
    expect(index.addPage(usersPage(state, 2, [uuid(2), uuid(3)]))).toBeUndefined();
    expect(index.addPage(usersPage(state, 3, [uuid(4), uuid(1)]))).toEqual({ id: uuid(1), firstPage: 1, page: 3 });
    const other = new SyncState().usersOf('site');
    expect(other.addPage(usersPage(state, 1, [uuid(5), uuid(6)]))).toBeUndefined();
    expect(other.addPage(usersPage(state, 2, ['u-2', uuid(6)]))).toEqual({ id: uuid(6), firstPage: 1, page: 2 });
  });

  it('indexes 300 pages of 1000 users through its growth, then finds repeats with their first page', () => {
    const state = new SyncState();
    const index = state.usersOf('site');
    for (let p = 1; p <= 300; p++) expect(index.addPage(usersPage(state, p, range(p * 1000, 1000)))).toBeUndefined();
    for (const n of [1000, 150_999, 300_500]) expect(index.referenceOf(uuid(n))).toBeGreaterThanOrEqual(0);
    expect(index.referenceOf(uuid(999))).toBe(-1);
    expect(index.referenceOf('not-a-uuid')).toBe(-1);
    expect(index.addPage(usersPage(state, 301, [uuid(999), uuid(123_456)]))).toEqual({ id: uuid(123_456), firstPage: 123, page: 301 });
  });
});

describe('duplicate members across pages of one group', () => {
  /** A site whose users listing is in: `users` users on pages of 1000. */
  function siteWithUsers(users: number): SyncState {
    const state = new SyncState();
    const index = state.usersOf('site');
    index.expectedUsers = users;
    for (let p = 1; p * 1000 <= users; p++) index.addPage(usersPage(state, p, range((p - 1) * 1000, 1000)));
    return state;
  }
  const members = (page: number, ids: string[]) => ({ page, size: ids.length, userId: (i: number) => ids[i] ?? '' });

  it('a large group (tracked by reference) and a small one (by id) both catch a repeat', () => {
    for (const [total, byReference] of [[20_000, true], [1_200, false]] as const) {
      const state = siteWithUsers(20_000);
      const check = state.duplicateMembers('site', `g${total}`, total, false);
      expect((check as unknown as { pageByReference?: Uint16Array }).pageByReference !== undefined).toBe(byReference);
      expect(check.add(members(1, range(0, 1000)))).toBeUndefined();
      expect(check.add(members(1, range(0, 1000)))).toBeUndefined();
      expect(check.add(members(2, range(1000, 200)))).toBeUndefined();
      expect(state.duplicateMembers('site', `g${total}`, total, true).add(members(3, [uuid(1199)]))).toEqual({ id: uuid(1199), firstPage: 2, page: 3 });
    }
  });

  it('catches a member first seen before the users listing reached it and seen again after', () => {
    const state = new SyncState();
    const index = state.usersOf('site');
    index.expectedUsers = 2_000;
    index.addPage(usersPage(state, 1, range(0, 1000)));
    const check = state.duplicateMembers('site', 'all', 2_000, false);
    expect(check.add(members(1, [...range(0, 10), uuid(1500), 'u-x']))).toBeUndefined();
    index.addPage(usersPage(state, 2, range(1000, 1000)));
    expect(check.add(members(2, [uuid(1600), 'u-y']))).toBeUndefined();
    expect(check.add(members(3, [uuid(1500)]))).toEqual({ id: uuid(1500), firstPage: 1, page: 3 });
    expect(check.add(members(4, ['u-x']))).toEqual({ id: 'u-x', firstPage: 1, page: 4 });
    expect(check.add(members(5, [uuid(5)]))).toEqual({ id: uuid(5), firstPage: 1, page: 5 });
  });

  it('drops a group check after its last page: the next listing of the group starts afresh', () => {
    const state = siteWithUsers(5_000);
    state.duplicateMembers('site', 'g', 5_000, false).add(members(1, range(0, 1000)));
    state.duplicateMembers('site', 'g', 5_000, true).add(members(2, range(1000, 10)));
    expect(state.duplicateMembers('site', 'g', 5_000, false).add(members(2, range(0, 10)))).toBeUndefined();
  });
});

describe('the id table behind the checks', () => {
  it('keeps the first value of 300k UUIDs through its growth, and finds repeats afterwards', () => {
    const table = new IdTable();
    for (let n = 0; n < 300_000; n++) expect(table.getOrSet(uuid(n), n % 1000)).toBe(n % 1000);
    expect(table.size).toBe(300_000);
    for (let n = 0; n < 300_000; n += 997) expect(table.getOrSet(uuid(n), 5_000)).toBe(n % 1000);
    expect(table.size).toBe(300_000);
    expect(table.has(uuid(299_999))).toBe(true);
    expect(table.has(uuid(300_000))).toBe(false);
  });

  it('compares ids exactly: case, non-UUID ids and near-UUIDs are distinct keys', () => {
    const table = new IdTable();
    const lower = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const ids = [lower, lower.toUpperCase(), 'u1', '', lower.replace(/-/g, '_'), `${lower} `, lower.slice(0, 35)];
    ids.forEach((id, i) => expect(table.getOrSet(id, i)).toBe(i));
    ids.forEach((id, i) => expect(table.getOrSet(id, 99)).toBe(i));
    ids.forEach((id) => expect(table.has(id)).toBe(true));
    expect(table.size).toBe(ids.length);
  });
});
