import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { call, jsonOf, makeJwt, signInPat, type Signed } from './helpers.js';

describe('tableau-sim: serverinfo, versions, formats', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, users: 30, groups: 4, memberships: 40, sites: 3, apiVersion: '3.27' });
  });
  afterAll(() => sim.close());

  it('answers serverinfo without auth, in XML by default and JSON on request, path case-insensitive', async () => {
    const xml = await call(sim, 'GET', '/serverInfo', { json: false });
    expect(xml.status).toBe(200);
    expect(xml.text).toContain('<tsResponse xmlns="http://tableau.com/api"');
    expect(xml.text).toContain('<restApiVersion>3.27</restApiVersion>');
    const json = await call(sim, 'GET', '/serverinfo');
    expect(json.json.serverInfo.restApiVersion).toBe('3.27');
    expect(json.json.serverInfo.productVersion.value).toMatch(/^\d{4}\.\d/);
  });

  it('refuses URL versions above the server version and unknown paths with Tableau error bodies', async () => {
    const res = await fetch(`${sim.url}/api/3.29/serverinfo`, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect((await jsonOf(res)).error.code).toBe('404003');
    const unknown = await call(sim, 'GET', '/nothing/here', { json: false });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toMatch(/<error code="404003"><summary>[^<]+<\/summary><detail>/);
    const outside = await fetch(`${sim.url}/elsewhere`);
    expect(outside.status).toBe(404);
    await outside.text();
  });

  it('gates methods by minimum version (bulk remove needs 3.21, groups-for-user 3.7)', async () => {
    const me = await signInPat(sim);
    const old = await fetch(`${sim.url}/api/3.6/sites/${me.siteId}/users/${me.userId}/groups`,
      { headers: { 'X-Tableau-Auth': me.token, Accept: 'application/json' } });
    expect(old.status).toBe(404);
    expect((await jsonOf(old)).error.code).toBe('404003');
    const ok = await call(sim, 'GET', `/sites/${me.siteId}/users/${me.userId}/groups`, { token: me.token });
    expect(ok.status).toBe(200);
    expect(ok.json.groups.group.some((g: { name: string }) => g.name === 'All Users')).toBe(true);
  });

  it('405 for a known path with the wrong method', async () => {
    const me = await signInPat(sim);
    const res = await call(sim, 'PATCH', `/sites/${me.siteId}/users`, { token: me.token });
    expect(res.status).toBe(405);
    expect(res.json.error.code).toBe('405000');
  });
});

