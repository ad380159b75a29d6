/**
 * The compact users pages of the sync cache give back exactly the ids and site roles they were built
 * from, whether the ids are Tableau's lowercase UUIDs (kept as bytes) or anything else.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SyncState } from '../../pkg/connector/sync-cache.js';

const ROLES = ['Viewer', 'Creator', 'SiteAdministratorExplorer', 'Unlicensed'];

function roundTrip(ids: string[]): { ids: string[]; roles: string[]; uuidWords: number | undefined } {
  const users = ids.map((id, i) => ({ id, siteRole: ROLES[i % ROLES.length] ?? '' }));
  const page = new SyncState().compact(3, true, users);
  expect(page).toMatchObject({ page: 3, hasMore: true, size: ids.length });
  return {
    ids: Array.from({ length: page.size }, (_, i) => page.userId(i)),
    roles: Array.from({ length: page.size }, (_, i) => page.siteRole(i)),
    uuidWords: page.uuidWords?.length,
  };
}

describe('compact users pages', () => {
  it('give back UUID ids and roles exactly', () => {
    const ids = [...Array.from({ length: 1000 }, () => randomUUID()), '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
    const back = roundTrip(ids);
    expect(back.ids).toEqual(ids);
    expect(back.roles).toEqual(ids.map((_, i) => ROLES[i % ROLES.length]));
    // The site's user index reads these words instead of keeping its own copy of the ids.
    expect(back.uuidWords).toBe(ids.length * 4);
  });

  it('give back any other id exactly, also in a page mixing them with UUIDs', () => {
    const ids = [randomUUID(), randomUUID().toUpperCase(), 'u1', '', 'naïve-ünïcode', randomUUID()];
    expect(roundTrip(ids).ids).toEqual(ids);
    expect(roundTrip(ids).uuidWords).toBeUndefined();
    expect(roundTrip([]).ids).toEqual([]);
  });

  it('keep what the SCIM test needs: the IdP configuration of users with one, names only when asked', () => {
    const users = [
      { id: randomUUID(), siteRole: 'Viewer', name: 'ann@example.com', idpConfigurationId: 'idp-1' },
      { id: randomUUID(), siteRole: 'Creator', name: 'bob' },
    ];
    const keys = (keepNames: boolean) => {
      const page = new SyncState().compact(1, false, users, keepNames);
      return Array.from({ length: page.size }, (_, i) => page.scimUser(i));
    };
    expect(keys(true)).toEqual([
      { id: users[0]?.id, name: 'ann@example.com', idpConfigurationId: 'idp-1' },
      { id: users[1]?.id, name: 'bob', idpConfigurationId: undefined },
    ]);
    expect(keys(false).map((k) => k.name)).toEqual([undefined, undefined]);
    expect(keys(false).map((k) => k.idpConfigurationId)).toEqual(['idp-1', undefined]);
  });
});
