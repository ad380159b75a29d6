/**
 * Site-role and license-tier grants and revokes against the simulator: read-back, rollback on seat
 * exhaustion and sign-in groups, server administrators, dry run and faults (budget: ~15 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAnnotation, fromStruct } from '../../proto/index.js';
import type { GrantMetadata, GrantReplaced } from '../../proto/types.js';
import {
  ADMIN,
  annotationNames,
  entitlement,
  group,
  membersOf,
  principal,
  roleOf,
  scenario,
  SITE,
  startWorld,
  user,
  type World,
} from './harness.js';

const ALICE = user(1);
const BOB = user(2);
const CAROL = user(3);
const GINA = user(4);
const ERIN = user(5);
const SIGN_IN_GROUP = group(1);

const data = scenario(
  [
    { id: ALICE, name: 'alice', siteRole: 'Viewer' },
    { id: BOB, name: 'bob', siteRole: 'ExplorerCanPublish' },
    { id: CAROL, name: 'carol', siteRole: 'SiteAdministratorExplorer' },
    { id: GINA, name: 'gina', siteRole: 'Creator' },
    { id: ERIN, name: 'erin', siteRole: 'Explorer' },
  ],
  [{ id: SIGN_IN_GROUP, name: 'Explorers on sign-in', minimumSiteRole: 'Explorer', grantLicenseMode: 'onLogin' }],
  [{ groupId: SIGN_IN_GROUP, userId: GINA }],
);

let world: World;
beforeAll(async () => {
  world = await startWorld(data);
});
afterAll(async () => {
  await world?.close();
});

const siteRole = (slug: string) => entitlement(`site:${SITE}:${slug}`);

describe('site role', () => {
  it('grants (replacing the old role), detects an existing grant, revokes to Unlicensed, detects an absent grant', async () => {
    const granted = await world.api.grant({ entitlement: siteRole('explorer'), principal: principal(ALICE) }, world.ctx());
    expect(findAnnotation<GrantReplaced>(granted.annotations, 'c1.connector.v2.GrantReplaced')).toEqual({
      replacedGrantId: `site:${SITE}:viewer:user:${ALICE}`,
    });
    expect(granted.grants?.[0]?.id).toBe(`site:${SITE}:explorer:user:${ALICE}`);
    expect(await roleOf(world, ALICE)).toBe('Explorer');

    const again = await world.api.grant({ entitlement: siteRole('explorer'), principal: principal(ALICE) }, world.ctx());
    expect(annotationNames(again.annotations)).toEqual(['GrantAlreadyExists']);

    const grant = { id: `site:${SITE}:explorer:user:${ALICE}` };
    expect(annotationNames((await world.api.revoke({ grant }, world.ctx())).annotations)).toEqual([]);
    expect(await roleOf(world, ALICE)).toBe('Unlicensed');
    expect(annotationNames((await world.api.revoke({ grant }, world.ctx())).annotations)).toEqual(['GrantAlreadyRevoked']);
  });

  it('does not revoke a role the user does not hold', async () => {
    const res = await world.api.revoke({ grant: { id: `site:${SITE}:creator:user:${BOB}` } }, world.ctx());
    expect(annotationNames(res.annotations)).toEqual(['GrantAlreadyRevoked']);
    expect(await roleOf(world, BOB)).toBe('ExplorerCanPublish');
  });

  it('refuses server administrator changes with FAILED_PRECONDITION', async () => {
    const asked = world.api.grant({ entitlement: siteRole('server administrator'), principal: principal(ALICE) }, world.ctx());
    await expect(asked).rejects.toMatchObject({ status: 'FAILED_PRECONDITION', message: expect.stringMatching(/server administrator/) });
    const demote = world.api.grant({ entitlement: siteRole('viewer'), principal: principal(ADMIN) }, world.ctx());
    await expect(demote).rejects.toMatchObject({ status: 'FAILED_PRECONDITION' });
    const tier = world.api.grant({ entitlement: entitlement('license:viewer:member'), principal: principal(ADMIN) }, world.ctx());
    await expect(tier).rejects.toMatchObject({ status: 'FAILED_PRECONDITION' });
    expect(await roleOf(world, ADMIN)).toBe('ServerAdministrator');
  });

  it('restores the role and names the sign-in group when Tableau keeps a higher role', async () => {
    const call = world.api.grant({ entitlement: siteRole('viewer'), principal: principal(GINA) }, world.ctx());
    await expect(call).rejects.toMatchObject({
      status: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/group Explorers on sign-in grants at least Explorer on sign-in/),
    });
    expect(await roleOf(world, GINA)).toBe('Creator');
  });
});

describe('license tier', () => {
  it('keeps the admin level when moving a site administrator to Creator', async () => {
    const res = await world.api.grant({ entitlement: entitlement('license:creator:member'), principal: principal(CAROL) }, world.ctx());
    expect(await roleOf(world, CAROL)).toBe('SiteAdministratorCreator');
    expect(findAnnotation<GrantReplaced>(res.annotations, 'c1.connector.v2.GrantReplaced')?.replacedGrantId).toBe(
      `license:explorer:member:user:${CAROL}`,
    );
  });

  it('never demotes an administrator below Explorer', async () => {
    const call = world.api.grant({ entitlement: entitlement('license:viewer:member'), principal: principal(CAROL) }, world.ctx());
    await expect(call).rejects.toMatchObject({ status: 'FAILED_PRECONDITION', message: expect.stringMatching(/site administrator/) });
    expect(await roleOf(world, CAROL)).toBe('SiteAdministratorCreator');
  });

  it('moves a publisher to Viewer (the tier wins over the publish right) and revokes only the held tier', async () => {
    await world.api.grant({ entitlement: entitlement('license:viewer:member'), principal: principal(BOB) }, world.ctx());
    expect(await roleOf(world, BOB)).toBe('Viewer');
    const wrongTier = await world.api.revoke({ grant: { id: `license:creator:member:user:${BOB}` } }, world.ctx());
    expect(annotationNames(wrongTier.annotations)).toEqual(['GrantAlreadyRevoked']);
    await world.api.revoke({ grant: { id: `license:viewer:member:user:${BOB}` } }, world.ctx());
    expect(await roleOf(world, BOB)).toBe('Unlicensed');
  });
});

describe('seat exhaustion', () => {
  it('restores the previous role, changes nothing and names the missing seats', async () => {
    const viewer = user(9);
    const full = await startWorld(scenario([{ id: viewer, name: 'vic', siteRole: 'Viewer' }], [], [], { tierCreatorCapacity: 1 }));
    try {
      const before = await full.state();
      for (const ent of [entitlement(`site:${SITE}:creator`), entitlement('license:creator:member')]) {
        const call = full.api.grant({ entitlement: ent, principal: principal(viewer) }, full.ctx());
        await expect(call).rejects.toMatchObject({ status: 'FAILED_PRECONDITION', message: expect.stringMatching(/no Creator seats left on site Default/) });
      }
      expect(await full.state()).toEqual(before);
      expect(full.audits().map((a) => a['result'])).toEqual(['failed', 'failed']);
    } finally {
      await full.close();
    }
  });
});

describe('dry run of a role change', () => {
  it('returns the Update User it would send and changes nothing', async () => {
    const dry = await startWorld(data, { dryRun: true, shareSim: world.sim });
    try {
      const before = await world.state();
      const res = await dry.api.grant({ entitlement: siteRole('creator'), principal: principal(ERIN) }, dry.ctx());
      expect(await world.state()).toEqual(before);
      const plan = fromStruct(findAnnotation<GrantMetadata>(res.annotations, 'c1.connector.v2.GrantMetadata')?.metadata);
      expect(plan).toMatchObject({ dryRun: true, calls: [{ method: 'PUT', path: `/api/{v}/sites/${SITE}/users/${ERIN}`, body: 'siteRole=Creator' }] });
      expect(dry.logLines.some((l) => l['dryRun'] === true && Array.isArray(l['calls']))).toBe(true);
    } finally {
      await dry.close();
    }
  });
});

describe('faults', () => {
  it('ends a role grant and a membership grant as success under connection resets, without duplicates', async () => {
    const faulty = await startWorld(data, { sim: { seed: 7 } });
    try {
      faulty.sim.setFaults({ faultResetRate: 0.3 });
      const role = await faulty.api.grant({ entitlement: siteRole('explorer can publish'), principal: principal(ERIN) }, faulty.ctx());
      expect(role.grants?.[0]?.id).toBe(`site:${SITE}:explorer can publish:user:${ERIN}`);
      const member = await faulty.api.grant({ entitlement: entitlement(`group:${SIGN_IN_GROUP}:member`), principal: principal(ERIN) }, faulty.ctx());
      expect(member.grants).toHaveLength(1);
      faulty.sim.setFaults({ faultResetRate: 0 });
      expect(await roleOf(faulty, ERIN)).toBe('ExplorerCanPublish');
      const state = await faulty.state();
      expect(state.sites[0]?.memberships.filter((m) => m.groupId === SIGN_IN_GROUP && m.userId === ERIN)).toHaveLength(1);
      expect((await membersOf(faulty, SIGN_IN_GROUP)).has(ERIN)).toBe(true);
    } finally {
      await faulty.close();
    }
  });
});

describe('audit and secrets', () => {
  it('logs before/after for role changes and never the PAT secret', () => {
    expect(world.audits()).toContainEqual(
      expect.objectContaining({ operation: 'grant', site: SITE, principal: `user:${CAROL}`, before: 'SiteAdministratorExplorer', after: 'SiteAdministratorCreator', result: 'granted' }),
    );
    const text = JSON.stringify(world.logLines);
    expect(text).not.toContain(world.sim.info.pat.secret);
  });
});
