/**
 * A user in more groups than one page holds: explaining why Tableau kept a higher role reads every
 * page of the user's groups (the listing model's drain), so a sign-in group on page 2 is still named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entitlement, group, principal, roleOf, scenario, SITE, startWorld, user, type World } from './harness.js';

const GINA = user(1);
/** Groups before the sign-in group: with "All Users" they fill page 1 of GINA's groups (1000 a page). */
const PLAIN_GROUPS = 1000;
const SIGN_IN_GROUP = group(PLAIN_GROUPS + 1);

const plain = Array.from({ length: PLAIN_GROUPS }, (_, i) => ({ id: group(i + 1), name: `plain ${String(i + 1).padStart(4, '0')}` }));
const data = scenario(
  [{ id: GINA, name: 'gina', siteRole: 'Creator' }],
  [...plain, { id: SIGN_IN_GROUP, name: 'Explorers on sign-in', minimumSiteRole: 'Explorer', grantLicenseMode: 'onLogin' }],
  [...plain.map((g) => ({ groupId: g.id, userId: GINA })), { groupId: SIGN_IN_GROUP, userId: GINA }],
);

let world: World;
beforeAll(async () => {
  world = await startWorld(data);
}, 60_000);
afterAll(async () => {
  await world?.close();
});

describe('a user in more than 1000 groups', () => {
  it('names the sign-in group found on the second page of the user\'s groups, and restores the role', async () => {
    world.sim.resetStats();
    const call = world.api.grant({ entitlement: entitlement(`site:${SITE}:viewer`), principal: principal(GINA) }, world.ctx());
    await expect(call).rejects.toMatchObject({
      status: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/group Explorers on sign-in grants at least Explorer on sign-in/),
    });
    expect(await roleOf(world, GINA)).toBe('Creator');
    // Both pages of the user's groups were read, 1000 to a page.
    expect(world.sim.stats().byRoute['GET /sites/{}/users/{}/groups']).toBe(2);
  }, 60_000);
});
