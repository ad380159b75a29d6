/**
 * The users listing reads one page ahead within a sync: once ListResources(user) returns page p, page
 * p+1 is already requested, the next call uses it instead of asking again, the last page starts
 * nothing, and Cleanup cancels a read-ahead nobody took. Budget: ~3 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../proto/types.js';
import { startHarness, type Harness } from './harness.js';
import { callCtx } from './walk.js';

const USERS_ROUTE = 'GET /sites/{}/users';

describe('users read-ahead', () => {
  let h: Harness;
  let site: Resource;

  beforeAll(async () => {
    h = await startHarness({ seed: 3, sites: 1, users: 2_500, groups: 2, memberships: 100 }, { contentUrls: [''] });
    const ctx = callCtx('read-ahead-setup');
    const sites = await h.connector.listResources({ resourceTypeId: 'site' }, ctx);
    site = sites.list?.[0] as Resource;
  });
  afterAll(async () => h?.close());

  it('requests each of the 3 pages once, each one while the previous is being handled', async () => {
    const ctx = callCtx('read-ahead-sync');
    await h.sim.resetStats();
    const list = (pageToken: string) => h.connector.listResources({ resourceTypeId: 'user', parentResourceId: site.id, pageToken }, ctx);
    const first = await list('');
    expect(await h.requestsReach(USERS_ROUTE, 2)).toBe(2);
    const second = await list(first.nextPageToken ?? '');
    expect(await h.requestsReach(USERS_ROUTE, 3)).toBe(3);
    const third = await list(second.nextPageToken ?? '');
    expect(third.nextPageToken ?? '').toBe('');
    const ids = new Set([first, second, third].flatMap((page) => page.list ?? []).map((r) => r.id?.resource));
    expect(ids.size).toBe(2_500);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await h.requests(USERS_ROUTE)).toBe(3);
    await h.connector.cleanup({ activeSyncId: ctx.syncId }, ctx);
  });

  it('reads nothing ahead without a sync id, and Cleanup drops an untaken read-ahead', async () => {
    const noSync = { ...callCtx('x'), syncId: '' };
    await h.sim.resetStats();
    await h.connector.listResources({ resourceTypeId: 'user', parentResourceId: site.id, pageToken: '' }, noSync);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await h.requests(USERS_ROUTE)).toBe(1);

    const ctx = callCtx('read-ahead-dropped');
    await h.sim.resetStats();
    const first = await h.connector.listResources({ resourceTypeId: 'user', parentResourceId: site.id, pageToken: '' }, ctx);
    expect(await h.requestsReach(USERS_ROUTE, 2)).toBe(2);
    await h.connector.cleanup({ activeSyncId: ctx.syncId }, ctx);
    // A new sync state after Cleanup: page 2 comes from Tableau again, not from the dropped read-ahead
    // (then page 3 is read ahead: 4 requests; from the dropped read-ahead there would be 3).
    await h.connector.listResources({ resourceTypeId: 'user', parentResourceId: site.id, pageToken: first.nextPageToken ?? '' }, ctx);
    expect(await h.requestsReach(USERS_ROUTE, 4)).toBe(4);
    await h.connector.cleanup({ activeSyncId: ctx.syncId }, ctx);
  });
});
