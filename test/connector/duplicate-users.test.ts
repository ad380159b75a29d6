/**
 * A users listing that repeats an id across pages is caught, even when that id shares its compact
 * hash with another user (the check compares ids exactly only on a hash hit).
 */
import { describe, expect, it } from 'vitest';
import { SyncState } from '../../pkg/connector/sync-cache.js';

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
