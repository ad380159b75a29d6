/**
 * Grant / Revoke / CreateAccount over real gRPC against the simulator: the membership life cycle with
 * its idempotency annotations, 200 concurrent member grants coalesced into a handful of Tableau calls,
 * license tiers keeping the admin level, seat exhaustion rolled back, an existing account, and the
 * audit lines (budget: ~5 s).
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStruct } from '../../proto/index.js';
import {
  annotationNames,
  entitlementOf,
  group,
  membersOf,
  rejection,
  roleOf,
  scenario,
  SITE,
  startE2e,
  user,
  userResource,
  type E2e,
} from './harness.js';

const ALICE = user(1);
const CAROL = user(2);
const TEAM = group(1);
const CROWD = group(2);
const BULK = Array.from({ length: 200 }, (_, i) => user(100 + i));

const data = scenario(
  [
    { id: ALICE, name: 'alice', siteRole: 'Viewer', email: 'alice@example.com' },
    { id: CAROL, name: 'carol', siteRole: 'SiteAdministratorExplorer' },
    ...BULK.map((id, i) => ({ id, name: `bulk${i}`, siteRole: 'Viewer' })),
  ],
  [
    { id: TEAM, name: 'Team' },
    { id: CROWD, name: 'Crowd' },
  ],
);

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e(data);
});
afterAll(async () => {
  await e2e?.close();
});

describe('group membership over gRPC', () => {
  it('grant → member → GrantAlreadyExists → revoke → gone → GrantAlreadyRevoked', async () => {
    const entitlement = await entitlementOf(e2e.rpc, 'group', TEAM, 'member');
    const principal = await userResource(e2e.rpc, ALICE);
    const granted = await e2e.rpc.grant({ entitlement, principal });
    expect(annotationNames(granted.annotations)).toEqual([]);
    expect(granted.grants?.map((g) => g.id)).toEqual([`group:${TEAM}:member:user:${ALICE}`]);
    expect((await membersOf(e2e, TEAM)).has(ALICE)).toBe(true);

    const again = await e2e.rpc.grant({ entitlement, principal });
    expect(annotationNames(again.annotations)).toEqual(['GrantAlreadyExists']);

    const grant = granted.grants?.[0] ?? {};
    expect(annotationNames((await e2e.rpc.revoke({ grant })).annotations)).toEqual([]);
    expect((await membersOf(e2e, TEAM)).has(ALICE)).toBe(false);
    expect(annotationNames((await e2e.rpc.revoke({ grant })).annotations)).toEqual(['GrantAlreadyRevoked']);
  });

  it('coalesces 200 concurrent member grants into a handful of Tableau calls', async () => {
    const entitlement = await entitlementOf(e2e.rpc, 'group', CROWD, 'member');
    const principals = BULK.map((id) => ({ id: { resourceType: 'user', resource: id } }));
    // Warm-up: the group is looked up once, like any first grant to it.
    await e2e.rpc.grant({ entitlement, principal: principals[0] ?? {} });
    e2e.sim.resetStats();
    const results = await Promise.all(principals.map((principal) => e2e.rpc.grant({ entitlement, principal })));
    const stats = e2e.sim.stats();
    // Calls arrive over gRPC spread out a little; the adaptive window makes few batches (usually one):
    // a bulk add each, plus one read for the batch holding the member already in. One call per grant
    // would be 200.
    expect(stats.total).toBeLessThanOrEqual(6);
    expect(stats.byRoute['POST /sites/{}/groups/{}/users'] ?? 0).toBeLessThanOrEqual(5);
    expect(Object.keys(stats.byRoute).sort()).toEqual(['GET /sites/{}/groups/{}/users', 'POST /sites/{}/groups/{}/users']);
    expect(results.map((r) => r.grants?.[0]?.id)).toEqual(BULK.map((id) => `group:${CROWD}:member:user:${id}`));
    expect(annotationNames(results[0]?.annotations)).toEqual(['GrantAlreadyExists']);
    expect(await membersOf(e2e, CROWD)).toEqual(new Set(BULK));
  });
});

describe('license tier over gRPC', () => {
  it('moves a site administrator to Creator keeping the admin level', async () => {
    const entitlement = await entitlementOf(e2e.rpc, 'license', 'creator', 'member');
    const res = await e2e.rpc.grant({ entitlement, principal: await userResource(e2e.rpc, CAROL) });
    expect(res.grants?.[0]?.id).toBe(`license:creator:member:user:${CAROL}`);
    expect(await roleOf(e2e, CAROL)).toBe('SiteAdministratorCreator');
  });
});

describe('CreateAccount over gRPC', () => {
  it('answers already_exists with the existing account and creates nothing', async () => {
    const before = await e2e.state();
    const profile = toStruct({ username: 'alice', email: 'other@example.com', site_role: 'Creator' });
    const res = await e2e.rpc.createAccount({ accountInfo: { login: 'alice', profile }, credentialOptions: { noPassword: {} } });
    expect(res.alreadyExists?.resource?.id).toEqual({ resourceType: 'user', resource: ALICE });
    expect(res.success).toBeUndefined();
    expect(await e2e.state()).toEqual(before);
  });
});

describe('seat exhaustion over gRPC', () => {
  it('fails with FAILED_PRECONDITION naming the missing seats and leaves Tableau as it was', async () => {
    const vic = user(9);
    const full = await startE2e(scenario([{ id: vic, name: 'vic', siteRole: 'Viewer' }], [], [], { tierCreatorCapacity: 1 }));
    try {
      const before = await full.state();
      const principal = await userResource(full.rpc, vic);
      for (const [type, id, slug] of [['site', SITE, 'creator'], ['license', 'creator', 'member']] as const) {
        const entitlement = await entitlementOf(full.rpc, type, id, slug);
        const err = await rejection(full.rpc.grant({ entitlement, principal }));
        expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
        expect(err.details).toMatch(/no Creator seats left on site Default/);
      }
      expect(await full.state()).toEqual(before);
    } finally {
      await full.close();
    }
  });
});

describe('audit', () => {
  it('wrote one line per mutation with site, target, principal, before → after and result, and no secret', () => {
    const audits = e2e.audits();
    expect(audits).toContainEqual(
      expect.objectContaining({ operation: 'grant', site: SITE, target: `group:${TEAM}:member`, principal: `user:${ALICE}`, result: 'granted' }),
    );
    expect(audits).toContainEqual(expect.objectContaining({ operation: 'revoke', target: `group:${TEAM}:member`, result: 'revoked' }));
    expect(audits).toContainEqual(expect.objectContaining({ operation: 'revoke', target: `group:${TEAM}:member`, result: 'already-revoked' }));
    expect(audits).toContainEqual(
      expect.objectContaining({ operation: 'grant', target: 'license:creator:member', before: 'SiteAdministratorExplorer', after: 'SiteAdministratorCreator' }),
    );
    expect(audits).toContainEqual(expect.objectContaining({ operation: 'create-account', principal: 'alice', result: 'already-exists' }));
    // 4 grants/revokes of TEAM, 1 + 200 grants to CROWD, 1 license grant, 1 CreateAccount.
    expect(audits).toHaveLength(207);
    expect(JSON.stringify(e2e.lines)).not.toContain(e2e.sim.info.pat.secret);
  });
});
