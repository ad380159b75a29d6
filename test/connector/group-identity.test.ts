/**
 * Only Tableau's own (local) "All Users" group has immutable memberships: a directory group may carry
 * the same name, and its memberships can be changed like any other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAnnotation } from '../../proto/index.js';
import type { Grant, Resource } from '../../proto/types.js';
import { groupResource } from '../../pkg/connector/group/group.js';
import type { TableauGroup } from '../../pkg/tableau/index.js';
import { startHarness, type Harness } from './harness.js';
import { callCtx } from './walk.js';

let h: Harness;
let groups: TableauGroup[];
let siteId: string;

beforeAll(async () => {
  h = await startHarness({ seed: 5, sites: 1, users: 30, groups: 4, memberships: 40 }, { contentUrls: [''] });
  const site = h.client.site('');
  siteId = await site.siteId();
  groups = (await site.listGroups({ pageSize: 100 })).items;
});
afterAll(() => h.close());

async function grantsOf(resource: Resource): Promise<Grant[]> {
  const response = await h.connector.listGrants({ resource, pageSize: 0, pageToken: '' }, callCtx('grants'));
  return response.list ?? [];
}

const isImmutable = (grant: Grant): boolean => findAnnotation(grant.annotations, 'c1.connector.v2.GrantImmutable') !== undefined;

describe('"All Users"', () => {
  it('marks the memberships of Tableau\'s local "All Users" group immutable', async () => {
    const allUsers = groups.find((g) => g.name === 'All Users' && g.domainName === 'local')!;
    const grants = await grantsOf(groupResource(allUsers, { id: siteId, contentUrl: '', client: h.client.site('') }));
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every(isImmutable)).toBe(true);
  });

  it('leaves a directory group that happens to be named "All Users" mutable', async () => {
    const withMembers = groups.find((g) => g.name !== 'All Users' && (g.userCount ?? 0) > 0)!;
    const lookalike = { ...withMembers, name: 'All Users', domainName: 'corp.example' };
    const grants = await grantsOf(groupResource(lookalike, { id: siteId, contentUrl: '', client: h.client.site('') }));
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.some(isImmutable)).toBe(false);
  });
});
