/**
 * Provisioning finds its sites through the same site directory as sync: Tableau Cloud's "cannot list
 * sites" is explained the same way, and no site at all is FAILED_PRECONDITION (budget: ~2 s).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../pkg/connector/errors.js';
import { entitlement, group, principal, scenario, startWorld, user, type World } from './harness.js';

const ALICE = user(1);
const TEAM = group(1);
const data = scenario([{ id: ALICE, name: 'alice', siteRole: 'Viewer' }], [{ id: TEAM, name: 'Team' }]);

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function grantError(w: World): Promise<ConnectorError> {
  const err = await w.api.grant({ entitlement: entitlement(`group:${TEAM}:member`), principal: principal(ALICE) }, w.ctx()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

describe('the sites provisioning acts on', () => {
  it('on Tableau Cloud with every site asked for: FAILED_PRECONDITION naming --site-id, as sync says', async () => {
    const cloud = scenario([{ id: user(2), name: 'owner@acme.com', siteRole: 'SiteAdministratorCreator' }, { id: ALICE, name: 'alice', siteRole: 'Viewer' }], [{ id: TEAM, name: 'Team' }]);
    world = await startWorld(cloud, { contentUrls: 'all', sim: { cloud: true } });
    const err = await grantError(world);
    expect(err.status).toBe('FAILED_PRECONDITION');
    expect(err.message).toMatch(/--site-id/);
    expect(world.audits().at(-1)).toMatchObject({ operation: 'grant', result: 'failed' });
  }, 30_000);

  it('with no site configured: FAILED_PRECONDITION, as sync says', async () => {
    world = await startWorld(data, { contentUrls: [] });
    const err = await grantError(world);
    expect(err.status).toBe('FAILED_PRECONDITION');
    expect(err.message).toMatch(/no Tableau site/);
  }, 30_000);
});
