/**
 * A sync of SCIM-enabled sites over real gRPC equals the simulator's ground truth for `managed_by`:
 * by inference from REST attributes (users), exactly with the opt-in SCIM read (users and groups);
 * grants of SCIM-managed groups are immutable with the IdP configuration as source; old versions
 * degrade with one warning; the SCIM secret never shows in the logs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findAnnotation, fromStruct } from '../../proto/index.js';
import type { GrantImmutable, Resource } from '../../proto/types.js';
import { grantsOf, listUnderSite, startScimE2e, type ScimE2e } from './harness.js';

const TIMEOUT = 60_000;
const IMMUTABLE = 'c1.connector.v2.GrantImmutable';

let e2e: ScimE2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const managedBy = (resources: Resource[]): Map<string, unknown> =>
  new Map(resources.map((r) => [r.id?.resource ?? '', fromStruct(r.profile)['managed_by']]));

const scimWarnings = (lines: Record<string, unknown>[]): string[] =>
  lines.filter((l) => l['level'] === 40 && String(l['msg']).includes('SCIM')).map((l) => String(l['msg']));

describe('SCIM marking in a sync', () => {
  it('infers SCIM-managed users from their IdP configuration; groups need the SCIM read (one warning)', async () => {
    e2e = await startScimE2e();
    const site = (await e2e.state()).sites[0];
    const idp = site?.scim?.idpConfigurationId;
    expect(site?.scim?.enabled).toBe(true);
    const users = await listUnderSite(e2e, 'user');
    const truth = new Map(site?.users.map((u) => [u.id, u.managedBy]));
    expect(truth.size).toBeGreaterThan(0);
    expect([...truth.values()].filter((m) => m === 'scim').length).toBeGreaterThan(0);
    expect(managedBy(users)).toEqual(truth);
    for (const user of users) {
      const profile = fromStruct(user.profile);
      expect(profile['scim_idp_configuration_id']).toBe(profile['managed_by'] === 'scim' ? idp : undefined);
    }
    // REST cannot tell SCIM-created groups from local ones: they read as `tableau`, and the run says so once.
    const groups = managedBy(await listUnderSite(e2e, 'group'));
    for (const g of site?.groups ?? []) expect(groups.get(g.id)).toBe(g.managedBy === 'scim' ? 'tableau' : g.managedBy);
    const warnings = scimWarnings(e2e.lines);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`IdP configuration ${idp}`);
  }, TIMEOUT);

  it('marks users and groups exactly with the SCIM read, paged, and makes SCIM group grants immutable', async () => {
    e2e = await startScimE2e({ sim: { users: 100 }, scimRead: true });
    const site = (await e2e.state()).sites[0];
    const idp = site?.scim?.idpConfigurationId ?? '';
    // More SCIM users than the simulator's SCIM page (25): equality needs every page.
    expect(site?.users.filter((u) => u.managedBy === 'scim').length).toBeGreaterThan(25);
    expect(managedBy(await listUnderSite(e2e, 'user'))).toEqual(new Map(site?.users.map((u) => [u.id, u.managedBy])));
    const groups = await listUnderSite(e2e, 'group');
    expect(managedBy(groups)).toEqual(new Map(site?.groups.map((g) => [g.id, g.managedBy])));
    const scimGroup = groups.find((g) => fromStruct(g.profile)['managed_by'] === 'scim');
    const localGroup = groups.find((g) => fromStruct(g.profile)['managed_by'] === 'tableau' && g.displayName !== 'All Users');
    expect(scimGroup && localGroup).toBeTruthy();
    const scimGrants = await grantsOf(e2e, scimGroup as Resource);
    expect(scimGrants.length).toBeGreaterThan(0);
    for (const grant of scimGrants) expect(findAnnotation<GrantImmutable>(grant.annotations, IMMUTABLE)?.sourceId).toBe(idp);
    for (const grant of await grantsOf(e2e, localGroup as Resource)) expect(findAnnotation(grant.annotations, IMMUTABLE)).toBeUndefined();
    expect(scimWarnings(e2e.lines)).toEqual([]);
    const token = e2e.sim.scim[0]?.token ?? '';
    expect(token.length).toBeGreaterThan(8);
    expect(JSON.stringify(e2e.lines)).not.toContain(token);
  }, TIMEOUT);

  it('falls back to inference with one warning when the SCIM secret is refused, without showing it', async () => {
    const secret = 'wrong-scim-secret-0123456789';
    e2e = await startScimE2e({ scimRead: { token: secret } });
    const users = await listUnderSite(e2e, 'user');
    const truth = new Map((await e2e.state()).sites[0]?.users.map((u) => [u.id, u.managedBy]));
    expect(managedBy(users)).toEqual(truth);
    const warnings = scimWarnings(e2e.lines);
    expect(warnings.some((w) => w.includes('SCIM read') && w.includes('by inference'))).toBe(true);
    expect(JSON.stringify(e2e.lines)).not.toContain(secret);
  }, TIMEOUT);

  it('marks nothing as SCIM on a version without SCIM attributes, and warns once', async () => {
    e2e = await startScimE2e({ sim: { scim: false, apiVersion: '3.26' } });
    const users = await listUnderSite(e2e, 'user');
    const groups = await listUnderSite(e2e, 'group');
    expect([...managedBy([...users, ...groups]).values()].filter((m) => m === 'scim')).toEqual([]);
    expect(new Set(managedBy(users).values())).toEqual(new Set(['tableau']));
    const warnings = scimWarnings(e2e.lines);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('cannot be determined');
  }, TIMEOUT);

  it('says nothing about SCIM on a current version without SCIM', async () => {
    e2e = await startScimE2e({ sim: { scim: false } });
    const users = await listUnderSite(e2e, 'user');
    expect([...managedBy(users).values()].every((m) => m === 'tableau' || m === 'directory')).toBe(true);
    expect(scimWarnings(e2e.lines)).toEqual([]);
  }, TIMEOUT);
});
