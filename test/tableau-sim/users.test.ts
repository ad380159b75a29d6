import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { call, jsonOf, luid, scenario, signInPat, type Signed } from './helpers.js';

describe('tableau-sim: Get Users on Site paging edges', () => {
  // Scenario sizes: the admin plus n viewers, so totals are n + 1.
  const cases = [{ viewers: 0 }, { viewers: 999 }, { viewers: 1000 }];
  for (const { viewers } of cases) {
    it(`pages ${viewers + 1} users correctly (pageSize 1000, last page, past the end)`, async () => {
      const sim = await startSimulator({ data: scenario(viewers) });
      try {
        const me = await signInPat(sim);
        const total = viewers + 1;
        const lastPage = Math.ceil(total / 1000);
        const seen = new Set<string>();
        for (let page = 1; page <= lastPage; page++) {
          const res = await call(sim, 'GET', `/sites/${me.siteId}/users?pageSize=1000&pageNumber=${page}`, { token: me.token });
          expect(res.status).toBe(200);
          expect(res.json.pagination).toEqual({ pageNumber: String(page), pageSize: '1000', totalAvailable: String(total) });
          for (const u of res.json.users.user) seen.add(u.id);
        }
        expect(seen.size).toBe(total);
        const past = await call(sim, 'GET', `/sites/${me.siteId}/users?pageSize=1000&pageNumber=${lastPage + 1}`, { token: me.token });
        expect(past.status).toBe(400);
        expect(past.json.error.code).toBe('400006');
      } finally {
        await sim.close();
      }
    });
  }

  it('an empty list: page 1 is fine and renders {} in JSON, <users/> in XML', async () => {
    const data = scenario(3, { groups: [{ id: luid(), name: 'Empty' }] });
    const sim = await startSimulator({ data });
    try {
      const me = await signInPat(sim);
      const groupId = data.sites[0]?.groups[0]?.id as string;
      const json = await call(sim, 'GET', `/sites/${me.siteId}/groups/${groupId}/users`, { token: me.token });
      expect(json.json).toEqual({ pagination: { pageNumber: '1', pageSize: '100', totalAvailable: '0' }, users: {} });
      const xml = await call(sim, 'GET', `/sites/${me.siteId}/groups/${groupId}/users`, { token: me.token, json: false });
      expect(xml.text).toContain('<pagination pageNumber="1" pageSize="100" totalAvailable="0"/><users/>');
      expect((await call(sim, 'GET', `/sites/${me.siteId}/groups/${groupId}/users?pageNumber=2`, { token: me.token })).json.error.code).toBe('400006');
    } finally {
      await sim.close();
    }
  });
});

