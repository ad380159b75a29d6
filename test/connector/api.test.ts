/**
 * The builder's ConnectorApi on generated data (2 sites): the full model, metadata and capabilities,
 * Validate, GetResource, errors, and Cleanup dropping the per-sync cache. Budget: ~10 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capability, findAnnotation } from '../../proto/index.js';
import type { Resource } from '../../proto/types.js';
import { capabilities } from '../../pkg/connector/builder.js';
import { ConnectorError } from '../../pkg/connector/errors.js';
import { encodePageToken } from '../../pkg/connector/page-token.js';
import { expectSameModel, type State } from './expected.js';
import { startHarness, type Harness } from './harness.js';
import pino from 'pino';
import { buildConnector } from '../../pkg/connector/builder.js';
import { callCtx, drain, walk, type Walk } from './walk.js';

async function statusOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof ConnectorError ? err.status : `not a ConnectorError: ${String(err)}`;
  }
}

describe('connector API on two generated sites', () => {
  let h: Harness;
  let state: State;
  let result: Walk;
  const ctx = callCtx('api-sync');

  beforeAll(async () => {
    const sim0 = await startHarness({ seed: 7, sites: 2, users: 1_200, groups: 8, memberships: 2_000 }, { all: true });
    h = sim0;
    state = await h.state();
    result = await walk(h.connector, ctx);
  });
  afterAll(async () => h?.close());

  it('walks every site, user, group, membership, site role and license tier of the state', () => {
    expect(state.sites).toHaveLength(2);
    expectSameModel(result, state);
  });

  it('answers GetMetadata with capabilities computed from the resource types', async () => {
    const { metadata } = await h.connector.getMetadata({}, ctx);
    expect(metadata?.displayName).toBe('Tableau');
    const caps = metadata?.capabilities;
    expect(caps).toEqual(capabilities({ provisioning: false }));
    expect(caps?.resourceTypeCapabilities?.map((c) => c.resourceType?.id)).toEqual(['group', 'identity_pool', 'license', 'site', 'user']);
    for (const c of caps?.resourceTypeCapabilities ?? []) {
      expect(c.capabilities).toEqual([Capability.CAPABILITY_SYNC, Capability.CAPABILITY_TARGETED_SYNC]);
    }
    expect(caps?.connectorCapabilities).toEqual([
      Capability.CAPABILITY_SYNC, Capability.CAPABILITY_TARGETED_SYNC, Capability.CAPABILITY_SERVICE_MODE_TARGETED_SYNC,
    ]);
    const fields = metadata?.accountCreationSchema?.fieldMap ?? {};
    expect(fields.email?.required).toBe(true);
    expect(fields.site_role?.stringField?.defaultValue).toBe('Viewer');
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['username', 'full_name', 'auth_setting', 'idp_configuration_id', 'site']));
  });

  it('validates by signing in and reading every site', async () => {
    await h.sim.resetStats();
    expect(await h.connector.validate({}, callCtx(''))).toEqual({ annotations: [], sdkVersion: '0.25.0' });
    expect(await h.requests('GET /sites/{}')).toBe(2);
    // Within a sync, Validate's Query Site is the one the site listing reuses.
    expect(await h.connector.validate({}, ctx)).toEqual({ annotations: [], sdkVersion: '0.25.0' });
    expect(await h.requests('GET /sites/{}')).toBe(2);
  });

  it('gets each kind of resource by id, NOT_FOUND for unknown ones', async () => {
    const site = state.sites[1];
    const user = site?.users[3];
    const group = site?.groups.find((g) => g.name !== 'All Users');
    const get = (resourceType: string, resource: string, parent?: string) =>
      h.connector.getResource({ resourceId: { resourceType, resource }, parentResourceId: parent ? { resourceType: 'site', resource: parent } : undefined }, ctx);
    expect((await get('site', site?.id ?? '')).resource?.displayName).toBe(site?.name);
    expect((await get('user', user?.id ?? '', site?.id)).resource).toEqual(result.resources.get(`user:${user?.id}`));
    expect((await get('user', user?.id ?? '')).resource?.id?.resource).toBe(user?.id);
    expect((await get('group', group?.id ?? '')).resource).toEqual(result.resources.get(`group:${group?.id}`));
    expect((await get('license', 'explorer')).resource?.displayName).toBe('Explorer');
    expect(await statusOf(get('user', '00000000-0000-4000-8000-00000000dead', site?.id))).toBe('NOT_FOUND');
    expect(await statusOf(get('license', 'platinum'))).toBe('NOT_FOUND');
    expect(await statusOf(get('workbook', 'x'))).toBe('NOT_FOUND');
  });

  it('refuses corrupt page tokens and unknown resource types', async () => {
    const site = result.resources.get(`site:${state.sites[0]?.id}`) as Resource;
    const listUsers = (pageToken: string) =>
      h.connector.listResources({ resourceTypeId: 'user', parentResourceId: site.id, pageToken }, ctx);
    expect(await statusOf(listUsers('not-a-token'))).toBe('INVALID_ARGUMENT');
    expect(await statusOf(listUsers(encodePageToken({ k: 'site-grants', p: 2 })))).toBe('INVALID_ARGUMENT');
    expect(await statusOf(h.connector.listGrants({ resource: site, pageToken: 'eyJrIjoic2l0ZS1ncmFudHMifQ' }, ctx))).toBe('INVALID_ARGUMENT');
    expect(await statusOf(h.connector.listResources({ resourceTypeId: 'workbook' }, ctx))).toBe('NOT_FOUND');
  });

  it('returns nothing for child types listed without a parent, and for users and licenses entitlements', async () => {
    expect((await h.connector.listResources({ resourceTypeId: 'user' }, ctx)).list).toEqual([]);
    expect((await h.connector.listResources({ resourceTypeId: 'group' }, ctx)).list).toEqual([]);
    const user = [...result.resources.values()].find((r) => r.id?.resourceType === 'user') as Resource;
    expect((await h.connector.listEntitlements({ resource: user }, ctx)).list).toEqual([]);
    expect((await h.connector.listStaticEntitlements({ resourceTypeId: 'site' }, ctx)).list).toEqual([]);
    const userType = result.resourceTypes.find((t) => t.id === 'user');
    expect(findAnnotation(userType?.annotations, 'c1.connector.v2.SkipEntitlementsAndGrants')).toBeDefined();
  });

  it('leaves provisioning UNIMPLEMENTED when it is not set up', async () => {
    expect(await statusOf(h.connector.grant({}, ctx))).toBe('UNIMPLEMENTED');
    expect(await statusOf(h.connector.revoke({}, ctx))).toBe('UNIMPLEMENTED');
    expect(await statusOf(h.connector.createAccount({}, ctx))).toBe('UNIMPLEMENTED');
    expect(await statusOf(h.connector.deleteResource({}, ctx))).toBe('UNIMPLEMENTED');
  });

  it('serves site grants from the sync cache until Cleanup drops it', async () => {
    const site = result.resources.get(`site:${state.sites[0]?.id}`) as Resource;
    const siteGrants = () => drain('site grants', (t) => h.connector.listGrants({ resource: site, pageToken: t }, ctx));
    await h.sim.resetStats();
    const cached = await siteGrants();
    expect(await h.requests('GET /sites/{}/users')).toBe(0);
    await h.connector.cleanup({ activeSyncId: ctx.syncId }, ctx);
    const fresh = await siteGrants();
    expect(await h.requests('GET /sites/{}/users')).toBe(2);
    expect(fresh.items).toEqual(cached.items);
  });

  it('answers correctly on a cache miss (another sync id): the same grants, read from Tableau', async () => {
    const other = callCtx('another-sync');
    const license = result.resources.get('license:viewer') as Resource;
    const grants = await drain('license grants', (t) => h.connector.listGrants({ resource: license, pageToken: t }, other));
    const expected = [...result.grants.keys()].filter((id) => id.startsWith('license:viewer:')).sort();
    expect(grants.items.map((g) => g.id).sort()).toEqual(expected);
  });

  it('delegates provisioning when it is set up, and then claims it in its capabilities', async () => {
    const log = pino({ level: 'silent' });
    const provisioning = { policy: 'block-if-owner', dryRun: false } as const;
    const api = buildConnector({ client: h.client, sites: { all: true }, log, provisioning });
    const caps = (await api.getMetadata({}, ctx)).metadata?.capabilities;
    expect(caps).toEqual(capabilities());
    expect(caps?.connectorCapabilities).toContain(Capability.CAPABILITY_PROVISION);
    expect(caps?.resourceTypeCapabilities?.find((c) => c.resourceType?.id === 'user')?.capabilities).toContain(Capability.CAPABILITY_ACCOUNT_PROVISIONING);

    const site = state.sites[0];
    const group = site?.groups.find((g) => g.name !== 'All Users');
    const outsider = site?.users.find((u) => !site.memberships.some((m) => m.groupId === group?.id && m.userId === u.id));
    const groupResource = result.resources.get(`group:${group?.id}`) as Resource;
    const [member] = (await h.connector.listEntitlements({ resource: groupResource }, ctx)).list ?? [];
    const principal = result.resources.get(`user:${outsider?.id}`) as Resource;
    const granted = await api.grant({ entitlement: member, principal }, ctx);
    expect(granted.grants?.map((g) => g.id)).toEqual([`group:${group?.id}:member:user:${outsider?.id}`]);
    const after = await drain('members', (t) => api.listGrants({ resource: groupResource, pageToken: t }, callCtx('after-grant')));
    expect(after.items.map((g) => g.id)).toContain(`group:${group?.id}:member:user:${outsider?.id}`);
  });
});
