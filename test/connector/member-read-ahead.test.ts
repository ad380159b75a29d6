/**
 * A group's members are read one page ahead within a sync, like the users listing: once ListGrants
 * returns page p of a group, page p+1 is already requested and the next call uses it; the last page
 * starts nothing. Every page is still requested exactly once. Budget: ~3 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../proto/types.js';
import { startHarness, type Harness } from './harness.js';
import { callCtx } from './walk.js';

const MEMBERS_ROUTE = 'GET /sites/{}/groups/{}/users';

describe('group members read-ahead', () => {
  let h: Harness;
  let allUsers: Resource;

  beforeAll(async () => {
    h = await startHarness({ seed: 5, sites: 1, users: 2_500, groups: 2, memberships: 100 }, { contentUrls: [''] });
    const ctx = callCtx('member-read-ahead-setup');
    const sites = await h.connector.listResources({ resourceTypeId: 'site' }, ctx);
    const groups = await h.connector.listResources({ resourceTypeId: 'group', parentResourceId: sites.list?.[0]?.id }, ctx);
    allUsers = groups.list?.find((g) => g.displayName === 'All Users') as Resource;
    await h.connector.cleanup({ activeSyncId: ctx.syncId }, ctx);
  });
  afterAll(async () => h?.close());

  it('requests each of the 3 pages of All Users once, each while the previous is being handled', async () => {
    const ctx = callCtx('member-read-ahead-sync');
    await h.sim.resetStats();
    const list = (pageToken: string) => h.connector.listGrants({ resource: allUsers, pageToken }, ctx);
    const first = await list('');
    expect(await h.requestsReach(MEMBERS_ROUTE, 2)).toBe(2);
    const second = await list(first.nextPageToken ?? '');
    expect(await h.requestsReach(MEMBERS_ROUTE, 3)).toBe(3);
    const third = await list(second.nextPageToken ?? '');
    expect(third.nextPageToken ?? '').toBe('');
    const members = new Set([first, second, third].flatMap((page) => page.list ?? []).map((g) => g.principal?.id?.resource));
    expect(members.size).toBe(2_500);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await h.requests(MEMBERS_ROUTE)).toBe(3);
    await h.connector.cleanup({ activeSyncId: ctx.syncId }, ctx);
  });

  it('reads nothing ahead without a sync id', async () => {
    await h.sim.resetStats();
    await h.connector.listGrants({ resource: allUsers, pageToken: '' }, { ...callCtx('x'), syncId: '' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await h.requests(MEMBERS_ROUTE)).toBe(1);
  });
});
