/**
 * Provisioning refuses to change what the identity provider owns through SCIM — site roles, licenses,
 * deletion of SCIM-managed users, membership of SCIM-managed groups — with FAILED_PRECONDITION naming
 * the IdP configuration; dry runs show the refusal; `scimOverride` proceeds and the audit line says so.
 * Real simulator, real gRPC server and client.
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimState } from '../../pkg/tableau-sim/types.js';
import { entitlementOf, rejection, userResource } from '../provisioning-e2e/harness.js';
import { startScimE2e, type ScimE2e, type ScimE2eOptions } from './harness.js';

const TIMEOUT = 60_000;
const EDITABLE = new Set(['Viewer', 'Explorer', 'ExplorerCanPublish', 'Unlicensed']);

let e2e: ScimE2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

interface Cast {
  siteId: string;
  idp: string;
  scimUser: SimState['sites'][number]['users'][number];
  localUser: SimState['sites'][number]['users'][number];
  scimGroupId: string;
}

async function start(opts: ScimE2eOptions = {}): Promise<Cast> {
  e2e = await startScimE2e(opts);
  const site = (await e2e.state()).sites[0];
  const pick = (managedBy: string) => site?.users.find((u) => u.managedBy === managedBy && EDITABLE.has(u.siteRole));
  const scimUser = pick('scim');
  const localUser = pick('tableau');
  const scimGroupId = site?.groups.find((g) => g.managedBy === 'scim')?.id;
  if (!site || !scimUser || !localUser || !scimGroupId) throw new Error('the seeded SCIM world lacks a SCIM user, a local user or a SCIM group');
  return { siteId: site.id, idp: site.scim?.idpConfigurationId ?? '', scimUser, localUser, scimGroupId };
}

const roleNow = async (userId: string): Promise<string | undefined> =>
  (await e2e?.state())?.sites[0]?.users.find((u) => u.id === userId)?.siteRole;

async function expectRefused(call: Promise<unknown>, idp: string): Promise<void> {
  const err = await rejection(call);
  expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
  expect(err.details).toContain(idp);
  expect(err.details).toContain('identity provider');
}

describe('SCIM refusals', () => {
  it('refuses site-role, license and delete of a SCIM-managed user (inference), and changes nothing', async () => {
    const cast = await start();
    const rpc = (e2e as ScimE2e).rpc;
    const principal = await userResource(rpc, cast.scimUser.id);
    await expectRefused(rpc.grant({ entitlement: await entitlementOf(rpc, 'site', cast.siteId, 'creator'), principal }), cast.idp);
    await expectRefused(rpc.grant({ entitlement: await entitlementOf(rpc, 'license', 'creator', 'member'), principal }), cast.idp);
    await expectRefused(rpc.deleteResourceV2({ resourceId: { resourceType: 'user', resource: cast.scimUser.id } }), cast.idp);
    expect(await roleNow(cast.scimUser.id)).toBe(cast.scimUser.siteRole);
    const audits = (e2e as ScimE2e).audits();
    expect(audits.map((a) => a['result'])).toEqual(['failed', 'failed', 'failed']);
    // A user the IdP does not manage is changed as before.
    await rpc.grant({ entitlement: await entitlementOf(rpc, 'site', cast.siteId, 'creator'), principal: await userResource(rpc, cast.localUser.id) });
    expect(await roleNow(cast.localUser.id)).toBe('Creator');
  }, TIMEOUT);

  it('refuses membership changes of a SCIM-managed group (SCIM read)', async () => {
    const cast = await start({ scimRead: true });
    const rpc = (e2e as ScimE2e).rpc;
    const membersOf = async (): Promise<string[]> =>
      ((await (e2e as ScimE2e).state()).sites[0]?.memberships ?? []).filter((m) => m.groupId === cast.scimGroupId).map((m) => m.userId).sort();
    const before = await membersOf();
    const site = (await (e2e as ScimE2e).state()).sites[0];
    const outsider = site?.users.find((u) => u.managedBy === 'tableau' && !before.includes(u.id));
    const member = before[0];
    if (!outsider || !member) throw new Error('the seeded SCIM group needs a member and an outsider');
    const entitlement = await entitlementOf(rpc, 'group', cast.scimGroupId, 'member');
    await expectRefused(rpc.grant({ entitlement, principal: await userResource(rpc, outsider.id) }), cast.idp);
    const grant = { id: `group:${cast.scimGroupId}:member:user:${member}`, entitlement, principal: await userResource(rpc, member) };
    await expectRefused(rpc.revoke({ grant }), cast.idp);
    expect(await membersOf()).toEqual(before);
    expect(JSON.stringify((e2e as ScimE2e).lines)).not.toContain((e2e as ScimE2e).sim.scim[0]?.token ?? 'no token');
  }, TIMEOUT);

  it('shows the refusal in a dry run', async () => {
    const cast = await start({ dryRun: true });
    const rpc = (e2e as ScimE2e).rpc;
    const principal = await userResource(rpc, cast.scimUser.id);
    await expectRefused(rpc.grant({ entitlement: await entitlementOf(rpc, 'site', cast.siteId, 'creator'), principal }), cast.idp);
    const audit = (e2e as ScimE2e).audits()[0];
    expect(audit).toMatchObject({ dryRun: true, result: 'failed' });
    expect(String(audit?.['detail'])).toContain(cast.idp);
  }, TIMEOUT);

  it('changes a SCIM-managed user with the override, and the audit line records it', async () => {
    const cast = await start({ scimOverride: true });
    const rpc = (e2e as ScimE2e).rpc;
    const principal = await userResource(rpc, cast.scimUser.id);
    await rpc.grant({ entitlement: await entitlementOf(rpc, 'site', cast.siteId, 'creator'), principal });
    expect(await roleNow(cast.scimUser.id)).toBe('Creator');
    const audit = (e2e as ScimE2e).audits()[0];
    expect(audit).toMatchObject({ result: 'granted' });
    expect(String(audit?.['override'])).toContain('--scim-override');
    expect(String(audit?.['override'])).toContain(cast.idp);
    // The override is deliberate per request: users the IdP does not manage carry no override note.
    await rpc.grant({ entitlement: await entitlementOf(rpc, 'site', cast.siteId, 'creator'), principal: await userResource(rpc, cast.localUser.id) });
    expect((e2e as ScimE2e).audits()[1]?.['override']).toBeUndefined();
  }, TIMEOUT);
});
