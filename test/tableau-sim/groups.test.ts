import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { call, luid, scenario, signInPat, type Signed } from './helpers.js';

describe('tableau-sim: groups and memberships', () => {
  let sim: RunningSimulator;
  let me: Signed;
  const ids = { local: luid(), ad: luid(), big: luid() };
  let userIds: string[];
  beforeAll(async () => {
    const data = scenario(1100);
    const site = data.sites[0]!;
    userIds = site.users.map((u) => u.id);
    site.groups.push(
      { id: ids.local, name: 'Finance' },
      { id: ids.ad, name: 'Sales EMEA', domain: 'corp.example.com', minimumSiteRole: 'Viewer', grantLicenseMode: 'onSync' },
      { id: ids.big, name: 'Everyone but one' },
    );
    site.memberships.push({ groupId: ids.local, userId: userIds[1]! }, { groupId: ids.local, userId: userIds[2]! });
    for (const id of userIds.slice(1, 1002)) site.memberships.push({ groupId: ids.big, userId: id });
    sim = await startSimulator({ data });
    me = await signInPat(sim);
  });
  afterAll(() => sim.close());
  const groups = (q = ''): ReturnType<typeof call> => call(sim, 'GET', `/sites/${me.siteId}/groups${q}`, { token: me.token });
  const members = (group: string, q = ''): ReturnType<typeof call> =>
    call(sim, 'GET', `/sites/${me.siteId}/groups/${group}/users${q}`, { token: me.token });

  it('lists groups with userCount, domain and import; All Users holds everyone', async () => {
    const list = (await groups('?sort=name:asc')).json.groups.group;
    expect(list.map((g: { name: string }) => g.name)).toEqual(['All Users', 'Everyone but one', 'Finance', 'Sales EMEA']);
    const ad = list.find((g: { id: string }) => g.id === ids.ad);
    expect(ad.domain).toEqual({ name: 'corp.example.com' });
    expect(ad.import).toMatchObject({ domainName: 'corp.example.com', siteRole: 'Viewer', grantLicenseMode: 'onSync', source: 'ActiveDirectory' });
    expect(list.find((g: { name: string }) => g.name === 'All Users').userCount).toBe('1101');
    expect(list.find((g: { name: string }) => g.name === 'Everyone but one').userCount).toBe('1001');
    expect((await groups('?filter=name:eq:Finance')).json.groups.group[0].id).toBe(ids.local);
    expect((await groups('?filter=name:like:sales*')).json.groups.group[0].id).toBe(ids.ad);
    expect((await groups('?filter=isLocal:eq:false')).json.pagination.totalAvailable).toBe('1');
  });

  it('pages Get Users in Group (1001 members: 1000 + 1) in a stable order', async () => {
    const first = await members(ids.big, '?pageSize=1000');
    const second = await members(ids.big, '?pageSize=1000&pageNumber=2');
    expect(first.json.users.user).toHaveLength(1000);
    expect(second.json.users.user).toHaveLength(1);
    const ids1 = new Set([...first.json.users.user, ...second.json.users.user].map((u: { id: string }) => u.id));
    expect(ids1.size).toBe(1001);
    expect((await members(ids.big, '?pageSize=1000')).json.users.user[17].id).toBe(first.json.users.user[17].id);
    expect((await members(ids.big, '?pageSize=1000&pageNumber=3')).json.error.code).toBe('400006');
  });

  it('add member: 200, again 409011, unknown user 404002; remove: 204, again 404', async () => {
    const user = userIds[5]!;
    const add = (id: string): ReturnType<typeof call> =>
      call(sim, 'POST', `/sites/${me.siteId}/groups/${ids.local}/users`, { token: me.token, body: `<tsRequest><user id="${id}"/></tsRequest>` });
    const ok = await add(user);
    expect(ok.status).toBe(200);
    expect(ok.json.user.id).toBe(user);
    expect((await add(user)).json.error.code).toBe('409011');
    expect((await add('00000000-0000-4000-8000-00000000beef')).json.error.code).toBe('404002');
    expect(sim.state().sites[0]?.memberships).toContainEqual({ groupId: ids.local, userId: user });
    const groupNames = async (): Promise<string[]> => (await call(sim, 'GET', `/sites/${me.siteId}/users/${user}/groups`,
      { token: me.token })).json.groups.group.map((g: { name: string }) => g.name);
    expect(await groupNames()).toEqual(['All Users', 'Finance', 'Everyone but one']);
    const del = await call(sim, 'DELETE', `/sites/${me.siteId}/groups/${ids.local}/users/${user}`, { token: me.token });
    expect(del.status).toBe(204);
    expect((await call(sim, 'DELETE', `/sites/${me.siteId}/groups/${ids.local}/users/${user}`, { token: me.token })).status).toBe(404);
    expect(sim.state().sites[0]?.memberships).not.toContainEqual({ groupId: ids.local, userId: user });
    expect(await groupNames()).toEqual(['All Users', 'Everyone but one']);
  });

  it('bulk add (3.21+, returns <users>) and bulk remove via PUT …/users/remove', async () => {
    const some = userIds.slice(10, 14);
    const xml = `<tsRequest><users>${some.map((id) => `<user id="${id}"/>`).join('')}</users></tsRequest>`;
    const added = await call(sim, 'POST', `/sites/${me.siteId}/groups/${ids.local}/users`, { token: me.token, body: xml });
    expect(added.status).toBe(200);
    expect(added.json.users.user.map((u: { id: string }) => u.id)).toEqual(some);
    expect((await members(ids.local)).json.pagination.totalAvailable).toBe('6');
    const removed = await call(sim, 'PUT', `/sites/${me.siteId}/groups/${ids.local}/users/remove`, { token: me.token,
      body: { users: { user: some.map((id) => ({ id })) } } });
    expect(removed.status).toBe(204);
    expect((await members(ids.local)).json.pagination.totalAvailable).toBe('2');
    const old = await fetch(`${sim.url}/api/3.20/sites/${me.siteId}/groups/${ids.local}/users/remove`, { method: 'PUT',
      headers: { 'X-Tableau-Auth': me.token }, body: xml });
    expect(old.status).toBe(404);
    expect(await old.text()).toContain('404003');
  });

  it('groups for a user; create (409009 on clash) and delete groups; All Users follows user add/remove', async () => {
    const mine = await call(sim, 'GET', `/sites/${me.siteId}/users/${userIds[1]}/groups`, { token: me.token });
    expect(mine.json.groups.group.map((g: { name: string }) => g.name).sort()).toEqual(['All Users', 'Everyone but one', 'Finance']);
    const created = await call(sim, 'POST', `/sites/${me.siteId}/groups`, { token: me.token, body: '<tsRequest><group name="Auditors" minimumSiteRole="Viewer"/></tsRequest>' });
    expect(created.status).toBe(201);
    expect(created.json.group).toMatchObject({ name: 'Auditors', minimumSiteRole: 'Viewer' });
    const clash = await call(sim, 'POST', `/sites/${me.siteId}/groups`, { token: me.token, body: '<tsRequest><group name="auditors"/></tsRequest>' });
    expect(clash.json.error.code).toBe('409009');
    expect((await call(sim, 'DELETE', `/sites/${me.siteId}/groups/${created.json.group.id}`, { token: me.token })).status).toBe(204);
    expect(sim.state().sites[0]?.groups.some((g) => g.name === 'Auditors')).toBe(false);
    const newbie = await call(sim, 'POST', `/sites/${me.siteId}/users`, { token: me.token, body: { user: { name: 'newbie', siteRole: 'Viewer' } } });
    const allUsers = sim.state().sites[0]!.groups.find((g) => g.name === 'All Users')!.id;
    expect((await members(allUsers, '?pageSize=1000&pageNumber=2')).json.users.user.at(-1).id).toBe(newbie.json.user.id);
    await call(sim, 'DELETE', `/sites/${me.siteId}/users/${newbie.json.user.id}`, { token: me.token });
    expect((await members(allUsers)).json.pagination.totalAvailable).toBe('1101');
  });
});

