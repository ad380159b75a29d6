/**
 * The simulator's generated identity pools (`--identity-pools N`): deterministic per seed, without
 * changing the rest of the seed's data; each user in one pool or none; the authn-service listings;
 * `/_sim/state`'s pools and `identityPoolIds`; Cloud and pre-3.19 gating. Budget: ~2 s.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import type { SimState } from '../../pkg/tableau-sim/types.js';
import { jsonOf, signInPat } from './helpers.js';

const started: RunningSimulator[] = [];
async function sim(opts: Parameters<typeof startSimulator>[0]): Promise<RunningSimulator> {
  const s = await startSimulator({ port: 0, host: '127.0.0.1', seed: 7, sites: 2, users: 300, groups: 3, memberships: 40, ...opts });
  started.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

const withoutPools = (state: SimState): unknown =>
  state.sites.map((s) => ({ ...s, users: s.users.map(({ identityPoolIds: _pools, ...u }) => u) }));

describe('--identity-pools N', () => {
  it('is deterministic, keeps the rest of the seed, and puts users in one pool or none', async () => {
    const [a, b, none] = await Promise.all([sim({ identityPools: 6 }), sim({ identityPools: 6 }), sim({})]);
    const [sa, sb, sn] = [(await a.state()) as SimState, (await b.state()) as SimState, (await none.state()) as SimState];
    expect(sa).toEqual(sb);
    expect(withoutPools(sa)).toEqual(withoutPools(sn));
    expect(sn.identityPools).toBeUndefined();
    expect(sn.sites[0]?.users[0]).not.toHaveProperty('identityPoolIds');

    const pools = sa.identityPools ?? [];
    expect(pools).toHaveLength(6);
    for (const p of pools) expect(Object.keys(p).sort()).toEqual(['authConfigId', 'enabled', 'id', 'name', 'storeType']);
    expect(pools.filter((p) => !p.enabled)).toHaveLength(1);
    const users = sa.sites.flatMap((s) => s.users);
    const counts = users.map((u) => u.identityPoolIds?.length);
    expect(counts.every((n) => n === 0 || n === 1)).toBe(true);
    const inPool = counts.filter((n) => n === 1).length;
    expect(inPool).toBeGreaterThan(users.length * 0.2);
    expect(inPool).toBeLessThan(users.length * 0.4);
    const ids = new Set(pools.map((p) => p.id));
    expect(users.every((u) => (u.identityPoolIds ?? []).every((id) => ids.has(id)))).toBe(true);
  });

  it('serves pools, stores and OIDC configurations that agree with the state (no client secret)', async () => {
    const s = await sim({ identityPools: 4, seed: 9 });
    const me = await signInPat(s);
    const get = async (path: string) => jsonOf(await fetch(`${s.url}/api/-/authn-service/${path}`, { headers: { 'X-Tableau-Auth': me.token } }));
    const state = (await s.state()) as SimState;
    const pools = (await get('identity-pools')).pools as Record<string, unknown>[];
    expect(pools.map((p) => (p['identity_pool_id'] as { value: string }).value)).toEqual(state.identityPools?.map((p) => p.id));
    expect(pools.map((p) => p['is_enabled'])).toEqual(state.identityPools?.map((p) => p.enabled));
    expect(pools.map((p) => p['auth_type_instance_id'])).toEqual(state.identityPools?.map((p) => p.authConfigId));
    expect((await get('identity-stores')).instances).toHaveLength(4);
    const auths = (await get('auth-configurations')) as Record<string, unknown>[];
    expect(auths.map((c) => c['id'])).toEqual([1, 2, 3, 4]);
    expect(JSON.stringify(auths)).not.toContain('client_secret');
  });

  it('has no pools on Tableau Cloud, and no authn service there or below 3.19', async () => {
    const [cloud, old] = await Promise.all([sim({ identityPools: 3, cloud: true }), sim({ identityPools: 3, apiVersion: '3.18' })]);
    expect(((await cloud.state()) as SimState).identityPools).toBeUndefined();
    for (const s of [cloud, old]) {
      const me = await signInPat(s);
      const res = await fetch(`${s.url}/api/-/authn-service/identity-pools`, { headers: { 'X-Tableau-Auth': me.token } });
      expect(res.status).toBe(404);
      expect((await jsonOf(res)).http_error_code).toBe(404);
    }
  });
});
