/**
 * Service-mode requests (no parent ids) against two configured sites: the site of a group, a user or
 * a license grant is found by asking each site (budget: ~3 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioData } from '../../pkg/tableau-sim/types.js';
import { ADMIN, annotationNames, entitlement, group, luid, principal, SITE, startWorld, user, type World } from './harness.js';

const SITE2 = luid(1, 2);
const ADMIN2 = luid(2, 900);
const ON_SITE2 = user(20);
const GROUP2 = group(20);

const data: ScenarioData = {
  sites: [
    { id: SITE, contentUrl: '', name: 'Default', users: [{ id: ADMIN, name: 'admin', siteRole: 'ServerAdministrator' }], groups: [], memberships: [] },
    {
      id: SITE2,
      contentUrl: 'finance',
      name: 'Finance',
      users: [
        { id: ADMIN2, name: 'admin', siteRole: 'ServerAdministrator' },
        { id: ON_SITE2, name: 'fiona', siteRole: 'Viewer' },
      ],
      groups: [{ id: GROUP2, name: 'Controllers' }],
      memberships: [],
    },
  ],
};

let world: World;
beforeAll(async () => {
  world = await startWorld(data, { contentUrls: ['', 'finance'] });
});
afterAll(async () => {
  await world?.close();
});

const site2 = async () => (await world.state()).sites.find((s) => s.id === SITE2);

describe('several sites, no parent ids', () => {
  it('finds the site of a group and adds the member there', async () => {
    const res = await world.api.grant({ entitlement: entitlement(`group:${GROUP2}:member`), principal: principal(ON_SITE2) }, world.ctx());
    expect(annotationNames(res.annotations)).toEqual([]);
    expect((await site2())?.memberships).toContainEqual({ groupId: GROUP2, userId: ON_SITE2 });
  });

  it('finds the site of a user for a license grant', async () => {
    await world.api.grant({ entitlement: entitlement('license:explorer:member'), principal: principal(ON_SITE2) }, world.ctx());
    expect((await site2())?.users.find((u) => u.id === ON_SITE2)?.siteRole).toBe('Explorer');
  });

  it('refuses a site entitlement of a site that is not configured', async () => {
    const call = world.api.grant({ entitlement: entitlement(`site:${luid(1, 3)}:viewer`), principal: principal(ON_SITE2) }, world.ctx());
    await expect(call).rejects.toMatchObject({ status: 'NOT_FOUND' });
  });

  it('treats a site-role revoke for a user of another site as already revoked', async () => {
    const res = await world.api.revoke({ grant: { id: `site:${SITE}:explorer:user:${ON_SITE2}` } }, world.ctx());
    expect(annotationNames(res.annotations)).toEqual(['GrantAlreadyRevoked']);
  });

  it('finds a user among every site of the server (all sites)', async () => {
    const all = await startWorld(data, { contentUrls: 'all', shareSim: world.sim });
    try {
      await all.api.grant({ entitlement: entitlement('license:creator:member'), principal: principal(ON_SITE2) }, all.ctx());
      expect((await site2())?.users.find((u) => u.id === ON_SITE2)?.siteRole).toBe('Creator');
    } finally {
      await all.close();
    }
  });
});
