/**
 * Site-role and license grants of SCIM-managed users carry GrantImmutable with the IdP configuration
 * as source (provisioning refuses to change them), by inference and exactly with the SCIM read, over
 * real gRPC against the simulator's ground truth; a sync without SCIM marks none of them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findAnnotation } from '../../proto/index.js';
import type { Grant, GrantImmutable, Resource } from '../../proto/types.js';
import { drain } from '../connector/walk.js';
import { startScimE2e, type ScimE2e } from './harness.js';

const TIMEOUT = 60_000;
const IMMUTABLE = 'c1.connector.v2.GrantImmutable';

let e2e: ScimE2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

async function resources(e: ScimE2e, resourceTypeId: 'site' | 'license', activeSyncId: string): Promise<Resource[]> {
  return (await drain(resourceTypeId, (pageToken) => e.rpc.listResources({ resourceTypeId, pageToken, activeSyncId }))).items;
}

/** The site-role grants and the license grants of the first site, in one sync (or without a sync id). */
async function userGrants(e: ScimE2e, activeSyncId = ''): Promise<{ site: Grant[]; license: Grant[] }> {
  // Like a sync: the users listing first (it fills the sync's users pages), then the grants.
  const parentResourceId = { resourceType: 'site', resource: e.sim.info.sites[0]?.id ?? '' };
  await drain('user', (pageToken) => e.rpc.listResources({ resourceTypeId: 'user', parentResourceId, pageToken, activeSyncId }));
  const grantsOf = async (resource: Resource): Promise<Grant[]> =>
    (await drain('grants', (pageToken) => e.rpc.listGrants({ resource, pageToken, activeSyncId }))).items;
  const site = (await resources(e, 'site', activeSyncId)).find((s) => s.id?.resource === e.sim.info.sites[0]?.id);
  const license: Grant[] = [];
  for (const tier of await resources(e, 'license', activeSyncId)) license.push(...(await grantsOf(tier)));
  return { site: await grantsOf(site as Resource), license };
}

/** Each grant's user and the source of its GrantImmutable (undefined: none). */
const immutableSources = (grants: Grant[]): Map<string, string | undefined> =>
  new Map(grants.map((g) => [g.principal?.id?.resource ?? '', findAnnotation<GrantImmutable>(g.annotations, IMMUTABLE)?.sourceId]));

/** Every user's grant is immutable with the IdP configuration as source exactly when the simulator says SCIM manages the user. */
async function expectScimUsersImmutable(e: ScimE2e, activeSyncId?: string): Promise<void> {
  const site = (await e.state()).sites[0];
  const idp = site?.scim?.idpConfigurationId ?? '';
  expect(idp).not.toBe('');
  const expected = new Map(site?.users.map((u) => [u.id, u.managedBy === 'scim' ? idp : undefined]));
  expect([...expected.values()].filter((v) => v !== undefined).length).toBeGreaterThan(0);
  expect([...expected.values()].filter((v) => v === undefined).length).toBeGreaterThan(0);
  const grants = await userGrants(e, activeSyncId);
  expect(grants.site).toHaveLength(expected.size);
  expect(grants.license).toHaveLength(expected.size);
  expect(immutableSources(grants.site)).toEqual(expected);
  expect(immutableSources(grants.license)).toEqual(expected);
}

describe('GrantImmutable on the site-role and license grants of SCIM-managed users', () => {
  it('by inference (IdP configuration of the user), in a sync and without a sync id', async () => {
    e2e = await startScimE2e();
    await expectScimUsersImmutable(e2e, 'sync-inference');
    await expectScimUsersImmutable(e2e);
  }, TIMEOUT);

  it('exactly with the SCIM read, in a sync and without a sync id', async () => {
    e2e = await startScimE2e({ sim: { users: 100 }, scimRead: true });
    await expectScimUsersImmutable(e2e, 'sync-exact');
    await expectScimUsersImmutable(e2e);
  }, TIMEOUT);

  it('marks no site-role or license grant immutable in a sync without SCIM', async () => {
    e2e = await startScimE2e({ sim: { scim: false } });
    const grants = await userGrants(e2e, 'sync-off');
    expect(grants.site.length).toBeGreaterThan(0);
    expect(grants.license.length).toBe(grants.site.length);
    for (const g of [...grants.site, ...grants.license]) expect(g.annotations ?? []).toEqual([]);
  }, TIMEOUT);
});
