/**
 * The simulator's connection habits seen with plain HTTP (independently of pkg/tableau): an old
 * server, a sign-in answered with the site's own spelling or with another site, errors with status
 * 200, and a server that is not Tableau. The client's `fields` gating is checked against the old server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type SimOptions } from '../../pkg/tableau-sim/index.js';
import { TableauClient } from '../../pkg/tableau/index.js';

const sims: RunningSimulator[] = [];
afterAll(() => Promise.all(sims.map((s) => s.close())));

async function sim(opts: SimOptions = {}): Promise<RunningSimulator> {
  const started = await startSimulator({ seed: 3, sites: 2, users: 5, groups: 1, memberships: 3, ...opts });
  sims.push(started);
  return started;
}

async function post(s: RunningSimulator, version: string, path: string, body: object): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${s.url}/api/${version}${path}`, {
    method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

const patBody = (s: RunningSimulator, contentUrl: string) =>
  ({ credentials: { personalAccessTokenName: s.info.pat.name, personalAccessTokenSecret: s.info.pat.secret, site: { contentUrl } } });
const passwordBody = (s: RunningSimulator) => ({ credentials: { name: s.info.admin.username, password: s.info.admin.password, site: { contentUrl: '' } } });

describe('an old server (REST API 2.5, Tableau Server 10.2)', () => {
  it('reports its version, refuses PAT sign-in and accepts a password', async () => {
    const s = await sim({ apiVersion: '2.5', productVersion: '10.2.0' });
    const info = (await (await fetch(`${s.url}/api/2.4/serverinfo`, { headers: { accept: 'application/json' } })).json()) as { serverInfo: unknown };
    expect(info.serverInfo).toMatchObject({ restApiVersion: '2.5', productVersion: { value: '10.2.0' } });
    const pat = await post(s, '2.5', '/auth/signin', patBody(s, ''));
    expect([pat.status, pat.json.error.code]).toEqual([400, '400000']);
    expect(pat.json.error.detail).toMatch(/Personal access token sign-in requires REST API version 3\.6/);
    expect((await post(s, '2.5', '/auth/signin', passwordBody(s))).status).toBe(200);
    expect((await post(s, '3.29', '/auth/signin', passwordBody(s))).status).toBe(404);
  });

  it('the client leaves out `fields` there (REST API 2.5+ only) and sends it on newer servers', async () => {
    for (const [apiVersion, expected] of [['2.4', null], ['3.29', '_all_']] as const) {
      const s = await sim({ apiVersion });
      const seen: (string | null)[] = [];
      s.interceptResponses((req) => {
        if (req.route === 'GET /sites') seen.push(req.url.searchParams.get('fields'));
        return undefined;
      });
      const client = new TableauClient({ serverUrl: s.url, credentials: { kind: 'password', ...s.info.admin } });
      try {
        await client.site('').siteId();
        await client.listSites({ fields: '_all_' });
      } finally {
        await client.close();
      }
      expect(seen, apiVersion).toEqual([expected]);
    }
  });
});

describe('sign-in answers', () => {
  it("carry the site's own spelling of its content URL", async () => {
    const s = await sim();
    const res = await post(s, '3.29', '/auth/signin', patBody(s, 'SITE2'));
    expect(res.json.credentials.site.contentUrl).toBe('site2');
  });

  it('can open the session on another site than asked', async () => {
    const s = await sim({ signInOtherSite: true });
    const res = await post(s, '3.29', '/auth/signin', patBody(s, 'site2'));
    expect(res.json.credentials.site).toEqual({ id: s.info.sites[0]!.id, contentUrl: '' });
  });

  it("can send Tableau's errors with status 200, the error body kept", async () => {
    const s = await sim({ errorsWithStatus200: true });
    const res = await post(s, '3.29', '/auth/signin', { credentials: { ...patBody(s, '').credentials, personalAccessTokenSecret: 'nope' } });
    expect([res.status, res.json.error.code]).toEqual([200, '401001']);
    s.setFaults({ errorsWithStatus200: false });
    expect((await post(s, '3.29', '/auth/signin', { credentials: { ...patBody(s, '').credentials, personalAccessTokenSecret: 'nope' } })).status).toBe(401);
  });
});

describe('not Tableau', () => {
  it('serves a login page or an HTML 404 for every path, and keeps /_sim working', async () => {
    const login = await sim({ notTableau: 'login' });
    const page = await fetch(`${login.url}/api/2.4/serverinfo`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await page.text()).toContain('<title>Sign In - Example Corp SSO</title>');
    const missing = await sim({ notTableau: '404' });
    expect((await fetch(`${missing.url}/tableau/api/3.29/serverinfo`)).status).toBe(404);
    expect((await fetch(`${missing.url}/_sim/stats`)).status).toBe(200);
  });
});
