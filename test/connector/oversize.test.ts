/**
 * A Tableau users page whose users all have 255-character names, emails and full names would encode
 * to more than 4 MiB as Baton resources: it is split over several responses, each well under the gRPC
 * limit, and the model stays exact. Budget: ~3 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from '../../proto/index.js';
import { expectSameModel } from './expected.js';
import { luid, startHarness, type Harness } from './harness.js';
import { callCtx, walk } from './walk.js';

const USERS = 1_000;

function longNamesScenario() {
  const pad = (prefix: string, i: number, length: number) => `${prefix}${i}-`.padEnd(length, 'x');
  const users = Array.from({ length: USERS }, (_, i) => ({
    id: luid(2, i),
    name: pad('user', i, 255),
    email: `${pad('mail', i, 240)}@example.com`,
    fullName: `${pad('First', i, 120)} ${pad('Last', i, 134)}`,
    siteRole: i === 0 ? 'ServerAdministrator' : 'Explorer',
  }));
  return {
    sites: [{ id: luid(1, 1), contentUrl: '', name: 'Default', users, groups: [], memberships: [] }],
    credentials: { adminUsername: users[0]?.name },
  };
}

describe('users with maximum-length names', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ data: longNamesScenario() }, { contentUrls: [''] });
  });
  afterAll(async () => h?.close());

  it('splits a Tableau page over several responses, each far below 4 MiB', async () => {
    const site = (await h.state()).sites[0];
    const pages: number[] = [];
    const ctx = callCtx('oversize');
    let token = '';
    for (let i = 0; i < 20; i++) {
      const res = await h.connector.listResources(
        { resourceTypeId: 'user', parentResourceId: { resourceType: 'site', resource: site?.id }, pageToken: token }, ctx);
      pages.push(encode('c1.connector.v2.ResourcesServiceListResourcesResponse', res).length);
      token = res.nextPageToken ?? '';
      if (token === '') break;
    }
    expect(pages.length).toBeGreaterThan(1);
    expect(Math.max(...pages)).toBeLessThan(3 * 1024 * 1024);
    expectSameModel(await walk(h.connector, callCtx('oversize-walk')), await h.state());
  });
});
