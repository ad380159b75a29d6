/**
 * The real client decodes Tableau JSON shaped as recorded (test/tableau/recorded-json.ts), served by the
 * simulator: its answers are rewritten into the recorded shapes (and the variants other clients accept)
 * on the way out, so the data stays the simulator's and the decoded result can be checked against it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { TableauClient, TableauError, type SiteClient, type TableauUser } from '../../pkg/tableau/index.js';
import * as recorded from './recorded-json.js';
import { group, luid, scenario, site } from './scenario.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the simulator's answers are read loosely to be rewritten */
type Rewrite = (original: any, url: URL) => object;

const AD = group(0, 1, 'Sales EMEA', { domain: 'corp.example.com', minimumSiteRole: 'Viewer', grantLicenseMode: 'onSync' });
const LOCAL = group(0, 2, 'Finance', { minimumSiteRole: 'Explorer' });

let sim: RunningSimulator;
let client: TableauClient;
let tableau: SiteClient;
/** How the next listings render their list (see recorded.ListShape), and whether numbers are numbers. */
let listing: { shape: recorded.ListShape; numbers: boolean } = { shape: 'array', numbers: false };

const pageOf = (original: any): { pageNumber: number; pageSize: number; total: number } => ({
  pageNumber: Number(original.pagination.pageNumber), pageSize: Number(original.pagination.pageSize),
  total: Number(original.pagination.totalAvailable),
});
const itemsOf = (original: any, list: string, item: string): any[] => original[list]?.[item] ?? [];
const asUser = (u: any): object => recorded.user({ ...u, domain: u.domain?.name });
const usersPage: Rewrite = (o) => recorded.page('users', 'user', itemsOf(o, 'users', 'user').map(asUser), pageOf(o), listing);

const REWRITES: Record<string, Rewrite> = {
  'GET /serverinfo': (o) => recorded.serverInfo(o.serverInfo.restApiVersion),
  'POST /auth/signin': ({ credentials: c }) =>
    recorded.credentials({ token: c.token, siteId: c.site.id, contentUrl: c.site.contentUrl, userId: c.user.id }),
  'GET /sites/{}/users': usersPage,
  'GET /sites/{}/groups/{}/users': usersPage,
  'GET /sites/{}/users/{}': (o) => ({ user: asUser(o.user) }),
  'GET /sites/{}/groups': (o) => recorded.page('groups', 'group', itemsOf(o, 'groups', 'group').map((g) => recorded.group({
    id: g.id, name: g.name, userCount: Number(g.userCount), domain: g.domain.name === 'local' ? undefined : g.domain.name,
    minimumSiteRole: g.minimumSiteRole ?? g.import?.siteRole, grantLicenseMode: g.import?.grantLicenseMode,
  })), pageOf(o), listing),
  'POST /sites/{}/users': (o) => recorded.addedUser(o.user),
  'PUT /sites/{}/users/{}': (o) => recorded.updatedUser(o.user),
};

/** Response content types by route, to see which format each call used. */
const contentTypes = new Map<string, string>();

beforeAll(async () => {
  const data = scenario(site(0, '', 4, { groups: [AD, LOCAL], memberships: [] }));
  const users = data.sites[0]!.users;
  users.forEach((u, i) => Object.assign(u, { email: `person${i}@example.com`, fullName: `Person ${i}`, lastLogin: i % 2 ? '2025-11-03T09:15:00Z' : null }));
  data.sites[0]!.memberships.push(...users.slice(1, 4).map((u) => ({ groupId: LOCAL.id, userId: u.id })));
  sim = await startSimulator({ data });
  sim.interceptResponses((request, response) => {
    contentTypes.set(`${request.method} ${request.route.split(' ')[1]}`, response.headers['Content-Type'] ?? '');
    if (!(response.headers['Content-Type'] ?? '').includes('json')) return undefined;
    const original = JSON.parse(response.body.toString('utf8'));
    const rewrite = response.status >= 400 ? undefined : REWRITES[request.route];
    const body = response.status >= 400
      ? recorded.error(original.error.code, original.error.summary, original.error.detail)
      : rewrite?.(original, request.url);
    return body === undefined ? undefined : { ...response, body: Buffer.from(JSON.stringify(body)) };
  });
  client = new TableauClient({ serverUrl: sim.url, credentials: { kind: 'pat', ...sim.info.pat }, format: 'json' });
  tableau = client.site('');
});
afterEach(() => { listing = { shape: 'array', numbers: false }; });
afterAll(async () => {
  await client?.close();
  await sim?.close();
});

