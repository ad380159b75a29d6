/**
 * Issue 2 acceptance, the items test/tableau covers only in XML or only against a hand-written server:
 * pagination edges (0, 1, 1000, 1001) over JSON through the page generators; the simulator's own
 * truncated bodies ending as typed errors; and debug logs under every fault kind (429, 5xx, resets,
 * truncation, session kills) with each sign-in kind carrying no secret and no session token; a
 * connected-app sign-in replayed after a lost answer uses a fresh JWT.
 * Budget: ~10 s (each simulated 429 asks for a 1 s wait).
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { TableauClient, TableauError, type TableauCredentials, type TableauPage } from '../../pkg/tableau/index.js';
import { FAST_RETRY, group, luid, scenario, site } from '../tableau/scenario.js';

let sim: RunningSimulator;
const EMPTY = luid(3 * 16 + 2, 1);
const ONE = luid(3 * 16 + 2, 2);
const THOUSAND = luid(3 * 16 + 2, 3);
const THOUSAND_AND_ONE = luid(3 * 16 + 2, 4);

beforeAll(async () => {
  // "one" holds only its admin (1 user); "big" holds 1001 users and groups of 0, 1, 1000 and 1001 members.
  const big = site(3, 'big', 1000, {
    groups: [group(3, 1, 'Empty'), group(3, 2, 'One'), group(3, 3, 'Thousand'), group(3, 4, 'Thousand and one')],
  });
  big.memberships = big.users.flatMap((user, i) => [
    { groupId: THOUSAND_AND_ONE, userId: user.id },
    ...(i < 1000 ? [{ groupId: THOUSAND, userId: user.id }] : []),
    ...(i === 7 ? [{ groupId: ONE, userId: user.id }] : []),
  ]);
  sim = await startSimulator({ data: scenario(site(0, '', 2), site(1, 'one', 0), site(2, 'small', 30), big) });
});
afterAll(() => sim?.close());

const pat = (): TableauCredentials => ({ kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret });

async function pages<T>(gen: AsyncGenerator<TableauPage<T>>): Promise<TableauPage<T>[]> {
  const out: TableauPage<T>[] = [];
  for await (const page of gen) out.push(page);
  return out;
}

function truth(contentUrl: string, groupId?: string): string[] {
  const s = sim.state().sites.find((x) => x.contentUrl === contentUrl)!;
  const ids = groupId ? s.memberships.filter((m) => m.groupId === groupId).map((m) => m.userId) : s.users.map((u) => u.id);
  return ids.sort();
}

describe('pagination edges over JSON', () => {
  it('0, 1, 1000 and 1001 items: exact, in as many requests as pages, last page short', async () => {
    const json = new TableauClient({ serverUrl: sim.url, credentials: pat(), format: 'json', retry: FAST_RETRY });
    try {
      const big = json.site('big');
      const cases: [string, () => AsyncGenerator<TableauPage<{ id: string }>>, string[], number[]][] = [
        ['empty group', () => big.groupUserPages(EMPTY), truth('big', EMPTY), [0]],
        ['one member', () => big.groupUserPages(ONE), truth('big', ONE), [1]],
        ['one user', () => json.site('one').userPages(), truth('one'), [1]],
        ['1000 members', () => big.groupUserPages(THOUSAND), truth('big', THOUSAND), [1000]],
        ['1001 members', () => big.groupUserPages(THOUSAND_AND_ONE), truth('big', THOUSAND_AND_ONE), [1000, 1]],
        ['1001 users', () => big.userPages(), truth('big'), [1000, 1]],
      ];
      for (const [label, list, expected, sizes] of cases) {
        sim.resetStats();
        const got = await pages(list());
        expect([label, got.map((p) => p.items.length)]).toEqual([label, sizes]);
        expect([label, got.flatMap((p) => p.items.map((u) => u.id)).sort()]).toEqual([label, expected]);
        expect([label, got.at(-1)?.pagination.totalAvailable]).toEqual([label, expected.length]);
        const requests = Object.entries(sim.stats().byRoute).filter(([route]) => route.startsWith('GET /sites/{}/')).reduce((n, [, c]) => n + c, 0);
        expect([label, requests]).toEqual([label, sizes.length]);
      }
      const groups = await pages(big.groupPages());
      expect(groups.flatMap((p) => p.items.map((g) => g.name)).sort()).toEqual(['All Users', 'Empty', 'One', 'Thousand', 'Thousand and one']);
    } finally {
      await json.close();
    }
  });
});

describe('truncated bodies from the simulator', () => {
  it('every response truncated: a typed PARSE/NETWORK error naming the endpoint, after bounded retries', async () => {
    const c = new TableauClient({ serverUrl: sim.url, credentials: pat(), retry: { ...FAST_RETRY, maxAttempts: 3 } });
    await c.site('small').siteId();
    sim.setFaults({ faultTruncateRate: 1 });
    try {
      const err = await c.site('small').listUsers({ pageSize: 10 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TableauError);
      expect(['PARSE', 'NETWORK']).toContain((err as TableauError).code);
      expect((err as TableauError).message).toMatch(/GET \/api\/[\d.]+\/sites\/[0-9a-f-]+\/users/);
      expect((err as TableauError).message).not.toContain(sim.info.pat.secret);
      expect(c.stats().retries).toBeGreaterThanOrEqual(2);
    } finally {
      sim.setFaults({ faultTruncateRate: 0 });
      await c.close();
    }
  });
});

describe('sign-in replayed after a lost answer', () => {
  it('a connected app signs in again with a fresh JWT (Tableau refuses a used jti)', async () => {
    // Only the first sign-in's answer is cut off (after the simulator accepted it); then faults stop.
    const jwts: string[] = [];
    const agent = new Agent();
    const dispatcher = agent.compose((dispatch) => (opts, handler) => {
      const jwt = typeof opts.body === 'string' ? /jwt="([^"]+)"/.exec(opts.body)?.[1] : undefined;
      if (jwt) jwts.push(jwt);
      sim.setFaults({ faultTruncateRate: jwts.length === 1 && jwt !== undefined ? 1 : 0 });
      return dispatch(opts, handler);
    });
    const app = sim.info.connectedApp;
    const c = new TableauClient({
      serverUrl: sim.url, dispatcher, retry: FAST_RETRY,
      credentials: { kind: 'jwt', clientId: app.clientId, secretId: app.secretId, secretValue: app.secretValue, username: app.username },
    });
    try {
      expect(await c.site('small').siteId()).toBe(sim.info.sites.find((x) => x.contentUrl === 'small')?.id);
    } finally {
      sim.setFaults({ faultTruncateRate: 0 });
      await c.close();
      await agent.close();
    }
    expect(jwts).toHaveLength(2);
    expect(new Set(jwts).size).toBe(2);
  });
});

describe('debug logs under every fault kind', () => {
  it('PAT, JWT and password: exact listings, and no secret or session token in any log line', async () => {
    let logText = '';
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { logText += chunk.toString(); done(); } });
    const logger = pino({ level: 'debug' }, sink);
    const sent = new Set<string>();
    const recorder: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
      const token = (opts.headers as Record<string, string> | undefined)?.['x-tableau-auth'];
      if (token) sent.add(token);
      const jwt = typeof opts.body === 'string' ? /jwt="([^"]+)"/.exec(opts.body)?.[1] : undefined;
      if (jwt) sent.add(jwt);
      return dispatch(opts, handler);
    };
    const agent = new Agent();
    const app = sim.info.connectedApp;
    const kinds: TableauCredentials[] = [
      pat(),
      { kind: 'jwt', clientId: app.clientId, secretId: app.secretId, secretValue: app.secretValue, username: app.username },
      { kind: 'password', username: sim.info.admin.username, password: sim.info.admin.password },
    ];
    sim.setFaults({ fault429Rate: 0.05, fault5xxRate: 0.1, faultResetRate: 0.05, faultTruncateRate: 0.05, sessionKillEvery: 4 });
    try {
      for (const credentials of kinds) {
        const c = new TableauClient({ serverUrl: sim.url, credentials, logger, dispatcher: agent.compose(recorder), retry: { ...FAST_RETRY, maxAttempts: 12 } });
        const ids: string[] = [];
        for await (const page of c.site('big').userPages({ pageSize: 100 })) ids.push(...page.items.map((u) => u.id));
        expect([credentials.kind, ids.sort()]).toEqual([credentials.kind, truth('big')]);
        await c.close();
      }
    } finally {
      sim.setFaults({ fault429Rate: 0, fault5xxRate: 0, faultResetRate: 0, faultTruncateRate: 0, sessionKillEvery: 0 });
      await agent.close();
    }
    expect(sent.size).toBeGreaterThan(6);
    // The faults really happened and were retried (the log has one line per attempt).
    expect(logText).toContain('"status":429');
    expect(logText).toMatch(/"status":50\d/);
    expect(logText).toMatch(/"attempt":[2-9]/);
    const secrets = [sim.info.pat.secret, sim.info.admin.password, app.secretValue, ...sent];
    expect(secrets.filter((s) => logText.includes(s))).toEqual([]);
    expect(logText.toLowerCase()).not.toContain('x-tableau-auth');
  });
});
