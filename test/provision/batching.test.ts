/**
 * Membership batching edge cases: servers without bulk endpoints, a grant and a revoke of the same
 * user in one batch, the adaptive window, cancellation of a queued change (budget: ~5 s).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { annotationNames, entitlement, group, membersOf, principal, scenario, startWorld, user, type World, type WorldOptions } from './harness.js';

const GROUP = group(1);
const USERS = Array.from({ length: 20 }, (_, i) => user(10 + i));
const data = scenario(
  USERS.map((id, i) => ({ id, name: `u${i}`, siteRole: 'Viewer' })),
  [{ id: GROUP, name: 'Team' }],
  [{ groupId: GROUP, userId: USERS[0] ?? '' }],
);
const member = entitlement(`group:${GROUP}:member`);

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});
async function open(opts: WorldOptions = {}): Promise<World> {
  world = await startWorld(data, opts);
  return world;
}

describe('membership batching', () => {
  it('makes one call per change on servers older than 3.21, with per-user results', async () => {
    const w = await open({ sim: { apiVersion: '3.20' } });
    await w.api.grant({ entitlement: member, principal: principal(USERS[1] ?? '') }, w.ctx());
    w.sim.resetStats();
    const results = await Promise.all(USERS.map((id) => w.api.grant({ entitlement: member, principal: principal(id) }, w.ctx())));
    const stats = w.sim.stats();
    expect(stats.byRoute['POST /sites/{}/groups/{}/users']).toBe(USERS.length);
    expect(stats.byRoute['GET /sites/{}/groups/{}/users'] ?? 0).toBe(0);
    expect(results.map((r) => annotationNames(r.annotations).length)).toEqual(USERS.map((_, i) => (i < 2 ? 1 : 0)));
    expect(await membersOf(w, GROUP)).toEqual(new Set(USERS));
  });

  it('applies a grant and a revoke of the same user in arrival order', async () => {
    const w = await open();
    const target = USERS[5] ?? '';
    const [granted, revoked, other] = await Promise.all([
      w.api.grant({ entitlement: member, principal: principal(target) }, w.ctx()),
      w.api.revoke({ grant: { id: `group:${GROUP}:member:user:${target}` } }, w.ctx()),
      w.api.grant({ entitlement: member, principal: principal(USERS[6] ?? '') }, w.ctx()),
    ]);
    expect(annotationNames(granted.annotations)).toEqual([]);
    expect(annotationNames(revoked.annotations)).toEqual([]);
    expect(annotationNames(other.annotations)).toEqual([]);
    expect(await membersOf(w, GROUP)).toEqual(new Set([USERS[0], USERS[6]]));
  });

  it('keeps one batch open while changes keep arriving, past a single window', async () => {
    // Gaps well under the window, total well over it: a fixed window would have cut the burst in two.
    const w = await open({ batchWindowMs: 200 });
    await w.api.grant({ entitlement: member, principal: principal(USERS[1] ?? '') }, w.ctx());
    w.sim.resetStats();
    const spread = USERS.slice(10, 16);
    const calls = [];
    for (const id of spread) {
      calls.push(w.api.grant({ entitlement: member, principal: principal(id) }, w.ctx()));
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    const results = await Promise.all(calls);
    expect(w.sim.stats().byRoute).toEqual({ 'POST /sites/{}/groups/{}/users': 1 });
    expect(results.every((r) => annotationNames(r.annotations).length === 0)).toBe(true);
    const members = await membersOf(w, GROUP);
    expect(spread.every((id) => members.has(id))).toBe(true);
  });

  it('drops a queued change whose caller gave up', async () => {
    // A long batch window so that the change is surely still waiting when its caller aborts.
    const w = await open({ batchWindowMs: 300 });
    await w.api.grant({ entitlement: member, principal: principal(USERS[8] ?? '') }, w.ctx());
    w.sim.resetStats();
    const controller = new AbortController();
    const call = w.api.grant({ entitlement: member, principal: principal(USERS[7] ?? '') }, { ...w.ctx(), signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('caller gave up'));
    await expect(call).rejects.toThrow('caller gave up');
    await w.api.grant({ entitlement: member, principal: principal(USERS[9] ?? '') }, w.ctx());
    expect(w.sim.stats().byRoute['POST /sites/{}/groups/{}/users']).toBe(1);
    const members = await membersOf(w, GROUP);
    expect(members.has(USERS[9] ?? '')).toBe(true);
    expect(members.has(USERS[7] ?? '')).toBe(false);
  });

  it('settles every caller of a batch whose bulk call is hit by connection resets', async () => {
    // Seed 2: the bulk POST itself is reset (twice) and replayed by the client.
    const w = await open({ sim: { seed: 2 } });
    await w.api.grant({ entitlement: member, principal: principal(USERS[1] ?? '') }, w.ctx());
    w.sim.resetStats();
    w.sim.setFaults({ faultResetRate: 0.3 });
    const results = await Promise.all(USERS.map((id) => w.api.grant({ entitlement: member, principal: principal(id) }, w.ctx())));
    w.sim.setFaults({ faultResetRate: 0 });
    expect(w.sim.stats().byStatus['reset']).toBeGreaterThan(0);
    expect(results.every((r) => r.grants?.length === 1)).toBe(true);
    expect(annotationNames(results[0]?.annotations)).toEqual(['GrantAlreadyExists']);
    const memberships = (await w.state()).sites[0]?.memberships.filter((m) => m.groupId === GROUP) ?? [];
    expect(memberships.map((m) => m.userId).sort()).toEqual([...USERS].sort());
  });
});
