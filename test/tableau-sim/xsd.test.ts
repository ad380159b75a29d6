import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { call, luid, scenario, signInPat, type Signed } from './helpers.js';

// The official schema lives beside the repository; the test is skipped where it is not available.
const XSD_PATH = resolve(process.cwd(), '../shared/reference/tableau/ts-api_3_29.xsd');
const haveXsd = existsSync(XSD_PATH);
if (!haveXsd) console.warn(`skipping the XSD validation of the simulator's XML: schema not found at ${XSD_PATH}`);

describe.skipIf(!haveXsd)('tableau-sim: XML validates against the official ts-api 3.29 schema', () => {
  let sim: RunningSimulator;
  let me: Signed;
  const ids = { local: luid(), ad: luid(), member: '' };
  beforeAll(async () => {
    // Only values the schema enumerates (no legacy roles, authSetting ServerDefault/SAML/OpenID).
    const data = scenario(6, { tierCreatorCapacity: 10, tierExplorerCapacity: 20, tierViewerCapacity: 30, userQuota: 100 });
    const site = data.sites[0]!;
    site.users.push({ id: luid(), name: 'sso.person', siteRole: 'SiteAdministratorExplorer', authSetting: 'SAML',
      lastLogin: '2025-12-01T08:00:00Z', identityPoolUuid: '11111111-2222-4333-8444-555555555555' });
    ids.member = site.users[1]!.id;
    site.groups.push({ id: ids.local, name: 'Local & <friends>', minimumSiteRole: 'Explorer', grantLicenseMode: 'onLogin' },
      { id: ids.ad, name: 'AD group', domain: 'corp.example.com', minimumSiteRole: 'Viewer', grantLicenseMode: 'onSync' });
    site.memberships.push({ groupId: ids.local, userId: ids.member });
    data.identityPools = [{ uuid: '11111111-2222-4333-8444-555555555555', name: 'Employees' }];
    sim = await startSimulator({ data });
    me = await signInPat(sim);
  });
  afterAll(() => sim?.close());

  /** Validates several documents in one xmllint run (each run loads the 150 kB schema again). */
  async function expectValid(docs: string[]): Promise<void> {
    const result = await validateXML({ xml: docs.map((contents, i) => ({ fileName: `response-${i}.xml`, contents })),
      schema: [{ fileName: 'ts-api_3_29.xsd', contents: readFileSync(XSD_PATH, 'utf8') }] });
    expect(result.errors.map((e) => `${e.loc?.fileName ?? ''}: ${e.message}`)).toEqual([]);
    expect(result.valid).toBe(true);
  }

  const get = async (path: string): Promise<string> => (await call(sim, 'GET', path, { token: me.token, json: false })).text;

  it('sign-in, sites, users, groups, group users, errors', async () => {
    const { pat } = sim.info;
    const signIn = await call(sim, 'POST', '/auth/signin', { json: false, body:
      `<tsRequest><credentials personalAccessTokenName="${pat.name}" personalAccessTokenSecret="${pat.secret}"><site contentUrl=""/></credentials></tsRequest>` });
    me = { token: /token="([^"]+)"/.exec(signIn.text)![1]!, siteId: me.siteId, userId: me.userId };
    const bodies = [
      signIn.text,
      await get('/sites?includeUsage=true'),
      await get(`/sites/${me.siteId}?includeUsage=true`),
      await get(`/sites/${me.siteId}/users?pageSize=1000`),
      await get(`/sites/${me.siteId}/users?fields=_all_`),
      await get(`/sites/${me.siteId}/users/${ids.member}`),
      await get(`/sites/${me.siteId}/users/${ids.member}/groups`),
      await get(`/sites/${me.siteId}/groups`),
      await get(`/sites/${me.siteId}/groups/${ids.local}/users`),
      await get(`/sites/${me.siteId}/groups/${ids.ad}/users`),
      await get(`/sites/${me.siteId}/users?pageSize=5000`),
      await get(`/sessions/current`),
    ];
    await expectValid(bodies);
  });

  it('write responses: add/update user, add member, create group', async () => {
    const post = async (method: string, path: string, body: string): Promise<string> =>
      (await call(sim, method, path, { token: me.token, json: false, body })).text;
    const added = await post('POST', `/sites/${me.siteId}/users`, '<tsRequest><user name="fresh" siteRole="Explorer" authSetting="SAML"/></tsRequest>');
    const newId = /id="([^"]+)"/.exec(added)![1]!;
    await expectValid([
      added,
      await post('PUT', `/sites/${me.siteId}/users/${newId}`, '<tsRequest><user siteRole="Viewer" fullName="Fresh Person"/></tsRequest>'),
      await post('POST', `/sites/${me.siteId}/groups/${ids.ad}/users`, `<tsRequest><user id="${newId}"/></tsRequest>`),
      await post('POST', `/sites/${me.siteId}/groups`, '<tsRequest><group name="Created"/></tsRequest>'),
      await post('POST', `/sites/${me.siteId}/groups`,
        '<tsRequest><group name="Imported"><import source="ActiveDirectory" domainName="corp.example.com" siteRole="Viewer" grantLicenseMode="onSync"/></group></tsRequest>'),
    ]);
  });
});
