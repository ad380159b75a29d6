/**
 * The simulator's JSON has the properties of Tableau's own JSON (each one and its source are listed in
 * pkg/tableau-sim/README.md, "JSON details and their sources"): no tsResponse wrapper, pagination
 * numbers as strings, `{}` for an empty list, an array even for one item, `domain`/`import` as nested
 * objects, text and child elements before attributes, ISO 8601 UTC dates, the error triple.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { jsonValue } from '../../pkg/tableau-sim/render.js';
import { call, luid, scenario, signInPat, type Signed } from './helpers.js';

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('tableau-sim: JSON as Tableau sends it', () => {
  let sim: RunningSimulator;
  let me: Signed;
  const ids = { local: luid(), ad: luid() };
  beforeAll(async () => {
    const data = scenario(2);
    const site = data.sites[0]!;
    site.groups.push({ id: ids.local, name: 'Finance' },
      { id: ids.ad, name: 'Sales EMEA', domain: 'corp.example.com', minimumSiteRole: 'Viewer', grantLicenseMode: 'onSync' });
    site.memberships.push({ groupId: ids.local, userId: site.users[1]!.id });
    sim = await startSimulator({ data });
    me = await signInPat(sim);
  });
  afterAll(() => sim?.close());
  const get = (path: string): ReturnType<typeof call> => call(sim, 'GET', `/sites/${me.siteId}${path}`, { token: me.token });

  it('serverinfo: productVersion {value, build}, restApiVersion a string, no wrapper', async () => {
    const body = (await call(sim, 'GET', '/serverinfo')).json;
    expect(Object.keys(body)).toEqual(['serverInfo']);
    expect(Object.keys(body.serverInfo.productVersion)).toEqual(['value', 'build']);
    expect(body.serverInfo.restApiVersion).toMatch(/^\d+\.\d+$/);
  });

  it('sign-in: credentials {site {id, contentUrl}, user {id}, token, estimatedTimeToExpiration}', async () => {
    const res = await call(sim, 'POST', '/auth/signin', { body: { credentials: {
      personalAccessTokenName: sim.info.pat.name, personalAccessTokenSecret: sim.info.pat.secret, site: { contentUrl: '' } } } });
    const { credentials } = res.json;
    expect(Object.keys(credentials)).toEqual(['site', 'user', 'token', 'estimatedTimeToExpiration']);
    expect(credentials.site).toEqual({ id: expect.any(String), contentUrl: '' });
    expect(credentials.estimatedTimeToExpiration).toMatch(/^\d+:\d\d:\d\d$/);
    me = await signInPat(sim); // the sign-in above replaced the PAT's session
  });

  it('a listing: pagination first with numbers as strings; users in an array; domain nested; ISO dates', async () => {
    const body = (await get('/users?pageSize=2&sort=name:asc')).json;
    expect(Object.keys(body)).toEqual(['pagination', 'users']);
    expect(body.pagination).toEqual({ pageNumber: '1', pageSize: '2', totalAvailable: '3' });
    const [first] = body.users.user;
    expect(Object.keys(first)[0]).toBe('domain');
    expect(first.domain).toEqual({ name: 'local' });
    expect(first).toMatchObject({ id: expect.any(String), name: 'admin', siteRole: 'ServerAdministrator' });
    expect(first.lastLogin).toMatch(ISO_UTC);
    expect(Object.values(first).filter((v) => typeof v !== 'string' && typeof v !== 'object')).toEqual([]);
  });

  it('one item is still an array; no items is an empty object', async () => {
    const one = (await get('/users?filter=name:eq:admin')).json;
    expect(Array.isArray(one.users.user)).toBe(true);
    expect(one.users.user).toHaveLength(1);
    const none = (await get('/users?filter=name:eq:nobody')).json;
    expect(none).toEqual({ pagination: { pageNumber: '1', pageSize: '100', totalAvailable: '0' }, users: {} });
  });

  it('groups: userCount a string, domain and import nested objects', async () => {
    const groups = (await get('/groups?sort=name:asc')).json.groups.group as Record<string, unknown>[];
    const ad = groups.find((g) => g['id'] === ids.ad)!;
    expect(ad['domain']).toEqual({ name: 'corp.example.com' });
    expect(ad['import']).toEqual({ domainName: 'corp.example.com', siteRole: 'Viewer', grantLicenseMode: 'onSync', source: 'ActiveDirectory' });
    expect(groups.find((g) => g['id'] === ids.local)).toMatchObject({ domain: { name: 'local' }, userCount: '1' });
  });

  it('errors: {"error":{"summary","detail","code"}} with the code a string', async () => {
    const res = await get('/users/00000000-0000-4000-8000-00000000ffff');
    expect(res.status).toBe(404);
    expect(Object.keys(res.json)).toEqual(['error']);
    expect(Object.keys(res.json.error)).toEqual(['summary', 'detail', 'code']);
    expect(res.json.error.code).toBe('404002');
  });

  it('booleans stay JSON booleans; other attribute values become strings', () => {
    expect(jsonValue({ tag: 'group', attrs: { ephemeralUsersEnabled: false, userCount: 3, name: 'G' } }))
      .toEqual({ ephemeralUsersEnabled: false, userCount: '3', name: 'G' });
    expect(jsonValue({ tag: 'productVersion', attrs: { build: 'b' }, text: '2022.1.5' })).toEqual({ value: '2022.1.5', build: 'b' });
  });
});
