/**
 * Identity pools under the real sync engine writing a real c1z, against the simulator: the pools and
 * each user's pool equal /_sim/state, read with three authn-service requests and no request per user
 * or per pool; Tableau Cloud, a pre-3.19 server and a non-administrator's token sync without pools and
 * say why in exactly one warning. Budget: ~10 s.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C1zWriter } from '../../pkg/c1z/index.js';
import { runSync } from '../../pkg/sync/index.js';
import type { SimState } from '../../pkg/tableau-sim/types.js';
import { decodeC1z } from '../acceptance/decode-c1z.js';
import { startHarness, type Harness, type SimOptions } from './harness.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'identity-pools-'));
});
afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** One sync of a fresh simulator into a c1z: the decoded walk, the run's warnings, the state and the requests. */
async function syncOf(sim: NonNullable<SimOptions>, file: string) {
  const h: Harness = await startHarness(sim, sim.cloud || sim.data ? { contentUrls: [''] } : { all: true });
  try {
    const writer = await C1zWriter.create(path.join(dir, file));
    await h.sim.resetStats();
    const result = await runSync({ api: h.connector, writer, log: pino({ level: 'silent' }), signal: AbortSignal.timeout(60_000), concurrency: 4 });
    await writer.finish();
    const stats = await h.sim.stats();
    return { walk: (await decodeC1z(path.join(dir, file))).walk, warnings: result.warnings, state: (await h.sim.state()) as SimState, stats };
  } finally {
    await h.close();
  }
}

const authnRequests = (byRoute: Record<string, number>): number =>
  Object.entries(byRoute).filter(([route]) => route.includes('authn-service')).reduce((sum, [, n]) => sum + n, 0);

describe('identity pools in a sync', () => {
  it('pools and memberships equal the simulator, with no request per user or per pool', async () => {
    const run = await syncOf({ seed: 3, sites: 2, users: 1_500, groups: 3, memberships: 50, identityPools: 5 }, 'pools.c1z');
    expect(run.warnings).toEqual([]);
    const pools = run.state.identityPools ?? [];
    expect(pools).toHaveLength(5);
    expect(run.walk.resourceTypes.map((t) => t.id)).toContain('identity_pool');
    const synced = [...run.walk.resources.keys()].filter((k) => k.startsWith('identity_pool:')).sort();
    expect(synced).toEqual(pools.map((p) => `identity_pool:${p.id}`).sort());
    const profile = run.walk.resources.get(`identity_pool:${pools[3]?.id}`)?.profile?.fields ?? {};
    expect(profile['enabled']?.boolValue).toBe(pools[3]?.enabled);
    expect(profile['identity_store_type']?.stringValue).toBe(pools[3]?.storeType);
    expect(profile['auth_configuration_id']?.stringValue).toBe(String(pools[3]?.authConfigId));
    expect(profile['auth_type']?.stringValue).toBe('OIDC');

    const expected = run.state.sites.flatMap((s) => s.users.flatMap((u) => (u.identityPoolIds ?? []).map((p) => `identity_pool:${p}:member:user:${u.id}`)));
    expect(expected.length).toBeGreaterThan(300);
    const grants = [...run.walk.grants.keys()].filter((k) => k.startsWith('identity_pool:')).sort();
    expect(grants).toEqual(expected.sort());
    expect([...run.walk.entitlements.keys()].filter((k) => k.startsWith('identity_pool:')).sort()).toEqual(pools.map((p) => `identity_pool:${p.id}:member`).sort());

    // One read each of pools, stores and configurations; each users page read once; nothing per user.
    expect(authnRequests(run.stats.byRoute)).toBe(3);
    const usersPages = run.state.sites.reduce((n, s) => n + Math.ceil(s.users.length / 1000), 0);
    expect(run.stats.byRoute['GET /sites/{}/users']).toBe(usersPages);
    expect(run.stats.byRoute['GET /sites/{}/users/{}'] ?? 0).toBe(0);
  }, 60_000);

  it('a server without pools lists no identity_pool type and warns about nothing', async () => {
    const run = await syncOf({ seed: 3, users: 50, groups: 2, memberships: 20 }, 'none.c1z');
    expect(run.warnings).toEqual([]);
    expect(run.walk.resourceTypes.map((t) => t.id)).not.toContain('identity_pool');
    expect(run.state.identityPools).toBeUndefined();
  }, 30_000);
});

describe('where Tableau shows no pools, the sync succeeds and says why once', () => {
  const degraded = async (sim: NonNullable<SimOptions>, file: string, why: RegExp, authn: number) => {
    const run = await syncOf({ seed: 4, users: 40, groups: 2, memberships: 10, identityPools: 2, ...sim }, file);
    // Below 3.27 the sync also says once that SCIM cannot be determined; that warning is SCIM's own.
    const pools = run.warnings.filter((w) => !w.startsWith('SCIM cannot be determined'));
    expect(pools).toHaveLength(1);
    expect(pools[0]).toMatch(/^identity pools are not synced: /);
    expect(pools[0]).toMatch(why);
    expect(run.walk.resourceTypes.map((t) => t.id)).not.toContain('identity_pool');
    expect([...run.walk.resources.keys()].some((k) => k.startsWith('identity_pool:'))).toBe(false);
    expect(run.walk.resources.size).toBeGreaterThan(40);
    expect(authnRequests(run.stats.byRoute)).toBe(authn);
  };

  it('Tableau Cloud', () => degraded({ cloud: true }, 'cloud.c1z', /Tableau Cloud/, 1), 30_000);
  it('a server older than REST API 3.19 (nothing asked)', () => degraded({ apiVersion: '3.18' }, 'old.c1z', /3\.19/, 0), 30_000);
  it("a token that is not a server administrator's", async () => {
    const data = {
      sites: [{ id: '00000000-0000-4000-8000-000000000001', contentUrl: '', name: 'Default',
        users: [{ id: '00000000-0000-4000-8000-000000000002', name: 'siteadmin', siteRole: 'SiteAdministratorCreator' },
          { id: '00000000-0000-4000-8000-000000000003', name: 'dana', siteRole: 'Viewer', identityPoolUuid: '00000000-0000-4000-8000-0000000000aa' }],
        groups: [], memberships: [] }],
      identityPools: [{ uuid: '00000000-0000-4000-8000-0000000000aa', name: 'Partners' }],
    };
    const run = await syncOf({ data }, 'nonadmin.c1z');
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/server administrator/);
    expect(run.walk.resourceTypes.map((t) => t.id)).not.toContain('identity_pool');
    expect(authnRequests(run.stats.byRoute)).toBe(1);
  }, 30_000);
});
