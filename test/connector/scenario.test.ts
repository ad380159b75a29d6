/**
 * An exact scenario: every current and legacy site role, Unlicensed users, a directory-managed group,
 * a group of 2,500 members (three Tableau pages), an empty group and an empty site.
 * Budget: ~10 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAnnotation, fromStruct, ResourceStatus, UserTraitStatus } from '../../proto/index.js';
import type { GroupTrait, Resource, UserTrait } from '../../proto/types.js';
import { expectSameModel, type State } from './expected.js';
import { luid, startHarness, type Harness } from './harness.js';
import { callCtx, walk, type Walk } from './walk.js';

const OTHER_ROLES = [
  'SiteAdministratorCreator', 'SiteAdministratorExplorer', 'SiteAdministrator', 'Creator', 'Explorer',
  'ExplorerCanPublish', 'Viewer', 'Unlicensed', 'ReadOnly', 'Guest', 'SupportUser', 'Interactor', 'Publisher',
  'ViewerWithPublish', 'UnlicensedWithPublish',
  // A role this connector has never heard of (a future Tableau release).
  'InsightsAnalyst',
];
const BIG_GROUP_MEMBERS = 2_500;
const ALPHA = luid(1, 1);
const EMPTY = luid(1, 2);
const BIG_GROUP = luid(3, 1);
const AD_GROUP = luid(3, 2);
const EMPTY_GROUP = luid(3, 3);

function scenario() {
  const admin = { id: luid(2, 0), name: 'admin', siteRole: 'ServerAdministrator', lastLogin: '2026-01-02T03:04:05Z' };
  const roleUsers = OTHER_ROLES.map((siteRole, i) => ({ id: luid(2, i + 1), name: `role-${siteRole}`, siteRole, fullName: `Role ${siteRole}` }));
  const members = Array.from({ length: BIG_GROUP_MEMBERS }, (_, i) => ({
    id: luid(2, 1000 + i), name: `member-${String(i).padStart(4, '0')}`, siteRole: 'Viewer',
  }));
  return {
    sites: [
      {
        id: ALPHA, contentUrl: 'alpha', name: 'Alpha', users: [admin, ...roleUsers, ...members],
        tierCreatorCapacity: 10, tierExplorerCapacity: 20, tierViewerCapacity: 3_000,
        groups: [
          { id: BIG_GROUP, name: 'Big Group' },
          { id: AD_GROUP, name: 'Finance', domain: 'corp.example.com', minimumSiteRole: 'Explorer', grantLicenseMode: 'onSync' as const },
          { id: EMPTY_GROUP, name: 'Nobody' },
        ],
        memberships: [
          ...members.map((m) => ({ groupId: BIG_GROUP, userId: m.id })),
          ...roleUsers.slice(0, 3).map((u) => ({ groupId: AD_GROUP, userId: u.id })),
        ],
      },
      // Signing in needs the admin to be a user of the site, so "empty" holds only the admin and no group.
      { id: EMPTY, contentUrl: 'empty', name: 'Empty', users: [{ ...admin, id: luid(2, 999_999) }], groups: [], memberships: [] },
    ],
    credentials: { adminUsername: 'admin' },
  };
}

describe('connector on an exact scenario', () => {
  let h: Harness;
  let result: Walk;
  let state: State;

  beforeAll(async () => {
    h = await startHarness({ data: scenario() }, { contentUrls: ['alpha', 'empty'] });
    await h.sim.resetStats();
    result = await walk(h.connector, callCtx('scenario-sync'));
    state = await h.state();
  });
  afterAll(async () => h?.close());

  it('produces exactly the users, groups, memberships, site roles and license tiers of the state', () => {
    expectSameModel(result, state);
  });

  it('reads each users page and each site once per sync (the minimum number of Tableau requests)', async () => {
    // alpha: 2,516 users = 3 pages; empty: 1 page.
    expect(await h.requests('GET /sites/{}/users')).toBe(4);
    expect(await h.requests('GET /sites/{}')).toBe(2);
  });

  it('pages group members one Tableau page per Baton page', () => {
    expect(result.pages.get(`grants group:${BIG_GROUP}`)).toBe(3);
    expect(result.pages.get(`resources user under site:${ALPHA}`)).toBe(3);
    expect(result.pages.get(`grants group:${EMPTY_GROUP}`)).toBe(1);
  });

  it('gives legacy and unlisted roles their own entitlement, never an empty slug', () => {
    for (const slug of ['support user', 'viewer with publish', 'publisher', 'interactor', 'guest', 'unlicensed with publish', 'insights analyst']) {
      expect(result.entitlements.has(`site:${ALPHA}:${slug}`)).toBe(true);
      expect(result.entitlements.has(`site:${EMPTY}:${slug}`)).toBe(false);
    }
    expect([...result.grants.keys()].some((id) => id.includes('::'))).toBe(false);
  });

  it('reports Unlicensed users as disabled in the trait and on the resource', () => {
    for (const user of state.sites.flatMap((s) => s.users)) {
      const resource = result.resources.get(`user:${user.id}`) as Resource;
      const trait = findAnnotation<UserTrait>(resource.annotations, 'c1.connector.v2.UserTrait');
      const disabled = user.siteRole === 'Unlicensed' || user.siteRole === 'UnlicensedWithPublish';
      expect(trait?.status?.status).toBe(disabled ? UserTraitStatus.STATUS_DISABLED : UserTraitStatus.STATUS_ENABLED);
      expect(resource.status?.status).toBe(disabled ? ResourceStatus.RESOURCE_STATUS_DISABLED : ResourceStatus.RESOURCE_STATUS_ENABLED);
      expect(trait?.login).toBe(user.name);
      expect(resource.parentResourceId?.resource).toBe(state.sites.find((s) => s.users.includes(user))?.id);
    }
  });

  it('keeps the Go profile keys and adds the site role and license tier', () => {
    const admin = result.resources.get(`user:${luid(2, 0)}`) as Resource;
    const profile = fromStruct(admin.profile);
    expect(profile).toMatchObject({ user_id: luid(2, 0), login: 'admin@example.com', first_name: 'admin', last_name: '' });
    expect(profile).toMatchObject({ site_role: 'ServerAdministrator', license_tier: 'creator', username: 'admin' });
    const trait = findAnnotation<UserTrait>(admin.annotations, 'c1.connector.v2.UserTrait');
    expect(trait?.lastLogin?.seconds).toBe(Date.parse('2026-01-02T03:04:05Z') / 1000);
    expect(fromStruct(trait?.profile)).toEqual(profile);
  });

  it('describes who manages a group and its license rules', () => {
    const ad = result.resources.get(`group:${AD_GROUP}`) as Resource;
    const profile = fromStruct(ad.profile);
    expect(profile).toMatchObject({ group_id: AD_GROUP, group_name: 'Finance', is_local: false, domain_name: 'corp.example.com' });
    expect(profile.minimum_site_role).toBe('Explorer');
    expect(profile.managed_by).not.toBe('tableau');
    const local = fromStruct((result.resources.get(`group:${BIG_GROUP}`) as Resource).profile);
    expect(local).toMatchObject({ is_local: true, managed_by: 'tableau' });
    const trait = findAnnotation<GroupTrait>(ad.annotations, 'c1.connector.v2.GroupTrait');
    expect(fromStruct(trait?.profile)).toEqual(profile);
  });

  it('marks "All Users" memberships immutable and no other', () => {
    const allUsers = state.sites[0]?.groups.find((g) => g.name === 'All Users');
    expect(allUsers).toBeDefined();
    for (const grant of result.grants.values()) {
      const immutable = findAnnotation(grant.annotations, 'c1.connector.v2.GrantImmutable') !== undefined;
      expect(immutable).toBe(isAllUsersOf(state, grant.id ?? ''));
    }
  });

  it('sums seats per license tier over the synced sites', () => {
    const creator = fromStruct((result.resources.get('license:creator') as Resource).profile);
    expect(creator).toMatchObject({ license_name: 'Creator', license_id: 'creator', seats_purchased: 10 });
    const viewer = fromStruct((result.resources.get('license:viewer') as Resource).profile);
    expect(viewer.seats_purchased).toBe(3_000);
  });
});

function isAllUsersOf(state: State, grantId: string): boolean {
  if (!grantId.startsWith('group:')) return false;
  const groupId = grantId.split(':')[1];
  return state.sites.some((s) => s.groups.some((g) => g.id === groupId && g.name === 'All Users'));
}
