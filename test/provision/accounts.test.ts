/**
 * CreateAccount and DeleteResource(V2) under each deprovisioning policy (budget: ~10 s).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findAnnotation, fromStruct, toStruct } from '../../proto/index.js';
import type { GrantMetadata, ResourceDeleted } from '../../proto/types.js';
import { annotationNames, scenario, SITE, startWorld, user, type World, type WorldOptions } from './harness.js';

const OWNER = user(1);
const PLAIN = user(2);
const HEIR = user(3);

const data = scenario([
  { id: OWNER, name: 'olivia', siteRole: 'Creator', ownedContent: { workbooks: 2, datasources: 1, flows: 1 } },
  { id: PLAIN, name: 'paul', siteRole: 'Explorer' },
  { id: HEIR, name: 'hana', siteRole: 'Creator' },
]);

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function open(opts: WorldOptions = {}, scenarioData = data): Promise<World> {
  world = await startWorld(scenarioData, opts);
  return world;
}

const usersOf = async (w: World) => (await w.state()).sites[0]?.users ?? [];
const del = (id: string) => ({ resourceId: { resourceType: 'user', resource: id } });
const deprovisionMeta = (annotations: { typeUrl: string; value: Uint8Array }[] | undefined) =>
  fromStruct(findAnnotation<GrantMetadata>(annotations, 'c1.connector.v2.GrantMetadata')?.metadata)['deprovision'];

describe('CreateAccount', () => {
  it('creates a user with role, full name and email, and answers already_exists the second time', async () => {
    const w = await open();
    const profile = toStruct({ username: 'nina', email: 'nina@example.com', full_name: 'Nina Novak', site_role: 'Explorer' });
    const req = { accountInfo: { login: 'nina', profile }, credentialOptions: { noPassword: {} } };
    const created = await w.api.createAccount(req, w.ctx());
    expect(created.success?.isCreateAccountResult).toBe(true);
    const id = created.success?.resource?.id?.resource ?? '';
    expect(created.success?.resource?.parentResourceId).toEqual({ resourceType: 'site', resource: SITE });
    expect((await usersOf(w)).find((u) => u.id === id)).toMatchObject({
      name: 'nina',
      siteRole: 'Explorer',
      fullName: 'Nina Novak',
      email: 'nina@example.com',
    });
    const again = await w.api.createAccount(req, w.ctx());
    expect(again.alreadyExists?.resource?.id?.resource).toBe(id);
    expect((await usersOf(w)).filter((u) => u.name === 'nina')).toHaveLength(1);
    expect(w.audits().map((a) => a['result'])).toEqual(['created', 'already-exists']);
  });

  it('dry run: plans Add User and Update User, creates nothing', async () => {
    const w = await open({ dryRun: true });
    const before = await w.state();
    const profile = toStruct({ username: 'dora', full_name: 'Dora Dry', site_role: 'explorer can publish' });
    const res = await w.api.createAccount({ accountInfo: { profile } }, w.ctx());
    expect(await w.state()).toEqual(before);
    expect(res.actionRequired?.message).toMatch(/dry run/);
    const plan = fromStruct(findAnnotation<GrantMetadata>(res.annotations, 'c1.connector.v2.GrantMetadata')?.metadata);
    expect(plan).toMatchObject({
      dryRun: true,
      calls: [
        { method: 'POST', path: `/api/{v}/sites/${SITE}/users`, body: 'name=dora siteRole=ExplorerCanPublish' },
        { method: 'PUT', body: 'fullName=Dora Dry' },
      ],
    });
  });

  it('refuses password credentials', async () => {
    const w = await open();
    const req = { accountInfo: { login: 'x' }, credentialOptions: { randomPassword: { length: 12 } } };
    await expect(w.api.createAccount(req, w.ctx())).rejects.toMatchObject({ status: 'INVALID_ARGUMENT' });
  });

  it('removes the new account again when no seat is left', async () => {
    const w = await open({}, scenario([], [], [], { tierCreatorCapacity: 1 }));
    const before = await w.state();
    const req = { accountInfo: { login: 'zed', profile: toStruct({ site_role: 'Creator' }) } };
    await expect(w.api.createAccount(req, w.ctx())).rejects.toMatchObject({
      status: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/no Creator seats left/),
    });
    expect(await w.state()).toEqual(before);
  });
});

describe('DeleteResource policies', () => {
  it('block-if-owner: refuses an owner with the counts, removes a non-owner', async () => {
    const w = await open();
    await expect(w.api.deleteResource(del(OWNER), w.ctx())).rejects.toMatchObject({
      status: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/2 workbooks, 1 data sources, 1 flows/),
    });
    const res = await w.api.deleteResourceV2(del(PLAIN), w.ctx());
    expect(findAnnotation<ResourceDeleted>(res.annotations, 'c1.connector.v2.ResourceDeleted')?.resourceId?.resource).toBe(PLAIN);
    const ids = (await usersOf(w)).map((u) => u.id);
    expect(ids).toContain(OWNER);
    expect(ids).not.toContain(PLAIN);
    const gone = await w.api.deleteResource(del(PLAIN), w.ctx());
    expect(annotationNames(gone.annotations)).toEqual(['ResourceDoesNotExist']);
  });

  it('block-if-owner: refuses an owner even when a successor is configured', async () => {
    const w = await open({ policy: 'block-if-owner', mapAssetsTo: 'hana' });
    await expect(w.api.deleteResource(del(OWNER), w.ctx())).rejects.toMatchObject({ status: 'FAILED_PRECONDITION' });
    expect(await w.client.site('').countOwnedContent('olivia')).toEqual({ workbooks: 2, datasources: 1, flows: 1 });
  });

  it('remove without a successor: refuses an owner, removes a non-owner', async () => {
    const w = await open({ policy: 'remove' });
    await expect(w.api.deleteResource(del(OWNER), w.ctx())).rejects.toMatchObject({ status: 'FAILED_PRECONDITION' });
    await w.api.deleteResource(del(PLAIN), w.ctx());
    const ids = (await usersOf(w)).map((u) => u.id);
    expect(ids).toContain(OWNER);
    expect(ids).not.toContain(PLAIN);
  });

  it('remove with a successor: moves the content, removes the user, reports what moved', async () => {
    const w = await open({ policy: 'remove', mapAssetsTo: 'hana' });
    const res = await w.api.deleteResource(del(OWNER), w.ctx());
    expect(deprovisionMeta(res.annotations)).toMatchObject({
      policy: 'remove',
      action: 'removed',
      ownedContent: { workbooks: 2, datasources: 1, flows: 1 },
      mappedTo: 'hana',
    });
    expect((await usersOf(w)).map((u) => u.id)).not.toContain(OWNER);
    expect(await w.client.site('').countOwnedContent('hana')).toEqual({ workbooks: 2, datasources: 1, flows: 1 });
  });

  it('unlicense: keeps the account as Unlicensed', async () => {
    const w = await open({ policy: 'unlicense' });
    const res = await w.api.deleteResource(del(OWNER), w.ctx());
    expect(deprovisionMeta(res.annotations)).toMatchObject({ policy: 'unlicense', action: 'unlicensed' });
    expect((await usersOf(w)).find((u) => u.id === OWNER)?.siteRole).toBe('Unlicensed');
  });

  it('dry run: plans the removal and changes nothing', async () => {
    const w = await open({ policy: 'remove', mapAssetsTo: 'hana', dryRun: true });
    const before = await w.state();
    const res = await w.api.deleteResource(del(OWNER), w.ctx());
    expect(await w.state()).toEqual(before);
    const plan = fromStruct(findAnnotation<GrantMetadata>(res.annotations, 'c1.connector.v2.GrantMetadata')?.metadata);
    expect(plan).toMatchObject({ dryRun: true, calls: [{ method: 'DELETE', path: `/api/{v}/sites/${SITE}/users/${OWNER}?mapAssetsTo=${HEIR}` }] });
    expect(w.audits()).toEqual([expect.objectContaining({ operation: 'delete-resource', result: 'planned:deleted' })]);
  });

  it('creates and deletes once each under connection resets', async () => {
    // Seed 5: the Add User POST is reset and replayed by the client.
    const w = await open({ sim: { seed: 5 } });
    w.sim.resetStats();
    w.sim.setFaults({ faultResetRate: 0.3 });
    const profile = toStruct({ username: 'rita', email: 'rita@example.com', full_name: 'Rita Reset' });
    const created = await w.api.createAccount({ accountInfo: { profile } }, w.ctx());
    const id = created.success?.resource?.id?.resource ?? '';
    expect(id).not.toBe('');
    const deleted = await w.api.deleteResource(del(PLAIN), w.ctx());
    w.sim.setFaults({ faultResetRate: 0 });
    expect(w.sim.stats().byStatus['reset']).toBeGreaterThan(0);
    expect(annotationNames(deleted.annotations)).toContain('ResourceDeleted');
    const users = await usersOf(w);
    expect(users.filter((u) => u.name === 'rita')).toEqual([expect.objectContaining({ id, fullName: 'Rita Reset', siteRole: 'Viewer' })]);
    expect(users.map((u) => u.id)).not.toContain(PLAIN);
  });
});
