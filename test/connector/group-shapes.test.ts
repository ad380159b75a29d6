/**
 * Directory groups in every shape real servers send (`<domain>` + `<import>`, `<import>` alone, the
 * older `siteRole` on `<group>`), as XML and as JSON: the sync's group profile and provisioning's
 * refusal to edit a directory-managed group must be the same for each.
 */
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { fromStruct } from '../../proto/index.js';
import { buildConnector } from '../../pkg/connector/builder.js';
import { TableauClient, type WireFormat } from '../../pkg/tableau/index.js';
import { GROUP_SHAPES, type GroupShape } from '../../pkg/tableau-sim/listing-habits.js';
import { entitlement, group, principal, scenario, SITE, startWorld, user, type World } from '../provision/harness.js';

const AD_SALES = group(1);
const ANALYSTS = group(2);
const data = scenario(
  [{ id: user(1), name: 'alice', siteRole: 'Viewer' }],
  [
    { id: AD_SALES, name: 'Sales', domain: 'corp.example.com', minimumSiteRole: 'Explorer', grantLicenseMode: 'onSync' },
    { id: ANALYSTS, name: 'Analysts', minimumSiteRole: 'Viewer' },
  ],
);

const worlds: World[] = [];
afterAll(async () => {
  for (const world of worlds) await world.close();
});

/** The group profiles the sync writes, read through a client speaking `format`. */
async function profiles(world: World, format: WireFormat): Promise<Map<string, Record<string, unknown>>> {
  const client = new TableauClient({ serverUrl: world.sim.url, credentials: { kind: 'pat', name: world.sim.info.pat.name, secret: world.sim.info.pat.secret }, format });
  try {
    const connector = buildConnector({ client, sites: { contentUrls: [''] }, log: pino({ level: 'silent' }) });
    const ctx = { signal: AbortSignal.timeout(30_000), log: pino({ level: 'silent' }), syncId: '' };
    const listed = await connector.listResources({ resourceTypeId: 'group', parentResourceId: { resourceType: 'site', resource: SITE } }, ctx);
    return new Map((listed.list ?? []).map((r) => [r.id?.resource ?? '', fromStruct(r.profile)]));
  } finally {
    await client.close();
  }
}

const MANAGEMENT_KEYS = ['managed_by', 'domain_name', 'is_local', 'minimum_site_role', 'grant_license_mode'] as const;
const management = (profile: Record<string, unknown> | undefined) => Object.fromEntries(MANAGEMENT_KEYS.map((k) => [k, profile?.[k]]));

describe('directory groups in every shape', () => {
  const seen: { shape: GroupShape; format: WireFormat; sales: unknown; analysts: unknown; refusal: string }[] = [];

  it.each(GROUP_SHAPES.map((shape) => [shape]))('%s: profile and provisioning refusal', async (shape) => {
    const world = await startWorld(data, { sim: { habits: { groupShape: shape } } });
    worlds.push(world);
    const refusal = await world.api.grant({ entitlement: entitlement(`group:${AD_SALES}:member`), principal: principal(user(1)) }, world.ctx())
      .then(() => 'granted', (err: { status?: string; message?: string }) => `${err.status}: ${err.message}`);
    for (const format of ['xml', 'json'] as const) {
      const groups = await profiles(world, format);
      seen.push({ shape, format, sales: management(groups.get(AD_SALES)), analysts: management(groups.get(ANALYSTS)), refusal });
    }
    // A local group stays editable whatever the shape.
    await world.api.grant({ entitlement: entitlement(`group:${ANALYSTS}:member`), principal: principal(user(1)) }, world.ctx());
  }, 30_000);

  it('every shape and format gives the same profile and the same refusal', () => {
    expect(seen).toHaveLength(GROUP_SHAPES.length * 2);
    for (const entry of seen) {
      expect(entry.sales, `${entry.shape} ${entry.format}`).toEqual({
        managed_by: 'directory', domain_name: 'corp.example.com', is_local: false, minimum_site_role: 'Explorer', grant_license_mode: 'onSync',
      });
      expect(entry.analysts, `${entry.shape} ${entry.format}`).toEqual({
        managed_by: 'tableau', domain_name: 'local', is_local: true, minimum_site_role: 'Viewer', grant_license_mode: undefined,
      });
      expect(entry.refusal).toMatch(/^FAILED_PRECONDITION: group Sales is managed by the directory corp\.example\.com/);
    }
  });
});