describe('tableau-sim: users', () => {
  let sim: RunningSimulator;
  let me: Signed;
  const ids = { owner: luid(), heir: luid(), glsiGroup: luid(), viewer: luid() };
  beforeAll(async () => {
    const data = scenario(25, {
      tierCreatorCapacity: 2, // admin (ServerAdministrator) holds one Creator seat already
    });
    const site = data.sites[0]!;
    site.users.push(
      { id: ids.owner, name: 'Owner.One', siteRole: 'Creator', ownedContent: { workbooks: 2, datasources: 1 } },
      { id: ids.heir, name: 'heir', siteRole: 'Explorer' },
      { id: ids.viewer, name: 'glsi.member', siteRole: 'Viewer' },
    );
    site.groups.push({ id: ids.glsiGroup, name: 'Explorers on login', minimumSiteRole: 'Explorer', grantLicenseMode: 'onLogin' });
    site.memberships.push({ groupId: ids.glsiGroup, userId: ids.viewer });
    data.identityPools = [{ uuid: '11111111-2222-4333-8444-555555555555', name: 'Employees' }];
    sim = await startSimulator({ data });
    me = await signInPat(sim);
  });
  afterAll(() => sim.close());
  const users = (q: string): ReturnType<typeof call> => call(sim, 'GET', `/sites/${me.siteId}/users${q}`, { token: me.token });

  it('page size and number validation: 403014, 400007, 400006', async () => {
    expect((await users('?pageSize=1001')).json.error.code).toBe('403014');
    expect((await users('?pageSize=0')).json.error.code).toBe('400007');
    expect((await users('?pageSize=abc')).json.error.code).toBe('400007');
    expect((await users('?pageNumber=0')).json.error.code).toBe('400006');
    expect((await users('')).json.pagination.pageSize).toBe('100');
  });

  it('default order is stable, not sorted by name; sort and filter work', async () => {
    const names = (await users('?pageSize=1000')).json.users.user.map((u: { name: string }) => u.name);
    expect((await users('?pageSize=1000')).json.users.user.map((u: { name: string }) => u.name)).toEqual(names);
    expect(names).not.toEqual([...names].sort());
    const asc = (await users('?sort=name:asc&pageSize=1000')).json.users.user.map((u: { name: string }) => u.name.toLowerCase());
    expect(asc).toEqual([...asc].sort());
    const desc = (await users('?sort=name:desc&pageSize=1000')).json.users.user.map((u: { name: string }) => u.name);
    expect(desc[0]).toBe('user00024');
    expect((await users('?filter=name:eq:owner.one')).json.pagination.totalAvailable).toBe('0');
    expect((await users('?filter=name:cieq:owner.one')).json.users.user[0].id).toBe(ids.owner);
    const roles = await users('?filter=siteRole:in:[Creator,Explorer]&sort=siteRole:asc,name:desc');
    expect(roles.json.users.user.map((u: { name: string }) => u.name)).toEqual(['Owner.One', 'heir']);
    const recent = await users('?filter=lastLogin:gte:2025-09-01T00:00:00Z,siteRole:eq:Viewer&pageSize=1000');
    expect(recent.json.users.user.every((u: { lastLogin: string }) => u.lastLogin >= '2025-09-01')).toBe(true);
    expect(recent.json.users.user.length).toBeGreaterThan(0);
    expect((await users('?filter=bogus:eq:x')).status).toBe(400);
  });

  it('fields: default attributes, lastLogin omitted when never signed in, explicit lists', async () => {
    const all = (await users('?pageSize=1000')).json.users.user;
    const never = all.find((u: { name: string }) => u.name === 'heir');
    expect(never.lastLogin).toBeUndefined();
    expect(never.domain).toEqual({ name: 'local' });
    expect(Object.keys(all[0])).toEqual(expect.arrayContaining(['id', 'name', 'fullName', 'email', 'siteRole', 'authSetting', 'lastLogin']));
    const slim = (await users('?fields=id,name')).json.users.user[0];
    expect(Object.keys(slim).sort()).toEqual(['id', 'name']);
    expect((await users('?fields=_all_')).json.users.user[0].language).toBe('en');
  });

  it('Add User: 201, name clash 409017 (case-insensitive), Guest 409005, bad role 400013, seats → Unlicensed', async () => {
    const add = (name: string, siteRole: string): ReturnType<typeof call> =>
      call(sim, 'POST', `/sites/${me.siteId}/users`, { token: me.token, body: `<tsRequest><user name="${name}" siteRole="${siteRole}"/></tsRequest>` });
    const created = await add('new.viewer', 'Viewer');
    expect(created.status).toBe(201);
    expect(created.json.user.siteRole).toBe('Viewer');
    expect((await add('NEW.viewer', 'Viewer')).json.error.code).toBe('409017');
    expect((await add('guest', 'Guest')).json.error.code).toBe('409005');
    expect((await add('boss', 'ServerAdministrator')).json.error.code).toBe('400013');
    expect((await add('weird', 'Overlord')).json.error.code).toBe('400013');
    // Creator seats: admin + Owner.One use both; the next Creator is created Unlicensed.
    const noSeat = await add('late.creator', 'Creator');
    expect(noSeat.status).toBe(201);
    expect(noSeat.json.user.siteRole).toBe('Unlicensed');
    const usage = await call(sim, 'GET', `/sites/${me.siteId}?includeUsage=true`, { token: me.token });
    expect(usage.json.site.usage.numCreators).toBe('2');
    expect(usage.json.site.tierCreatorCapacity).toBe('2');
    const state = sim.state().sites[0]!;
    expect(state.users.find((u) => u.name === 'late.creator')?.siteRole).toBe('Unlicensed');
    expect(state.memberships.some((m) => m.groupId === state.groups.find((g) => g.name === 'All Users')?.id
      && m.userId === created.json.user.id)).toBe(true);
  });

  it('accepts XML bodies with the Tableau namespace and JSON bodies; malformed bodies → 400000', async () => {
    const ns = await call(sim, 'POST', `/sites/${me.siteId}/users`, { token: me.token, json: false,
      body: '<?xml version="1.0"?><tsRequest xmlns="http://tableau.com/api"><user name="ns.user" siteRole="Explorer"/></tsRequest>' });
    expect(ns.status).toBe(201);
    expect(ns.text).toMatch(/<user id="[^"]+" name="ns.user" siteRole="Explorer"/);
    const json = await call(sim, 'POST', `/sites/${me.siteId}/users`, { token: me.token, body: { user: { name: 'json.user', siteRole: 'Viewer' } } });
    expect(json.json.user.name).toBe('json.user');
    const broken = await call(sim, 'POST', `/sites/${me.siteId}/users`, { token: me.token, body: '<tsRequest><user name="x"' });
    expect(broken.json.error.code).toBe('400000');
  });

  it('Update User: role/fullName/email; ServerAdministrator refused; GLSI minimum wins', async () => {
    await users('?pageSize=1000'); // warm the fragment caches first
    const update = (id: string, attrs: string): ReturnType<typeof call> =>
      call(sim, 'PUT', `/sites/${me.siteId}/users/${id}`, { token: me.token, body: `<tsRequest><user ${attrs}/></tsRequest>` });
    const ok = await update(ids.heir, 'siteRole="Viewer" fullName="Heir Apparent" email="heir@example.com"');
    expect(ok.status).toBe(200);
    expect(ok.json.user).toMatchObject({ siteRole: 'Viewer', fullName: 'Heir Apparent', email: 'heir@example.com' });
    expect((await update(ids.heir, 'siteRole="ServerAdministrator"')).json.error.code).toBe('400013');
    const raised = await update(ids.viewer, 'siteRole="Unlicensed"');
    expect(raised.json.user.siteRole).toBe('Explorer');
    expect((await update('00000000-0000-4000-8000-0000000fffff', 'siteRole="Viewer"')).json.error.code).toBe('404002');
    const one = await call(sim, 'GET', `/sites/${me.siteId}/users/${ids.heir}`, { token: me.token });
    expect(one.json.user.fullName).toBe('Heir Apparent');
    // Listings must not serve a stale cached fragment after an update.
    const listed = (await users('?pageSize=1000')).json.users.user.find((u: { id: string }) => u.id === ids.heir);
    expect(listed).toMatchObject({ siteRole: 'Viewer', fullName: 'Heir Apparent' });
  });

  it('Remove User: content owner kept as Unlicensed (409) unless mapAssetsTo moves the content', async () => {
    const owned = async (name: string): Promise<number> => {
      let n = 0;
      for (const kind of ['workbooks', 'datasources', 'flows']) {
        const res = await call(sim, 'GET', `/sites/${me.siteId}/${kind}?filter=ownerName:eq:${name}`, { token: me.token });
        n += Number(res.json.pagination.totalAvailable);
      }
      return n;
    };
    expect(await owned('Owner.One')).toBe(3);
    const refused = await call(sim, 'DELETE', `/sites/${me.siteId}/users/${ids.owner}`, { token: me.token });
    expect(refused.status).toBe(409);
    expect(sim.state().sites[0]?.users.find((u) => u.id === ids.owner)?.siteRole).toBe('Unlicensed');
    const moved = await call(sim, 'DELETE', `/sites/${me.siteId}/users/${ids.owner}?mapAssetsTo=${ids.heir}`, { token: me.token });
    expect(moved.status).toBe(204);
    expect(await owned('heir')).toBe(3);
    expect(sim.state().sites[0]?.users.some((u) => u.id === ids.owner)).toBe(false);
    expect(sim.state().sites[0]?.memberships.some((m) => m.userId === ids.owner)).toBe(false);
    expect((await call(sim, 'GET', `/sites/${me.siteId}/users/${ids.owner}`, { token: me.token })).json.error.code).toBe('404002');
  });

  it('identity pools: list pools and stores, add a user to a pool and remove them', async () => {
    const pools = await fetch(`${sim.url}/api/-/authn-service/identity-pools`, { headers: { 'X-Tableau-Auth': me.token } });
    const body = await jsonOf(pools);
    const uuid = body.pools[0].identity_pool_id.value;
    expect(body.pools[0].identity_pool_name).toBe('Employees');
    const stores = await fetch(`${sim.url}/api/-/authn-service/identity-stores`, { headers: { 'X-Tableau-Auth': me.token } });
    expect((await jsonOf(stores)).instances.length).toBe(1);
    const added = await call(sim, 'POST', `/sites/${me.siteId}/users/identityPool`, { token: me.token,
      body: `<tsRequest><user id="${ids.heir}" identityPoolUuid="${uuid}"/></tsRequest>` });
    expect(added.json.user).toMatchObject({ identityPoolUuid: uuid, identityPoolName: 'Employees' });
    const removed = await call(sim, 'DELETE', `/sites/${me.siteId}/users/${ids.heir}/identityPool/${uuid}`, { token: me.token });
    expect(removed.status).toBe(204);
    const again = await call(sim, 'DELETE', `/sites/${me.siteId}/users/${ids.heir}/identityPool/${uuid}`, { token: me.token });
    expect(again.status).toBe(404);
    const noAuth = await fetch(`${sim.url}/api/-/authn-service/identity-pools`);
    expect(noAuth.status).toBe(401);
    expect((await jsonOf(noAuth)).http_error_code).toBe(401);
  });

  it('Query Sites (server admin) with usage, Query Site by name/contentUrl', async () => {
    const sites = await call(sim, 'GET', '/sites?includeUsage=true', { token: me.token });
    expect(sites.json.sites.site[0].usage.numUsers).toBeDefined();
    const byName = await call(sim, 'GET', '/sites/Default?key=name', { token: me.token });
    expect(byName.json.site.id).toBe(me.siteId);
    expect((await call(sim, 'GET', '/sites/nope?key=contentUrl', { token: me.token })).json.error.code).toBe('404000');
  });
});
