/**
 * A users listing that repeats an id across pages is caught, ids are compared exactly (UUIDs kept
 * as bytes, anything else as strings), and a site-sized listing is checked without false repeats.
 */
import { describe, expect, it } from 'vitest';
import { SyncState } from '../../pkg/connector/sync-cache.js';
import { IdTable } from '../../pkg/connector/id-table.js';

describe('duplicate users across pages', () => {
  // Two ids with the same 31-bit FNV-1a hash (found by search): the check compares ids exactly only on a hash hit.
  const FIRST = '00000000-0000-4000-8000-00000002518f';
  const COLLIDING = '00000000-0000-4000-8000-000000054efc';
  const page = (state: SyncState, number: number, ids: string[]) =>
    state.compact(number, true, ids.map((id) => ({ id, siteRole: 'Viewer' })));

  it('catches a repeat of an id whose hash another user took first', () => {
    const state = new SyncState();
    const check = state.duplicateUsers('site');
    expect(check.add(page(state, 1, [FIRST, 'a']))).toBeUndefined();
    expect(check.add(page(state, 2, [COLLIDING, 'b']))).toBeUndefined();
    expect(check.add(page(state, 2, [COLLIDING, 'b']))).toBeUndefined();
    expect(check.add(page(state, 3, ['c', COLLIDING]))).toEqual({ id: COLLIDING, firstPage: 2, page: 3 });
  });

  it('still catches a plain repeat and accepts a re-read page', () => {
    const state = new SyncState();
    const check = state.duplicateUsers('site');
    expect(check.add(page(state, 1, [FIRST, COLLIDING]))).toBeUndefined();
    expect(check.add(page(state, 1, [FIRST, COLLIDING]))).toBeUndefined();
    expect(check.add(page(state, 2, ['x', COLLIDING]))).toEqual({ id: COLLIDING, firstPage: 1, page: 2 });
  });
});

describe('the id table behind the check', () => {
  const uuid = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-${(n * 7919).toString(16).padStart(12, '0')}`;

  it('keeps the first value of 300k UUIDs through its growth, and finds repeats afterwards', () => {
    const table = new IdTable();
    for (let n = 0; n < 300_000; n++) expect(table.getOrSet(uuid(n), n % 1000)).toBe(n % 1000);
    expect(table.size).toBe(300_000);
    for (let n = 0; n < 300_000; n += 997) expect(table.getOrSet(uuid(n), 5_000)).toBe(n % 1000);
    expect(table.size).toBe(300_000);
  });

  it('compares ids exactly: case, non-UUID ids and near-UUIDs are distinct keys', () => {
    const table = new IdTable();
    const lower = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const ids = [lower, lower.toUpperCase(), 'u1', '', lower.replace(/-/g, '_'), `${lower} `, lower.slice(0, 35)];
    ids.forEach((id, i) => expect(table.getOrSet(id, i)).toBe(i));
    ids.forEach((id, i) => expect(table.getOrSet(id, 99)).toBe(i));
    expect(table.size).toBe(ids.length);
  });

  it('catches a repeat of a group member across pages without keeping the pages', () => {
    const state = new SyncState();
    const members = (from: number) => Array.from({ length: 1000 }, (_, i) => ({ id: uuid(from + i), siteRole: 'Viewer' }));
    const check = state.duplicateMembers('g1', false);
    expect(check.add(state.compact(1, true, members(0)))).toBeUndefined();
    expect(check.add(state.compact(2, true, members(1000)))).toBeUndefined();
    expect(state.duplicateMembers('g1', true).add(state.compact(3, false, members(1999)))).toEqual({ id: uuid(1999), firstPage: 2, page: 3 });
  });
});
