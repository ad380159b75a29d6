/**
 * Provisioning behind the connector builder: the grant ids Grant returns are the ids a sync emits
 * afterwards, for site roles, license tiers and group memberships (budget: ~3 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableauConnector } from '../../pkg/connector/builder.js';
import type { Resource } from '../../proto/types.js';
import { entitlement, group, principal, scenario, SITE, startWorld, user, type World } from './harness.js';

const ALICE = user(1);
const TEAM = group(1);
const data = scenario([{ id: ALICE, name: 'alice', siteRole: 'Viewer' }], [{ id: TEAM, name: 'Team' }]);

let world: World;
let connector: TableauConnector;
beforeAll(async () => {
  world = await startWorld(data);
  // The world's api is the connector the builder made, provisioning included.
  connector = world.api;
});
afterAll(async () => {
  await world?.close();
});

async function syncedGrantIds(resource: Resource): Promise<string[]> {
  const ids: string[] = [];
  let pageToken = '';
  for (let page = 0; page < 20; page++) {
    const res = await connector.listGrants({ resource, pageToken }, world.ctx());
    ids.push(...(res.list ?? []).map((g) => g.id ?? ''));
    if (!res.nextPageToken) return ids;
    pageToken = res.nextPageToken;
  }
  throw new Error('too many pages');
}

const resourceOf = async (resourceType: string, id: string): Promise<Resource> =>
  (await connector.getResource({ resourceId: { resourceType, resource: id } }, world.ctx())).resource ?? {};

describe('grants through the builder', () => {
  it.each([
    ['site', SITE, `site:${SITE}:explorer can publish`],
    ['license', 'creator', 'license:creator:member'],
    ['group', TEAM, `group:${TEAM}:member`],
  ])('a %s grant has the id sync reports', async (type, id, entitlementId) => {
    const res = await connector.grant({ entitlement: entitlement(entitlementId), principal: principal(ALICE) }, world.ctx());
    const grantId = res.grants?.[0]?.id ?? '';
    expect(grantId).toBe(`${entitlementId}:user:${ALICE}`);
    expect(await syncedGrantIds(await resourceOf(type, id))).toContain(grantId);
  });
});
