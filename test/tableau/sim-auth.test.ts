import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import pino from 'pino';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { TableauClient, type TableauClientOptions, type TableauCredentials } from '../../pkg/tableau/index.js';
import { FAST_RETRY, scenario, site } from './scenario.js';

let sim: RunningSimulator;
const clients: TableauClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ data: scenario(site(0, '', 30), site(1, 'sales', 40), site(2, 'ops', 5)) });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
});

function patCreds(): TableauCredentials {
  return { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret };
}
function passwordCreds(): TableauCredentials {
  return { kind: 'password', username: sim.info.admin.username, password: sim.info.admin.password };
}
function jwtCreds(scopes?: string[]): TableauCredentials {
  const app = sim.info.connectedApp;
  return { kind: 'jwt', clientId: app.clientId, secretId: app.secretId, secretValue: app.secretValue, username: app.username, ...(scopes ? { scopes } : {}) };
}

function client(credentials: TableauCredentials, extra: Partial<TableauClientOptions> = {}): TableauClient {
  const c = new TableauClient({ serverUrl: sim.url, credentials, retry: FAST_RETRY, ...extra });
  clients.push(c);
  return c;
}

async function names(c: TableauClient, contentUrl: string): Promise<string[]> {
  const out: string[] = [];
  for await (const user of c.site(contentUrl).users()) out.push(user.name);
  return out;
}

function truth(contentUrl: string): string[] {
  return sim.state().sites.find((s) => s.contentUrl === contentUrl)!.users.map((u) => u.name).sort();
}

describe('sign-in kinds', () => {
  for (const [kind, creds] of [['PAT', patCreds], ['JWT', () => jwtCreds()], ['password', passwordCreds]] as const) {
    it(`${kind}: signs in once, shared by concurrent first requests`, async () => {
      const c = client(creds());
      const site = c.site('sales');
      const [id, users, groups] = await Promise.all([site.siteId(), names(c, 'sales'), site.listGroups()]);
      expect(id).toBe(sim.info.sites.find((s) => s.contentUrl === 'sales')!.id);
      expect(users).toEqual(truth('sales'));
      expect(groups.items.some((g) => g.name === 'All Users')).toBe(true);
      expect(c.stats().signIns).toBe(1);
      expect(c.site('sales')).toBe(site);
    });
  }

  it('wrong credentials → SIGN_IN_FAILED without the secret in the message', async () => {
    const c = client({ kind: 'pat', name: sim.info.pat.name, secret: 'not-the-secret' });
    const err = (await c.site('').listUsers().catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'SIGN_IN_FAILED', tableauCode: '401001' });
    expect(err.message).not.toContain('not-the-secret');
  });

  it('a JWT without the groups scope can read users but not groups', async () => {
    const c = client(jwtCreds(['tableau:users:read']));
    expect((await c.site('').listUsers()).items.length).toBeGreaterThan(0);
    await expect(c.site('').listGroups()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('sessions', () => {
  it('a second sign-in with the same PAT kills the first session; the first client recovers once', async () => {
    const first = client(patCreds());
    await first.site('').listUsers();
    const second = client(patCreds());
    await second.site('').listUsers();
    expect(await names(first, '')).toEqual(truth(''));
    expect(first.stats()).toMatchObject({ signIns: 2, reauths: 1 });
  });

  it('PAT on several sites: one session moved with switchSite, concurrent listings stay correct', async () => {
    const c = client(patCreds());
    sim.resetStats();
    const [a, b, d] = await Promise.all([names(c, 'sales'), names(c, 'ops'), names(c, '')]);
    expect([a, b, d]).toEqual([truth('sales'), truth('ops'), truth('')]);
    expect(await names(c, 'sales')).toEqual(truth('sales'));
    const byRoute = sim.stats().byRoute;
    expect(byRoute['POST /auth/signin']).toBe(1);
    expect(byRoute['POST /auth/switchSite']).toBeGreaterThanOrEqual(2);
    expect(sim.stats().byStatus['401'] ?? 0).toBe(0);
  });

  it('password on several sites: one session per site, no switching', async () => {
    const c = client(passwordCreds());
    sim.resetStats();
    const results = await Promise.all([names(c, 'sales'), names(c, 'ops'), names(c, 'sales')]);
    expect(results).toEqual([truth('sales'), truth('ops'), truth('sales')]);
    expect(sim.stats().byRoute['POST /auth/signin']).toBe(2);
    expect(sim.stats().byRoute['POST /auth/switchSite']).toBeUndefined();
  });

  it('listSites reuses the live session instead of signing in to another site', async () => {
    const c = client(patCreds());
    await c.site('ops').listUsers();
    sim.resetStats();
    const sites = await c.listSites();
    expect(sites.items.map((s) => s.contentUrl).sort()).toEqual(['', 'ops', 'sales']);
    expect(sim.stats().byRoute).toEqual({ 'GET /sites': 1 });
  });

  it('close() signs out every session and is idempotent', async () => {
    const c = new TableauClient({ serverUrl: sim.url, credentials: passwordCreds() });
    await Promise.all([c.site('').listUsers(), c.site('ops').listUsers()]);
    sim.resetStats();
    await c.close();
    await c.close();
    expect(sim.stats().byRoute['POST /auth/signout']).toBe(2);
  });

  it('recovers from periodic session kills', async () => {
    const c = client(passwordCreds(), { pageConcurrency: 2 });
    sim.setFaults({ sessionKillEvery: 3 });
    try {
      for (let i = 0; i < 6; i++) expect((await c.site('sales').listUsers({ pageSize: 10, pageNumber: 1 + (i % 4) })).items.length).toBe(10);
    } finally {
      sim.setFaults({ sessionKillEvery: 0 });
    }
    expect(c.stats().reauths).toBeGreaterThanOrEqual(1);
  });
});

describe('no secrets in logs', () => {
  it('debug logs never contain the PAT secret, password, JWT, secret value or session tokens', async () => {
    let logText = '';
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { logText += chunk.toString(); done(); } });
    const logger = pino({ level: 'debug' }, sink);
    // Record every token and JWT that goes over the wire through an injected dispatcher.
    const sent = new Set<string>();
    const recorder: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
      const headers = opts.headers as Record<string, string> | undefined;
      if (headers?.['x-tableau-auth']) sent.add(headers['x-tableau-auth']);
      const jwt = typeof opts.body === 'string' ? /jwt="([^"]+)"/.exec(opts.body)?.[1] : undefined;
      if (jwt) sent.add(jwt);
      return dispatch(opts, handler);
    };
    const agent = new Agent();
    const dispatcher = agent.compose(recorder);
    sim.setFaults({ sessionKillEvery: 4 });
    try {
      for (const creds of [patCreds(), passwordCreds(), jwtCreds()]) {
        const c = new TableauClient({ serverUrl: sim.url, credentials: creds, logger, dispatcher, retry: FAST_RETRY });
        await names(c, 'sales');
        await c.site('ops').listGroups();
        await c.site('').getUser('no-such-user').catch(() => undefined);
        await c.close();
      }
    } finally {
      sim.setFaults({ sessionKillEvery: 0 });
      await agent.close();
    }
    const secrets = [sim.info.pat.secret, sim.info.admin.password, sim.info.connectedApp.secretValue, ...sent];
    expect(sent.size).toBeGreaterThan(4);
    expect(logText).toContain('"route":"GET /sites/{}/users"');
    for (const secret of secrets) expect(logText).not.toContain(secret);
    expect(logText.toLowerCase()).not.toContain('x-tableau-auth');
  });
});
