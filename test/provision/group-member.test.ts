/**
 * Group membership grants and revokes against the simulator (budget: ~10 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAnnotation } from '../../proto/index.js';
import type { GrantMetadata } from '../../proto/types.js';
import { fromStruct } from '../../proto/index.js';
import {
  annotationNames,
  entitlement,
  group,
  membersOf,
  principal,
  scenario,
  startWorld,
  user,
  type World,
} from './harness.js';

const ANALYSTS = group(1);
const BULK = group(2);
const AD_SALES = group(3);
const BULK_USERS = 200;

const data = scenario(
  [
    { id: user(1), name: 'alice', siteRole: 'Viewer' },
    { id: user(2), name: 'bob', siteRole: 'Explorer' },
    ...Array.from({ length: BULK_USERS }, (_, i) => ({ id: user(100 + i), name: `bulk${i}`, siteRole: 'Viewer' })),
  ],
  [
    { id: ANALYSTS, name: 'Analysts' },
    { id: BULK, name: 'Bulk' },
    { id: AD_SALES, name: 'Sales', domain: 'corp.example.com' },
  ],
  [{ groupId: ANALYSTS, userId: user(1) }],
);

let world: World;
beforeAll(async () => {
  world = await startWorld(data);
});
afterAll(async () => {
  await world?.close();
});

const member = (groupId: string) => entitlement(`group:${groupId}:member`);

describe('group member grant and revoke', () => {
  it('grants, detects an existing grant, revokes, detects an absent grant', async () => {
    const ent = member(ANALYSTS);
    const granted = await world.api.grant({ entitlement: ent, principal: principal(user(2)) }, world.ctx());
    expect(annotationNames(granted.annotations)).toEqual([]);
    expect(granted.grants?.[0]?.id).toBe(`group:${ANALYSTS}:member:user:${user(2)}`);
    expect((await membersOf(world, ANALYSTS)).has(user(2))).toBe(true);

    const again = await world.api.grant({ entitlement: ent, principal: principal(user(2)) }, world.ctx());
    expect(annotationNames(again.annotations)).toEqual(['GrantAlreadyExists']);

    const grant = { id: `group:${ANALYSTS}:member:user:${user(2)}` };
    const revoked = await world.api.revoke({ grant }, world.ctx());
    expect(annotationNames(revoked.annotations)).toEqual([]);
    expect((await membersOf(world, ANALYSTS)).has(user(2))).toBe(false);

    const revokedAgain = await world.api.revoke({ grant }, world.ctx());
    expect(annotationNames(revokedAgain.annotations)).toEqual(['GrantAlreadyRevoked']);
    expect((await membersOf(world, ANALYSTS)).has(user(1))).toBe(true);
  });

  it('coalesces 200 concurrent grants into a handful of Tableau calls', async () => {
    const ids = Array.from({ length: BULK_USERS }, (_, i) => user(100 + i));
    await world.api.grant({ entitlement: member(BULK), principal: principal(ids[0] ?? '') }, world.ctx());
    world.sim.resetStats();
    const responses = await Promise.all(ids.map((id) => world.api.grant({ entitlement: member(BULK), principal: principal(id) }, world.ctx())));
    const stats = await world.sim.stats();
    // One bulk add; the member already in is missing from its answer, so one read tells it apart.
    expect(stats.total).toBeLessThanOrEqual(2);
    expect(stats.byRoute['POST /sites/{}/groups/{}/users']).toBe(1);
    expect(stats.byRoute['GET /sites/{}/groups/{}/users']).toBe(1);
    expect(annotationNames(responses[0]?.annotations)).toEqual(['GrantAlreadyExists']);
    expect(responses.slice(1).every((r) => annotationNames(r.annotations).length === 0)).toBe(true);
    expect(await membersOf(world, BULK)).toEqual(new Set(ids));

    world.sim.resetStats();
    const half = ids.slice(0, 100);
    const revokes = await Promise.all(half.map((id) => world.api.revoke({ grant: { id: `group:${BULK}:member:user:${id}` } }, world.ctx())));
    expect(revokes.every((r) => annotationNames(r.annotations).length === 0)).toBe(true);
    expect((await world.sim.stats()).total).toBeLessThanOrEqual(6);
    expect(await membersOf(world, BULK)).toEqual(new Set(ids.slice(100)));
  });

  it('gives each caller its own result when a batch mixes good and unknown users', async () => {
    const unknown = '99999999-9999-4999-8999-999999999999';
    const results = await Promise.allSettled([
      world.api.grant({ entitlement: member(ANALYSTS), principal: principal(user(2)) }, world.ctx()),
      world.api.grant({ entitlement: member(ANALYSTS), principal: principal(unknown) }, world.ctx()),
      world.api.grant({ entitlement: member(ANALYSTS), principal: principal(user(1)) }, world.ctx()),
    ]);
    expect(results[0]?.status).toBe('fulfilled');
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { status: 'NOT_FOUND' } });
    expect(results[2]).toMatchObject({ status: 'fulfilled' });
    if (results[2]?.status === 'fulfilled') expect(annotationNames(results[2].value.annotations)).toEqual(['GrantAlreadyExists']);
    expect(await membersOf(world, ANALYSTS)).toEqual(new Set([user(1), user(2)]));
    await world.api.revoke({ grant: { id: `group:${ANALYSTS}:member:user:${user(2)}` } }, world.ctx());
    expect(await membersOf(world, ANALYSTS)).toEqual(new Set([user(1)]));
  });
});

describe('groups provisioning must not edit', () => {
  it('refuses a directory-managed group with FAILED_PRECONDITION', async () => {
    const call = world.api.grant({ entitlement: member(AD_SALES), principal: principal(user(1)) }, world.ctx());
    await expect(call).rejects.toMatchObject({ status: 'FAILED_PRECONDITION', message: expect.stringMatching(/corp\.example\.com/) });
    expect((await membersOf(world, AD_SALES)).has(user(1))).toBe(false);
  });

  it('refuses "All Users" with FAILED_PRECONDITION', async () => {
    const allUsers = (await world.state()).sites[0]?.groups.find((g) => g.name === 'All Users')?.id ?? '';
    const call = world.api.revoke({ grant: { id: `group:${allUsers}:member:user:${user(1)}` } }, world.ctx());
    await expect(call).rejects.toMatchObject({ status: 'FAILED_PRECONDITION', message: expect.stringMatching(/implicit/) });
    expect((await membersOf(world, allUsers)).has(user(1))).toBe(true);
  });

  it('answers NOT_FOUND for an unknown group without listing groups again and again', async () => {
    const unknown = entitlement('group:99999999-9999-4999-8999-999999999999:member');
    await expect(world.api.grant({ entitlement: unknown, principal: principal(user(1)) }, world.ctx())).rejects.toMatchObject({ status: 'NOT_FOUND' });
    world.sim.resetStats();
    await expect(world.api.grant({ entitlement: unknown, principal: principal(user(1)) }, world.ctx())).rejects.toMatchObject({ status: 'NOT_FOUND' });
    expect(world.sim.stats().byRoute['GET /sites/{}/groups'] ?? 0).toBe(0);
  });

  it('refuses a group principal with INVALID_ARGUMENT', async () => {
    const call = world.api.grant({ entitlement: member(ANALYSTS), principal: { id: { resourceType: 'group', resource: BULK } } }, world.ctx());
    await expect(call).rejects.toMatchObject({ status: 'INVALID_ARGUMENT' });
  });
});

describe('dry run', () => {
  it('plans the call, changes nothing and writes one audit line', async () => {
    const dry = await startWorld(data, { dryRun: true, shareSim: world.sim });
    try {
      const before = await world.state();
      const res = await dry.api.grant({ entitlement: member(ANALYSTS), principal: principal(user(150)) }, dry.ctx());
      expect(await world.state()).toEqual(before);
      expect(res.grants).toEqual([]);
      const meta = findAnnotation<GrantMetadata>(res.annotations, 'c1.connector.v2.GrantMetadata');
      const plan = fromStruct(meta?.metadata);
      expect(plan).toMatchObject({ dryRun: true, calls: [{ method: 'POST', path: `/api/{v}/sites/${before.sites[0]?.id}/groups/${ANALYSTS}/users` }] });
      expect(dry.audits()).toEqual([expect.objectContaining({ operation: 'grant', result: 'planned:granted', dryRun: true })]);
    } finally {
      await dry.close();
    }
  });
});

describe('audit', () => {
  it('wrote one audit line per request with before and after', () => {
    const audits = world.audits();
    expect(audits.length).toBeGreaterThan(200);
    expect(audits[0]).toMatchObject({
      operation: 'grant',
      target: `group:${ANALYSTS}:member`,
      principal: `user:${user(2)}`,
      before: 'not a member',
      after: 'member',
      result: 'granted',
    });
    expect(audits).toContainEqual(expect.objectContaining({ operation: 'grant', target: `group:${AD_SALES}:member`, result: 'failed' }));
  });
});
