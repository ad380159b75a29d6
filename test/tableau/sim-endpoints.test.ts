import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { TableauClient, type SiteClient, type TableauClientOptions } from '../../pkg/tableau/index.js';
import { ADMIN, FAST_RETRY, group, luid, scenario, site } from './scenario.js';

// Site "hr": admin + 20 users; user 1 owns content; groups Local (users 1-5), AD group, GLSI group.
// A creator tier of 2 seats, so upgrades beyond it come back Unlicensed.
const POOL = '7a7a7a7a-0000-4000-8000-000000000001';
const LOCAL = luid(1 * 16 + 2, 1);
const AD = luid(1 * 16 + 2, 2);
const user = (n: number): string => luid(1 * 16 + 1, n);
let sim: RunningSimulator;
let tableau: TableauClient;
let hr: SiteClient;

beforeAll(async () => {
  const hrSite = site(1, 'hr', 20, {
    groups: [group(1, 1, 'Local'), group(1, 2, 'Directory', { domain: 'corp.example', minimumSiteRole: 'Viewer', grantLicenseMode: 'onSync' })],
    memberships: [1, 2, 3, 4, 5].map((n) => ({ groupId: LOCAL, userId: user(n) })),
    tierCreatorCapacity: 2,
  });
  hrSite.users[1]!.ownedContent = { workbooks: 2, datasources: 1 };
  const data = { ...scenario(site(0, '', 2), hrSite), identityPools: [{ uuid: POOL, name: 'Contractors', description: 'external' }] };
  sim = await startSimulator({ data });
  tableau = newClient();
  hr = tableau.site('hr');
});

afterAll(async () => {
  await tableau.close();
  await sim.close();
});

function newClient(extra: Partial<TableauClientOptions> = {}): TableauClient {
  return new TableauClient({ serverUrl: sim.url, credentials: { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret }, retry: FAST_RETRY, ...extra });
}

function stateSite(contentUrl = 'hr') {
  return sim.state().sites.find((s) => s.contentUrl === contentUrl)!;
}

describe('server level', () => {
  it('negotiates the version once and gates features', async () => {
    sim.resetStats();
    const fresh = newClient();
    expect(await Promise.all([fresh.apiVersion(), fresh.apiVersion()])).toEqual(['3.29', '3.29']);
    expect(await fresh.supports('bulkGroupMembership')).toBe(true);
    expect(sim.stats().byRoute['GET /serverinfo']).toBe(1);
    expect((await fresh.serverInfo()).productVersion).toBe('2026.2.0');
    await fresh.close();
  });

  it('lists sites and reads one site with usage', async () => {
    const sites = await tableau.listSites();
    expect(sites.items.map((s) => s.contentUrl).sort()).toEqual(['', 'hr']);
    const info = await hr.getSite({ includeUsage: true });
    expect(info).toMatchObject({ id: stateSite().id, contentUrl: 'hr', tierCreatorCapacity: 2 });
    expect(info.usage?.numUsers).toBe(21);
  });
});