/** What the client must make of each simulator user. */
function expected(u: { id: string; name: string; siteRole: string; email: string; fullName: string; lastLogin: string | null }): Partial<TableauUser> {
  const want: Partial<TableauUser> = { id: u.id, name: u.name, siteRole: u.siteRole, email: u.email, fullName: u.fullName, domainName: 'local' };
  if (u.lastLogin) want.lastLogin = u.lastLogin;
  return want;
}

async function allUsers(pageSize: number): Promise<TableauUser[]> {
  const out: TableauUser[] = [];
  for await (const page of tableau.userPages({ pageSize })) out.push(...page.items);
  return out;
}

describe('the client reads recorded-shaped Tableau JSON', () => {
  it('serverinfo: productVersion {value, build}', async () => {
    const info = await client.serverInfo();
    expect(info).toMatchObject({ productVersion: '2022.1.5', build: '20221.22.0823.1450', restApiVersion: sim.info.apiVersion });
  });

  it('sign-in and a paged user listing, a one-item last page rendered either way, decode to the simulator users', async () => {
    const truth = sim.state().sites[0]!.users.map(expected).sort((a, b) => a.name!.localeCompare(b.name!));
    for (const shape of ['array', 'single-object'] as const) {
      listing = { shape, numbers: false };
      const users = (await allUsers(2)).sort((a, b) => a.name.localeCompare(b.name));
      expect(users.map((u) => ({ ...u, authSetting: undefined, externalAuthUserId: undefined }))).toEqual(truth.map((u) => ({ ...u, authSetting: undefined, externalAuthUserId: undefined })));
      expect(users.filter((u) => u.lastLogin === undefined)).toHaveLength(truth.filter((u) => u.lastLogin === undefined).length);
    }
    expect(await tableau.siteId()).toBe(sim.state().sites[0]!.id);
  });

  it('no items: {} (Tableau), [] (no item wrapper), and numbers sent as numbers', async () => {
    for (const variant of [{ shape: 'array', numbers: false }, { shape: 'no-item-wrapper', numbers: false }, { shape: 'array', numbers: true }] as const) {
      listing = { ...variant };
      const none = await tableau.listUsers({ filter: 'name:eq:nobody' });
      expect(none).toEqual({ pagination: { pageNumber: 1, pageSize: 100, totalAvailable: 0 }, items: [] });
      const members = await tableau.listGroupUsers(LOCAL.id, { sort: 'name:asc' });
      expect(members.pagination.totalAvailable).toBe(3);
      expect(members.items.map((u) => u.id).sort()).toEqual(sim.state().sites[0]!.users.slice(1, 4).map((u) => u.id).sort());
    }
  });

  it('groups: the import object gives the directory domain, minimum role and license mode; booleans do not disturb', async () => {
    const groups = (await tableau.listGroups({ sort: 'name:asc' })).items;
    expect(groups.find((g) => g.id === AD.id)).toMatchObject({
      domainName: 'corp.example.com', minimumSiteRole: 'Viewer', grantLicenseMode: 'onSync', userCount: 0,
      import: { source: 'ActiveDirectory', domainName: 'corp.example.com', siteRole: 'Viewer', grantLicenseMode: 'onSync' },
    });
    expect(groups.find((g) => g.id === LOCAL.id)).toMatchObject({ domainName: 'local', minimumSiteRole: 'Explorer', userCount: 3 });
  });

  it('an error body {"error":{"summary","detail","code"}} keeps Tableau\'s code', async () => {
    const missing = luid(0x99, 1);
    const err = await tableau.getUser(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TableauError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', tableauCode: '404002', httpStatus: 404 });
  });

  it('Add User and Update User answers (the update has no id) give the user', async () => {
    const { user, created } = await tableau.addUser({ name: 'new.person@example.com', siteRole: 'Viewer' });
    expect(created).toBe(true);
    expect(user).toMatchObject({ name: 'new.person@example.com', siteRole: 'Viewer', authSetting: 'ServerDefault' });
    const updated = await tableau.updateUser(user.id, { siteRole: 'Explorer' });
    expect(updated).toMatchObject({ id: user.id, siteRole: 'Explorer' });
  });

  it('bulk membership calls speak XML, their JSON shape being undocumented; the result is still right', async () => {
    const ids = sim.state().sites[0]!.users.slice(1, 3).map((u) => u.id);
    const added = await tableau.addUsersToGroup(AD.id, ids);
    expect(added.map((u) => u.id).sort()).toEqual([...ids].sort());
    expect(contentTypes.get('POST /sites/{}/groups/{}/users')).toMatch(/^application\/xml/);
    await tableau.removeUsersFromGroup(AD.id, ids);
    expect(sim.state().sites[0]!.memberships.filter((m) => m.groupId === AD.id)).toEqual([]);
    expect(contentTypes.get('GET /sites/{}/groups')).toMatch(/^application\/json/);
  });
});