describe('tableau-sim: group updates and All Users protections', () => {
  it('renames a group, sets a minimum role, refuses clashes and edits of All Users', async () => {
    const data = scenario(3, { groups: [{ id: luid(), name: 'One' }, { id: luid(), name: 'Two' }] });
    const [one] = data.sites[0]!.groups;
    const sim = await startSimulator({ data });
    try {
      const me = await signInPat(sim);
      const put = (id: string, body: string): ReturnType<typeof call> =>
        call(sim, 'PUT', `/sites/${me.siteId}/groups/${id}`, { token: me.token, body });
      const renamed = await put(one!.id, '<tsRequest><group name="Uno" minimumSiteRole="Explorer"/></tsRequest>');
      expect(renamed.json.group).toMatchObject({ name: 'Uno', minimumSiteRole: 'Explorer' });
      expect((await put(one!.id, '<tsRequest><group name="two"/></tsRequest>')).json.error.code).toBe('409009');
      expect((await put(one!.id, '<tsRequest><group minimumSiteRole="Boss"/></tsRequest>')).json.error.code).toBe('400013');
      const allUsers = sim.state().sites[0]!.groups.find((g) => g.name === 'All Users')!.id;
      expect((await call(sim, 'DELETE', `/sites/${me.siteId}/groups/${allUsers}`, { token: me.token })).status).toBe(403);
      const userId = data.sites[0]!.users[1]!.id;
      expect((await call(sim, 'DELETE', `/sites/${me.siteId}/groups/${allUsers}/users/${userId}`, { token: me.token })).status).toBe(403);
      expect((await call(sim, 'DELETE', `/sites/${me.siteId}/groups/00000000-0000-4000-8000-0000000000ff`, { token: me.token })).status).toBe(404);
      // A member added to the renamed onLogin group is raised to Explorer on the next role write.
      await call(sim, 'POST', `/sites/${me.siteId}/groups/${one!.id}/users`, { token: me.token, body: { user: { id: userId } } });
      const updated = await call(sim, 'PUT', `/sites/${me.siteId}/users/${userId}`, { token: me.token, body: { user: { siteRole: 'Viewer' } } });
      expect(updated.json.user.siteRole).toBe('Explorer');
    } finally {
      await sim.close();
    }
  });
});