describe('tableau-sim: sign-in and sessions', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, users: 20, groups: 3, memberships: 20, sites: 2, sessionTtlS: 1 });
  });
  afterAll(() => sim.close());

  const users = (s: Signed): Promise<ReturnType<typeof call> extends Promise<infer T> ? T : never> =>
    call(sim, 'GET', `/sites/${s.siteId}/users?pageSize=1`, { token: s.token });

  it('PAT sign-in in XML without xmlns returns credentials bound to the Default site', async () => {
    const { pat } = sim.info;
    const res = await call(sim, 'POST', '/auth/signin', { json: false, body:
      `<tsRequest><credentials personalAccessTokenName="${pat.name}" personalAccessTokenSecret="${pat.secret}"><site contentUrl=""/></credentials></tsRequest>` });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<credentials token="[^"]+" estimatedTimeToExpiration="[^"]+"><site id="[^"]+" contentUrl=""\/><user id="/);
    expect(res.text).toContain(sim.info.sites[0]?.id);
  });

  it('bad credentials → 401001 and no secret in the error', async () => {
    const res = await call(sim, 'POST', '/auth/signin', { body: { credentials: {
      personalAccessTokenName: sim.info.pat.name, personalAccessTokenSecret: 'wrong-secret', site: { contentUrl: '' } } } });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('401001');
    expect(res.text).not.toContain('wrong-secret');
    const pw = await call(sim, 'POST', '/auth/signin', { body: { credentials: { name: 'admin', password: 'nope', site: { contentUrl: '' } } } });
    expect(pw.json.error.code).toBe('401001');
  });

  it('a second PAT sign-in invalidates the first token (401002); password sessions are independent', async () => {
    const first = await signInPat(sim);
    expect((await users(first)).status).toBe(200);
    const second = await signInPat(sim);
    const stale = await users(first);
    expect(stale.status).toBe(401);
    expect(stale.json.error.code).toBe('401002');
    expect((await users(second)).status).toBe(200);
    const { admin } = sim.info;
    const p1 = await call(sim, 'POST', '/auth/signin', { body: { credentials: { name: admin.username, password: admin.password, site: { contentUrl: '' } } } });
    const p2 = await call(sim, 'POST', '/auth/signin', { body: { credentials: { name: admin.username, password: admin.password, site: { contentUrl: '' } } } });
    const t1 = { token: p1.json.credentials.token, siteId: p1.json.credentials.site.id, userId: '' };
    expect(p2.status).toBe(200);
    expect((await users(t1)).status).toBe(200);
  });

  it('missing token → 401000, sign-out → 204 then 401002', async () => {
    const me = await signInPat(sim);
    const none = await call(sim, 'GET', `/sites/${me.siteId}/users`);
    expect(none.json.error.code).toBe('401000');
    expect((await call(sim, 'POST', '/auth/signout', { token: me.token })).status).toBe(204);
    expect((await users(me)).json.error.code).toBe('401002');
  });

  it('idle sessions expire after --session-ttl-s', async () => {
    const me = await signInPat(sim);
    expect((await users(me)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_300));
    expect((await users(me)).json.error.code).toBe('401002');
  });

  it('a token is bound to its site; switchSite gives a new token and kills the old PAT token', async () => {
    const me = await signInPat(sim);
    const other = sim.info.sites[1]?.id as string;
    const cross = await call(sim, 'GET', `/sites/${other}/users`, { token: me.token });
    expect(cross.status).toBe(403);
    const same = await call(sim, 'POST', '/auth/switchSite', { token: me.token, body: { site: { contentUrl: '' } } });
    expect(same.json.error.code).toBe('403070');
    const switched = await call(sim, 'POST', '/auth/switchSite', { token: me.token, body: { site: { contentUrl: 'site2' } } });
    expect(switched.status).toBe(200);
    expect(switched.json.credentials.site.id).toBe(other);
    expect((await users(me)).json.error.code).toBe('401002');
    const next = { token: switched.json.credentials.token, siteId: other, userId: '' };
    expect((await users(next)).status).toBe(200);
    const missing = await call(sim, 'GET', `/sites/00000000-0000-4000-8000-00000000dead/users`, { token: next.token });
    expect(missing.json.error.code).toBe('404000');
  });

  it('connected-app JWT: valid token signs in; reused jti, wrong secret, far exp and missing scope fail', async () => {
    const signIn = (jwt: string): Promise<Awaited<ReturnType<typeof call>>> =>
      call(sim, 'POST', '/auth/signin', { body: { credentials: { jwt, site: { contentUrl: '' } } } });
    const jwt = makeJwt(sim);
    const ok = await signIn(jwt);
    expect(ok.status).toBe(200);
    expect((await signIn(jwt)).json.error.code).toBe('401001');
    expect((await signIn(makeJwt(sim, {}, 'not-the-secret'))).json.error.code).toBe('401001');
    expect((await signIn(makeJwt(sim, { exp: Math.floor(Date.now() / 1000) + 3600 }))).json.error.code).toBe('401001');
    expect((await signIn(makeJwt(sim, { aud: 'other' }))).json.error.code).toBe('401001');
    const me = { token: ok.json.credentials.token, siteId: ok.json.credentials.site.id, userId: '' };
    expect((await users(me)).status).toBe(200);
    const write = await call(sim, 'POST', `/sites/${me.siteId}/users`, { token: me.token, body: { user: { name: 'jwt-made', siteRole: 'Viewer' } } });
    expect(write.status).toBe(403);
    const writer = await signIn(makeJwt(sim, { scp: ['tableau:users:*'] }));
    const made = await call(sim, 'POST', `/sites/${me.siteId}/users`, { token: writer.json.credentials.token,
      body: { user: { name: 'jwt-made', siteRole: 'Viewer' } } });
    expect(made.status).toBe(201);
  });
});

describe('tableau-sim: Tableau Cloud mode', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cloud: true, users: 10, groups: 2, memberships: 5, sites: 2 });
  });
  afterAll(() => sim.close());

  it('Query Sites → 403069, switchSite refused, identity pools absent; Query Site works', async () => {
    const me = await signInPat(sim);
    const sites = await call(sim, 'GET', '/sites', { token: me.token });
    expect(sites.status).toBe(403);
    expect(sites.json.error.code).toBe('403069');
    const sw = await call(sim, 'POST', '/auth/switchSite', { token: me.token, body: { site: { contentUrl: 'site2' } } });
    expect(sw.status).toBe(403);
    const site = await call(sim, 'GET', `/sites/${me.siteId}`, { token: me.token });
    expect(site.json.site.id).toBe(me.siteId);
    const pools = await fetch(`${sim.url}/api/-/authn-service/identity-pools`, { headers: { 'X-Tableau-Auth': me.token } });
    expect(pools.status).toBe(404);
    await pools.text();
    const state = sim.state();
    expect(state.sites[0]?.users.some((u) => u.siteRole === 'ServerAdministrator')).toBe(false);
  });
});
