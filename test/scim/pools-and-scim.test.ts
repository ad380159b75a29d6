/**
 * One server with identity pools and a SCIM-enabled site, synced over real gRPC with the opt-in SCIM
 * read: the pools and their memberships, and every user's and group's `managed_by`, equal the
 * simulator's ground truth. The two features share the users pages and the profiles; this proves
 * neither hides the other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fromStruct } from '../../proto/index.js';
import type { Resource } from '../../proto/types.js';
import { drain } from '../connector/walk.js';
import { grantsOf, listUnderSite, startScimE2e, type ScimE2e } from './harness.js';

let e2e: ScimE2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const managedBy = (resources: Resource[]): Map<string, unknown> =>
  new Map(resources.map((r) => [r.id?.resource ?? '', fromStruct(r.profile)['managed_by']]));

describe('a site with identity pools and SCIM', () => {
  it('syncs pools, pool memberships and managed_by exactly as the simulator holds them', async () => {
    e2e = await startScimE2e({ sim: { identityPools: 3 }, scimRead: true });
    const state = await e2e.state();
    const site = state.sites[0];
    expect(site?.scim?.enabled).toBe(true);

    const types = ((await e2e.rpc.listResourceTypes({})).list ?? []).map((t) => t.id);
    expect(types).toContain('identity_pool');
    const pools = (await drain('pools', (pageToken) => e2e!.rpc.listResources({ resourceTypeId: 'identity_pool', pageToken }))).items;
    expect(pools.map((p) => p.id?.resource).sort()).toEqual((state.identityPools ?? []).map((p) => p.id).sort());

    const members = new Set<string>();
    for (const pool of pools) {
      for (const grant of await grantsOf(e2e, pool)) members.add(`${pool.id?.resource}|${grant.principal?.id?.resource}`);
    }
    const truth = new Set(site?.users.flatMap((u) => (u.identityPoolIds ?? []).map((id) => `${id}|${u.id}`)));
    expect(truth.size).toBeGreaterThan(0);
    expect(members).toEqual(truth);

    const users = await listUnderSite(e2e, 'user');
    const groups = await listUnderSite(e2e, 'group');
    expect(managedBy(users)).toEqual(new Map(site?.users.map((u) => [u.id, u.managedBy])));
    expect(managedBy(groups)).toEqual(new Map(site?.groups.map((g) => [g.id, g.managedBy])));
    // Some pool members are SCIM-managed and some are not: the two markings are independent.
    const scimUsers = new Set(site?.users.filter((u) => u.managedBy === 'scim').map((u) => u.id));
    const poolUsers = [...truth].map((m) => m.split('|')[1] ?? '');
    expect(poolUsers.some((id) => scimUsers.has(id))).toBe(true);
    expect(poolUsers.some((id) => !scimUsers.has(id))).toBe(true);
  }, 90_000);
});
