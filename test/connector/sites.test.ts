/**
 * Site selection: a list of content URLs, every site (server administrators), and Tableau Cloud, which
 * cannot list its sites. Budget: ~5 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../pkg/connector/errors.js';
import { expectSameModel, type State } from './expected.js';
import { startHarness, type Harness } from './harness.js';
import { callCtx, walk } from './walk.js';

const SMALL = { seed: 3, sites: 3, users: 60, groups: 4, memberships: 90 };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function onlySites(state: State, ids: string[]): State {
  return { sites: state.sites.filter((s) => ids.includes(s.id)) };
}

describe('site selection', () => {
  it('syncs exactly the sites named by content URL, in that order', async () => {
    const probe = await startHarness(SMALL, { all: true });
    const sites = (await probe.state()).sites;
    await probe.close();
    const wanted = [sites[2], sites[0]].map((s) => s?.contentUrl ?? '');
    h = await startHarness(SMALL, { contentUrls: wanted });
    const result = await walk(h.connector, callCtx('named-sites'));
    const state = await h.state();
    const ids = wanted.map((url) => state.sites.find((s) => s.contentUrl === url)?.id ?? '');
    expectSameModel(result, onlySites(state, ids));
    const listed = (await h.connector.listResources({ resourceTypeId: 'site' }, callCtx('order'))).list ?? [];
    expect(listed.map((r) => r.id?.resource)).toEqual(ids);
  });

  it('syncs every site for a server administrator', async () => {
    h = await startHarness(SMALL, { all: true });
    const result = await walk(h.connector, callCtx('all-sites'));
    const state = await h.state();
    expect(state.sites).toHaveLength(3);
    expectSameModel(result, state);
  });

  it('fails clearly on Tableau Cloud, which cannot list its sites', async () => {
    h = await startHarness({ cloud: true, data: cloudScenario('') }, { all: true });
    const err = await h.connector.listResources({ resourceTypeId: 'site' }, callCtx('cloud')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).status).toBe('FAILED_PRECONDITION');
    expect((err as ConnectorError).message).toMatch(/--site-id/);
    expect(await h.connector.validate({}, callCtx('')).catch((e: unknown) => (e as ConnectorError).status)).toBe('FAILED_PRECONDITION');
  });

  it('explains a failed Default-site sign-in with --all-sites on Tableau Cloud', async () => {
    h = await startHarness({ cloud: true, data: cloudScenario('acme') }, { all: true });
    const err = await h.connector.validate({}, callCtx('')).catch((e: unknown) => e);
    expect((err as ConnectorError).status).toBe('UNAUTHENTICATED');
    expect((err as ConnectorError).message).toMatch(/--site-id/);
  });

  it('syncs a Tableau Cloud site named by content URL', async () => {
    h = await startHarness({ cloud: true, data: cloudScenario('acme') }, { contentUrls: ['acme'] });
    expectSameModel(await walk(h.connector, callCtx('cloud-site')), await h.state());
  });
});

/** One Tableau Cloud site: a site administrator (the token owner), a support user and two viewers. */
function cloudScenario(contentUrl: string) {
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const users = [
    { id: id(1), name: 'owner@acme.com', siteRole: 'SiteAdministratorCreator' },
    { id: id(2), name: 'support@tableau.com', siteRole: 'SupportUser' },
    { id: id(3), name: 'ann@acme.com', siteRole: 'Viewer' },
    { id: id(4), name: 'bob@acme.com', siteRole: 'Unlicensed' },
  ];
  return {
    sites: [{
      id: id(100), contentUrl, name: 'Acme', users,
      groups: [{ id: id(200), name: 'Okta Sales', domain: 'okta.acme.com' }],
      memberships: [{ groupId: id(200), userId: id(3) }],
    }],
    credentials: { adminUsername: 'owner@acme.com' },
  };
}
