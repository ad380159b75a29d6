import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { call, signInPat, type Signed } from './helpers.js';

/** The outcome of one raw request: status, or 'reset' / 'truncated' when the transport broke. */
async function outcome(sim: RunningSimulator, path: string, token: string): Promise<string> {
  try {
    const res = await request(`${sim.url}/api/3.29${path}`, { headers: { 'X-Tableau-Auth': token }, reset: true });
    const text = await res.body.text();
    return `${res.statusCode}${res.statusCode === 429 ? `:${String(res.headers['retry-after'])}` : ''}:${text.length > 0 ? 'body' : ''}`;
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    return code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' ? 'truncated' : 'broken';
  }
}

async function runSequence(seed: number): Promise<string[]> {
  const sim = await startSimulator({ seed, users: 20, groups: 2, memberships: 10 });
  try {
    const me = await signInPat(sim);
    sim.setFaults({ fault429Rate: 0.2, fault5xxRate: 0.2, faultResetRate: 0.1, faultTruncateRate: 0.15 });
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) seen.push(await outcome(sim, `/sites/${me.siteId}/users?pageSize=5`, me.token));
    return seen;
  } finally {
    await sim.close();
  }
}

describe('tableau-sim: faults', () => {
  it('are deterministic for a seed and cover 429 (Retry-After 1), 5xx, resets and truncation', async () => {
    const first = await runSequence(11);
    const again = await runSequence(11);
    expect(again).toEqual(first);
    expect(first).toContain('429:1:body');
    expect(first.some((o) => o.startsWith('500') || o.startsWith('503'))).toBe(true);
    expect(first).toContain('broken');
    expect(first).toContain('truncated');
    expect(first).toContain('200:body');
    expect(await runSequence(12)).not.toEqual(first);
  });

  it('429 and 5xx bodies carry Tableau error codes', async () => {
    const sim = await startSimulator({ users: 5, groups: 1, memberships: 2 });
    try {
      const me = await signInPat(sim);
      sim.setFaults({ fault429Rate: 1 });
      const limited = await call(sim, 'GET', `/sites/${me.siteId}/users`, { token: me.token });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(limited.json.error.code).toBe('429000');
      sim.setFaults({ fault429Rate: 0, fault5xxRate: 1 });
      const failed = await call(sim, 'GET', `/sites/${me.siteId}/users`, { token: me.token });
      expect([500, 503]).toContain(failed.status);
      expect(failed.json.error.code).toBe(`${failed.status}000`);
      const info = await call(sim, 'GET', '/serverinfo');
      expect(info.status).toBe(200);
      const state = await call(sim, 'GET', '/_sim/state');
      expect(state.status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});

describe('tableau-sim: session kills, latency and stats', () => {
  let sim: RunningSimulator;
  let me: Signed;
  beforeAll(async () => {
    sim = await startSimulator({ users: 5, groups: 1, memberships: 2, sessionKillEvery: 3 });
    me = await signInPat(sim);
  });
  afterAll(() => sim.close());

  it('every Nth authenticated request kills its session (401002), sign-in still works', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await call(sim, 'GET', `/sites/${me.siteId}/users`, { token: me.token })).status);
    expect(codes).toEqual([200, 200, 401]);
    expect((await call(sim, 'GET', `/sites/${me.siteId}/users`, { token: me.token })).json.error.code).toBe('401002');
    me = await signInPat(sim);
    expect((await call(sim, 'GET', `/sites/${me.siteId}/users`, { token: me.token })).status).toBe(200);
    sim.setFaults({ sessionKillEvery: 0 });
  });

  it('counts every /api request by normalised route and status; /_sim is not counted; reset clears', async () => {
    await call(sim, 'POST', '/_sim/reset-stats');
    await call(sim, 'GET', `/sites/${me.siteId}/users`, { token: me.token });
    await call(sim, 'GET', `/sites/${me.siteId}/users/${me.userId}`, { token: me.token });
    await call(sim, 'GET', `/sites/${me.siteId}/users?pageSize=5000`, { token: me.token });
    const stats = (await call(sim, 'GET', '/_sim/stats')).json;
    expect(stats).toEqual({ total: 3, byRoute: { 'GET /sites/{}/users': 2, 'GET /sites/{}/users/{}': 1 }, byStatus: { 200: 2, 403: 1 } });
    expect(sim.stats().total).toBe(3);
    sim.resetStats();
    expect(sim.stats()).toEqual({ total: 0, byRoute: {}, byStatus: {} });
  });
});
