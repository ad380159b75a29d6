/**
 * The Baton objects a correct sync must produce for a simulator state (`/_sim/state`), written out
 * from CONTRACTS §3 and the reference table of site roles, independently of the connector's code.
 */
import { expect } from 'vitest';
import type { Walk } from './walk.js';

interface StateUser { id: string; name: string; email: string; fullName: string; siteRole: string; lastLogin: string | null }
interface StateGroup { id: string; name: string; domain: string; minimumSiteRole: string | null }
interface StateSite {
  id: string; contentUrl: string; name: string;
  users: StateUser[]; groups: StateGroup[]; memberships: { groupId: string; userId: string }[];
}
export interface State { sites: StateSite[] }

/** Role → [site entitlement slug, license tier]. */
const ROLE_TABLE: Record<string, [string, string]> = {
  ServerAdministrator: ['server administrator', 'creator'],
  SiteAdministratorCreator: ['site administrator creator', 'creator'],
  Creator: ['creator', 'creator'],
  SiteAdministratorExplorer: ['site administrator explorer', 'explorer'],
  ExplorerCanPublish: ['explorer can publish', 'explorer'],
  Explorer: ['explorer', 'explorer'],
  Viewer: ['viewer', 'viewer'],
  Unlicensed: ['unlicensed', 'unlicensed'],
  ReadOnly: ['readonly', 'unlicensed'],
  SiteAdministrator: ['site administrator', 'explorer'],
  Guest: ['guest', 'unlicensed'],
  SupportUser: ['support user', 'viewer'],
  Interactor: ['interactor', 'explorer'],
  Publisher: ['publisher', 'explorer'],
  ViewerWithPublish: ['viewer with publish', 'viewer'],
  UnlicensedWithPublish: ['unlicensed with publish', 'unlicensed'],
  // Unknown roles: lower-case words, and no seat we could name.
  InsightsAnalyst: ['insights analyst', 'unlicensed'],
};

export const KNOWN_SLUGS = [
  'site administrator creator', 'site administrator explorer', 'site administrator', 'server administrator',
  'creator', 'explorer', 'explorer can publish', 'viewer', 'unlicensed', 'readonly',
];

export function roleFacts(role: string): { slug: string; tier: string } {
  const facts = ROLE_TABLE[role];
  if (facts === undefined) throw new Error(`test table lacks role ${role}`);
  return { slug: facts[0], tier: facts[1] };
}

export interface Expected {
  resources: string[];
  entitlements: string[];
  grants: string[];
}

export function expectedFrom(state: State): Expected {
  const resources = ['license:creator', 'license:explorer', 'license:viewer', 'license:unlicensed'];
  const entitlements = resources.map((r) => `${r}:member`);
  const grants: string[] = [];
  for (const site of state.sites) {
    resources.push(`site:${site.id}`);
    const slugs = new Set(KNOWN_SLUGS);
    for (const user of site.users) {
      const { slug, tier } = roleFacts(user.siteRole);
      slugs.add(slug);
      resources.push(`user:${user.id}`);
      grants.push(`site:${site.id}:${slug}:user:${user.id}`, `license:${tier}:member:user:${user.id}`);
    }
    entitlements.push(...[...slugs].map((s) => `site:${site.id}:${s}`));
    for (const group of site.groups) {
      resources.push(`group:${group.id}`);
      entitlements.push(`group:${group.id}:member`);
    }
    for (const m of site.memberships) grants.push(`group:${m.groupId}:member:user:${m.userId}`);
  }
  return { resources, entitlements, grants };
}

/** Asserts the walk holds exactly the expected objects (sorted id lists, so diffs stay readable). */
export function expectSameModel(result: Walk, state: State): void {
  const expected = expectedFrom(state);
  const sorted = (xs: Iterable<string>) => [...xs].sort();
  expect(result.resourceTypes.map((t) => t.id).sort()).toEqual(['group', 'license', 'site', 'user']);
  expect(result.resources.size).toBe(expected.resources.length);
  expect(sorted(result.resources.keys())).toEqual(sorted(expected.resources));
  expect(sorted(result.entitlements.keys())).toEqual(sorted(expected.entitlements));
  expect(result.grants.size).toBe(expected.grants.length);
  expect(sorted(result.grants.keys())).toEqual(sorted(expected.grants));
}