describe('users', () => {
  it('gets a user, finds one by name case-insensitively, lists its groups', async () => {
    expect(await hr.getUser(user(3))).toMatchObject({ id: user(3), name: 'user00003@example.com', siteRole: 'Viewer' });
    expect((await hr.findUserByName('USER00003@Example.com'))?.id).toBe(user(3));
    expect(await hr.findUserByName('nobody@example.com')).toBeUndefined();
    const groups = await hr.groupsForUser(user(3));
    expect(groups.items.map((g) => g.name).sort()).toEqual(['All Users', 'Local']);
    await expect(hr.getUser(luid(9, 9))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('adds a user, and adding the same name again returns the existing one', async () => {
    const added = await hr.addUser({ name: 'new.person@example.com', siteRole: 'Viewer' });
    expect(added.created).toBe(true);
    expect(stateSite().users.find((u) => u.id === added.user.id)?.siteRole).toBe('Viewer');
    const again = await hr.addUser({ name: 'New.Person@example.com', siteRole: 'Explorer' });
    expect(again).toEqual({ user: expect.objectContaining({ id: added.user.id }), created: false });
    await expect(hr.addUser({ name: 'guest@example.com', siteRole: 'Guest' })).rejects.toMatchObject({ code: 'CONFLICT', tableauCode: '409005' });
  });

  it('updates a user and returns the role Tableau actually gave (no seat → Unlicensed)', async () => {
    const viewer = await hr.updateUser(user(6), { siteRole: 'Explorer', fullName: 'Six' });
    expect(viewer).toMatchObject({ id: user(6), siteRole: 'Explorer', fullName: 'Six' });
    // The admin holds a Creator seat; two more Creators exceed the tier of 2.
    const first = await hr.updateUser(user(7), { siteRole: 'Creator' });
    const second = await hr.updateUser(user(8), { siteRole: 'Creator' });
    expect([first.siteRole, second.siteRole]).toEqual(['Creator', 'Unlicensed']);
    expect(stateSite().users.find((u) => u.id === user(8))?.siteRole).toBe('Unlicensed');
  });

  it('removes a user; a missing user is removed:false; a content owner is a CONFLICT until mapAssetsTo', async () => {
    expect(await hr.removeUser(user(20))).toEqual({ removed: true });
    expect(await hr.removeUser(user(20))).toEqual({ removed: false });
    expect(await hr.countOwnedContent('user00001@example.com')).toEqual({ workbooks: 2, datasources: 1, flows: 0 });
    await expect(hr.removeUser(user(1))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(stateSite().users.find((u) => u.id === user(1))?.siteRole).toBe('Unlicensed');
    const admin = stateSite().users.find((u) => u.name === ADMIN)!;
    expect(await hr.removeUser(user(1), { mapAssetsTo: admin.id })).toEqual({ removed: true });
    expect(await hr.countOwnedContent(ADMIN)).toEqual({ workbooks: 2, datasources: 1, flows: 0 });
  });
});

describe('groups', () => {
  it('reads local and directory groups', async () => {
    const groups = (await hr.listGroups({ sort: 'name:asc' })).items;
    const localMembers = stateSite().memberships.filter((m) => m.groupId === LOCAL).length;
    expect(groups.find((g) => g.id === LOCAL)).toMatchObject({ domainName: 'local', userCount: localMembers });
    expect(groups.find((g) => g.id === AD)).toMatchObject({ domainName: 'corp.example', minimumSiteRole: 'Viewer' });
    const members = (await hr.listGroupUsers(LOCAL)).items.map((u) => u.id).sort();
    expect(members).toEqual([1, 2, 3, 4, 5].map(user).filter((id) => stateSite().users.some((u) => u.id === id)).sort());
  });

  it('adds and removes one member idempotently', async () => {
    expect(await hr.addUserToGroup(LOCAL, user(9))).toEqual({ added: true });
    expect(await hr.addUserToGroup(LOCAL, user(9))).toEqual({ added: false });
    expect(stateSite().memberships).toContainEqual({ groupId: LOCAL, userId: user(9) });
    expect(await hr.removeUserFromGroup(LOCAL, user(9))).toEqual({ removed: true });
    expect(await hr.removeUserFromGroup(LOCAL, user(9))).toEqual({ removed: false });
    expect(stateSite().memberships).not.toContainEqual({ groupId: LOCAL, userId: user(9) });
  });

  it('bulk adds and removes members (3.21+)', async () => {
    const ids = [user(10), user(11), user(12)];
    const added = await hr.addUsersToGroup(LOCAL, ids);
    expect(added.map((u) => u.id).sort()).toEqual(ids);
    let members: string[] = [];
    for await (const u of hr.groupUsers(LOCAL)) members.push(u.id);
    expect(members).toEqual(expect.arrayContaining(ids));
    await hr.removeUsersFromGroup(LOCAL, ids);
    members = [];
    for await (const u of hr.groupUsers(LOCAL)) members.push(u.id);
    expect(members.some((id) => ids.includes(id))).toBe(false);
  });

  it('creates a group (existing name → created:false) and deletes it (twice → deleted:false)', async () => {
    const created = await hr.createGroup({ name: 'Auditors', minimumSiteRole: 'Viewer' });
    expect(created).toMatchObject({ created: true, group: { name: 'Auditors', domainName: 'local' } });
    expect(await hr.createGroup({ name: 'Auditors' })).toEqual({ group: expect.objectContaining({ id: created.group.id }), created: false });
    expect(await hr.deleteGroup(created.group.id)).toEqual({ deleted: true });
    expect(await hr.deleteGroup(created.group.id)).toEqual({ deleted: false });
    expect(stateSite().groups.some((g) => g.name === 'Auditors')).toBe(false);
  });
});

describe('identity pools', () => {
  it('lists pools (authn-service JSON) and moves a user in and out', async () => {
    expect(await hr.listIdentityPools()).toEqual([expect.objectContaining({ id: POOL, name: 'Contractors', description: 'external' })]);
    await hr.addUserToIdentityPool(user(13), POOL);
    expect((await hr.getUser(user(13))).identityPoolUuid).toBe(POOL);
    await hr.removeUserFromIdentityPool(user(13), POOL);
    await hr.removeUserFromIdentityPool(user(13), POOL);
    expect((await hr.getUser(user(13))).identityPoolUuid).toBeUndefined();
  });
});

describe('JSON wire format', () => {
  it('reads the same users, groups and site through Accept: application/json', async () => {
    const json = newClient({ format: 'json' });
    try {
      const viaJson = (await json.site('hr').listUsers({ pageSize: 1000, sort: 'name:asc' })).items;
      const viaXml = (await hr.listUsers({ pageSize: 1000, sort: 'name:asc' })).items;
      expect(viaJson).toEqual(viaXml);
      expect((await json.site('hr').listGroups()).items.length).toBe((await hr.listGroups()).items.length);
      const added = await json.site('hr').addUser({ name: 'json.user@example.com', siteRole: 'Viewer' });
      expect(added.created).toBe(true);
      expect(await json.site('hr').getSite()).toEqual(await hr.getSite());
    } finally {
      await json.close();
    }
  });
});
