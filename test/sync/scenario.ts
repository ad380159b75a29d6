/** A small Tableau-shaped scenario for the sync tests: sites with child users and groups, licenses with a static entitlement. */
import { Trait } from '../../proto/index.js';
import type * as pb from '../../proto/types.js';
import { anno, entitlement, FakeConnector, grant, listOf, resource, type FakeData } from './fake-connector.js';

export const SITES = ['s1', 's2'];
const usersOf = (site: string): string[] => [0, 1, 2, 3, 4].map((i) => `${site}-u${i}`);
const groupsOf = (site: string): string[] => [0, 1, 2].map((i) => `${site}-g${i}`);

function siteResource(id: string): pb.Resource {
  const child = (type: string) => anno('ChildResourceType', { resourceTypeId: type });
  // The duplicate `user` annotation checks that a (child type, parent) listing happens once.
  return resource('site', id, { annotations: [child('user'), child('group'), child('user')] });
}

function groupResource(site: string, id: string): pb.Resource {
  const annotations = id.endsWith('g0') ? [anno('SkipGrants')] : id.endsWith('g1') ? [anno('SkipEntitlements')] : [];
  return resource('group', id, { parentResourceId: { resourceType: 'site', resource: site }, annotations });
}

const user = (id: string): pb.ResourceId => ({ resourceType: 'user', resource: id });

export const scenario: FakeData = {
  types: [
    { id: 'site', displayName: 'Site' },
    { id: 'user', displayName: 'User', traits: [Trait.TRAIT_USER], annotations: [anno('SkipEntitlementsAndGrants')] },
    { id: 'group', displayName: 'Group' },
    { id: 'license', displayName: 'License' },
  ],
  resources(typeId, parent) {
    const site = parent?.resource ?? '';
    if (typeId === 'site' && !parent) return listOf(SITES.map(siteResource));
    if (typeId === 'user' && parent) {
      const trait = anno('UserTrait', { login: 'someone' });
      return listOf(usersOf(site).map((u) => resource('user', u, { parentResourceId: parent, annotations: [trait] })));
    }
    if (typeId === 'group' && parent) return listOf(groupsOf(site).map((g) => groupResource(site, g)));
    if (typeId === 'license' && !parent) return listOf(['creator', 'viewer'].map((l) => resource('license', l)));
    if (typeId === 'license') throw new Error('license has no parent');
    return listOf([]);
  },
  staticEntitlements: (typeId) => (typeId === 'license' ? [{ slug: 'member', displayName: 'member' }] : []),
  entitlements(r) {
    if (r.id?.resourceType === 'site') return listOf(['viewer', 'creator', 'explorer'].map((s) => entitlement(r, s)));
    if (r.id?.resourceType === 'group') return listOf([entitlement(r, 'member')]);
    return listOf([]);
  },
  grants(r) {
    const id = r.id?.resource ?? '';
    if (r.id?.resourceType === 'site') return listOf(usersOf(id).map((u) => grant(r, 'viewer', user(u))));
    if (r.id?.resourceType === 'group') {
      const [site, g] = id.split('-') as [string, string];
      const members = usersOf(site).slice(0, Number(g.slice(1)) + 1);
      return listOf(members.map((u) => grant(r, 'member', user(u))));
    }
    if (id === 'creator') return listOf([grant(r, 'member', user('s1-u0'))]);
    return listOf([]);
  },
};

export const newScenarioConnector = (delayMs = 0): FakeConnector => new FakeConnector(scenario, 2, delayMs);
