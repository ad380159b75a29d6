/**
 * The SCIM refusals on the paths scim-refusals.test.ts does not walk: revoking a SCIM-managed user's
 * site role or license tier, and moving a SCIM-managed user into or out of an identity pool (which pool
 * a user signs in through is their authentication). Users the IdP does not manage stay changeable, and
 * `scimOverride` lets the pool change through. Real simulator, real gRPC server and client.
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type * as pb from '../../proto/types.js';
import { entitlementOf, rejection, resourceOf, userResource } from '../provisioning-e2e/harness.js';
import { startScimE2e, type ScimE2e, type ScimE2eOptions } from './harness.js';

const TIMEOUT = 60_000;
const ROLE_SLUG: Record<string, string> = { Viewer: 'viewer', Explorer: 'explorer', ExplorerCanPublish: 'explorer can publish' };
const TIER: Record<string, string> = { Viewer: 'viewer', Explorer: 'explorer', ExplorerCanPublish: 'explorer' };

let e2e: ScimE2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const grantOf = (entitlement: pb.Entitlement, principal: pb.Resource): pb.Grant => ({
  id: `${entitlement.id}:user:${principal.id?.resource}`, entitlement, principal,
});

async function expectRefused(call: Promise<unknown>, idp: string): Promise<void> {
  const err = await rejection(call);
  expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
  expect(err.details).toContain(idp);
  expect(err.details).toContain('identity provider');
}

async function world(opts: ScimE2eOptions) {
  e2e = await startScimE2e(opts);
  const state = await e2e.state();
  const site = state.sites[0];
  const pick = (managedBy: string) => site?.users.find((u) => u.managedBy === managedBy && ROLE_SLUG[u.siteRole] !== undefined && (u.identityPoolIds ?? []).length === 0);
  const scimUser = pick('scim');
  const localUser = pick('tableau');
  const poolId = state.identityPools?.find((p) => p.enabled)?.id;
  if (!site || !scimUser || !localUser) throw new Error('the seeded SCIM world lacks a SCIM user or a local user');
  return { site, idp: site.scim?.idpConfigurationId ?? '', scimUser, localUser, poolId, rpc: e2e.rpc };
}

describe('SCIM refusals of revokes and identity pools', () => {
  it("refuses revoking a SCIM-managed user's site role and license tier, and changes nothing", async () => {
    const { site, idp, scimUser, rpc } = await world({});
    const principal = await userResource(rpc, scimUser.id);
    const role = await entitlementOf(rpc, 'site', site.id, ROLE_SLUG[scimUser.siteRole] ?? '');
    const tier = await entitlementOf(rpc, 'license', TIER[scimUser.siteRole] ?? '', 'member');
    await expectRefused(rpc.revoke({ grant: grantOf(role, principal) }), idp);
    await expectRefused(rpc.revoke({ grant: grantOf(tier, principal) }), idp);
    expect((await (e2e as ScimE2e).state()).sites[0]?.users.find((u) => u.id === scimUser.id)?.siteRole).toBe(scimUser.siteRole);
  }, TIMEOUT);

  it('refuses adding a SCIM-managed user to an identity pool; a local user joins', async () => {
    const { idp, scimUser, localUser, poolId, rpc } = await world({ sim: { identityPools: 3 } });
    if (!poolId) throw new Error('no enabled pool seeded');
    const member = await entitlementOf(rpc, 'identity_pool', poolId, 'member');
    await expectRefused(rpc.grant({ entitlement: member, principal: await userResource(rpc, scimUser.id) }), idp);
    await rpc.grant({ entitlement: member, principal: await userResource(rpc, localUser.id) });
    const users = (await (e2e as ScimE2e).state()).sites[0]?.users ?? [];
    expect(users.find((u) => u.id === scimUser.id)?.identityPoolIds).toEqual([]);
    expect(users.find((u) => u.id === localUser.id)?.identityPoolIds).toEqual([poolId]);
    expect((await resourceOf(rpc, 'identity_pool', poolId)).id?.resource).toBe(poolId);
  }, TIMEOUT);

  it('moves a SCIM-managed user into a pool with the override, and the audit line records it', async () => {
    const { idp, scimUser, poolId, rpc } = await world({ sim: { identityPools: 3 }, scimOverride: true });
    if (!poolId) throw new Error('no enabled pool seeded');
    const member = await entitlementOf(rpc, 'identity_pool', poolId, 'member');
    await rpc.grant({ entitlement: member, principal: await userResource(rpc, scimUser.id) });
    const users = (await (e2e as ScimE2e).state()).sites[0]?.users ?? [];
    expect(users.find((u) => u.id === scimUser.id)?.identityPoolIds).toEqual([poolId]);
    const audit = (e2e as ScimE2e).audits().find((a) => a['operation'] === 'grant');
    expect(String(audit?.['override'])).toContain('--scim-override');
    expect(String(audit?.['override'])).toContain(idp);
  }, TIMEOUT);
});