describe('tableau-sim: generated data', () => {
  it('is deterministic for a seed, skewed, and has the promised variety', async () => {
    const a = await startSimulator({ seed: 42, users: 3000, groups: 40, memberships: 20000, sites: 2 });
    const b = await startSimulator({ seed: 42, users: 3000, groups: 40, memberships: 20000, sites: 2 });
    try {
      const sa = a.state();
      expect(JSON.stringify(sa)).toBe(JSON.stringify(b.state()));
      expect(a.info.pat).toEqual(b.info.pat);
      const site = sa.sites[0]!;
      expect(sa.sites.map((s) => s.contentUrl)).toEqual(['', 'site2']);
      expect(site.users).toHaveLength(3000);
      const nonAll = site.memberships.filter((m) => m.groupId !== site.groups[0]!.id);
      expect(nonAll).toHaveLength(20000);
      const sizes = new Map<string, number>();
      for (const m of nonAll) sizes.set(m.groupId, (sizes.get(m.groupId) ?? 0) + 1);
      expect(Math.max(...sizes.values())).toBeGreaterThan(1000);
      const roles = new Set(site.users.map((u) => u.siteRole));
      for (const r of ['ServerAdministrator', 'SiteAdministratorCreator', 'SiteAdministratorExplorer', 'Creator',
        'ExplorerCanPublish', 'Explorer', 'Viewer', 'Unlicensed', 'Publisher', 'Interactor']) expect(roles).toContain(r);
      expect(site.users.filter((u) => u.siteRole === 'ServerAdministrator')).toHaveLength(1);
      expect(site.groups.some((g) => g.domain !== 'local')).toBe(true);
      expect(site.groups.some((g) => g.minimumSiteRole !== null)).toBe(true);
      expect(site.users.filter((u) => u.lastLogin !== null).length).toBeGreaterThan(2500);
      const c = await startSimulator({ seed: 43, users: 50, groups: 2, memberships: 10 });
      expect(c.state().sites[0]?.users[5]?.id).not.toBe(site.users[5]?.id);
      await c.close();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
