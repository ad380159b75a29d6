/**
 * The simulator's `scim` option: Query Site and users carry the SCIM attributes (valid against the
 * official XSD), `/_sim/state` reports `scim` and `managedBy`, and the SCIM read endpoints answer
 * page by page behind the site's bearer secret, deterministically per seed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { call, scenario, signInPat, type Signed } from './helpers.js';

const XSD_PATH = resolve(process.cwd(), '../shared/reference/tableau/ts-api_3_29.xsd');

describe('tableau-sim --scim', () => {
  let sim: RunningSimulator;
  let me: Signed;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, users: 80, groups: 6, memberships: 100, scim: true, scimToken: 'sim-scim-secret' });
    me = await signInPat(sim);
  });
  afterAll(() => sim?.close());

  const scimGet = (path: string, token = 'sim-scim-secret'): Promise<Response> =>
    fetch(`${sim.scim[0]?.baseUrl ?? ''}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('reports the SCIM site and who manages each user and group in /_sim/state', () => {
    const site = sim.state().sites[0];
    expect(site?.scim).toEqual({ enabled: true, idpConfigurationId: sim.scim[0]?.idpConfigurationId });
    expect(new Set(site?.users.map((u) => u.managedBy))).toEqual(new Set(['scim', 'tableau']));
    expect(site?.groups.some((g) => g.managedBy === 'scim')).toBe(true);
    expect(site?.groups.find((g) => g.name === 'All Users')?.managedBy).toBe('tableau');
    // The administrator whose token the simulator prints stays Tableau-managed.
    expect(site?.users.find((u) => u.name === 'admin')?.managedBy).toBe('tableau');
    expect(JSON.stringify(sim.info)).not.toContain('sim-scim-secret');
  });

  it('is deterministic per seed', async () => {
    const again = await startSimulator({ seed: 5, users: 80, groups: 6, memberships: 100, scim: true });
    try {
      const ids = (s: RunningSimulator) => s.state().sites[0]?.users.filter((u) => u.managedBy === 'scim').map((u) => u.id);
      expect(ids(again)).toEqual(ids(sim));
      expect(again.scim[0]?.idpConfigurationId).toBe(sim.scim[0]?.idpConfigurationId);
    } finally {
      await again.close();
    }
  });

  it('puts idpConfigurationIdForScim on the site and idpConfigurationId on SCIM-managed users', async () => {
    const idp = sim.scim[0]?.idpConfigurationId ?? '';
    const siteXml = (await call(sim, 'GET', `/sites/${me.siteId}`, { token: me.token, json: false })).text;
    expect(siteXml).toContain(`idpConfigurationIdForScim="${idp}"`);
    const users = (await call(sim, 'GET', `/sites/${me.siteId}/users?pageSize=1000`, { token: me.token })).json as { users: { user: Record<string, string>[] } };
    const managed = new Set(sim.state().sites[0]?.users.filter((u) => u.managedBy === 'scim').map((u) => u.id));
    for (const user of users.users.user) expect(user['idpConfigurationId']).toBe(managed.has(user['id'] ?? '') ? idp : undefined);
  });

  it.skipIf(!existsSync(XSD_PATH))('validates against the official 3.29 schema', async () => {
    const data = scenario(6);
    const small = await startSimulator({ data, scim: true });
    try {
      const signed = await signInPat(small);
      const docs = [
        (await call(small, 'GET', `/sites/${signed.siteId}?includeUsage=true`, { token: signed.token, json: false })).text,
        (await call(small, 'GET', `/sites/${signed.siteId}/users`, { token: signed.token, json: false })).text,
      ];
      const result = await validateXML({ xml: docs.map((contents, i) => ({ fileName: `scim-${i}.xml`, contents })),
        schema: [{ fileName: 'ts-api_3_29.xsd', contents: readFileSync(XSD_PATH, 'utf8') }] });
      expect(result.errors.map((e) => e.message)).toEqual([]);
      expect(docs[1]).toContain('idpConfigurationId=');
    } finally {
      await small.close();
    }
  }, 60_000);

  it('serves SCIM Users and Groups page by page behind the bearer secret', async () => {
    expect((await scimGet('/Users', 'wrong')).status).toBe(401);
    const managed = sim.state().sites[0]?.users.filter((u) => u.managedBy === 'scim') ?? [];
    expect(managed.length).toBeGreaterThan(25);
    const seen: string[] = [];
    for (let start = 1, pages = 0; pages < 10; pages++) {
      const page = (await (await scimGet(`/Users?startIndex=${start}&count=100`)).json()) as { totalResults: number; Resources: { id: string }[] };
      expect(page.totalResults).toBe(managed.length);
      expect(page.Resources.length).toBeLessThanOrEqual(25);
      seen.push(...page.Resources.map((r) => r.id));
      start += page.Resources.length;
      if (page.Resources.length === 0 || start > page.totalResults) break;
    }
    expect(seen).toEqual(managed.map((u) => u.id));
    const first = managed[0];
    const filtered = (await (await scimGet(`/Users?filter=${encodeURIComponent(`userName eq "${first?.name.toUpperCase() ?? ''}"`)}`)).json()) as { Resources: { id: string }[] };
    expect(filtered.Resources.map((r) => r.id)).toEqual([first?.id]);
    const groups = (await (await scimGet('/Groups?excludedAttributes=members')).json()) as { Resources: { id: string; displayName: string }[] };
    expect(groups.Resources.map((g) => g.id)).toEqual(sim.state().sites[0]?.groups.filter((g) => g.managedBy === 'scim').map((g) => g.id));
    expect((await scimGet(`/Groups/${groups.Resources[0]?.id ?? ''}`)).status).toBe(200);
    expect((await scimGet(`/Users/${me.userId}`)).status).toBe(404);
  });
});
