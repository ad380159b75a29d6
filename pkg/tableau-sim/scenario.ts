/**
 * Loads an exact scenario (`--data FILE.json`) into the simulator's stores.
 */
import { MemberList } from './member-list.js';
import { Rng } from './rng.js';
import { SiteStore, type ContentKind } from './site-store.js';
import type { ScenarioData, ScenarioSite, ScenarioUser } from './types.js';
import { World, type AcceptedCredentials } from './world.js';

const ALL_USERS = 'All Users';

export function worldFromScenario(data: ScenarioData, seed: number, cloud: boolean): World {
  if (!Array.isArray(data.sites) || data.sites.length === 0) throw new Error('scenario: "sites" must be a non-empty array');
  const rng = new Rng(seed);
  const sites = data.sites.map((s) => loadSite(s, rng));
  const pools = (data.identityPools ?? []).map((p, i) => ({
    uuid: p.uuid, name: p.name, description: p.description ?? '', storeType: p.identityStoreType ?? 'LOCAL', storeId: i + 1,
    enabled: p.enabled ?? true, authConfigId: i + 1,
  }));
  return new World(sites, pools, scenarioCredentials(data, sites, rng, cloud));
}

function scenarioCredentials(data: ScenarioData, sites: SiteStore[], rng: Rng, cloud: boolean): AcceptedCredentials {
  const given = data.credentials ?? {};
  const first = sites[0] as SiteStore;
  const admin = given.adminUsername
    ?? firstUserWithRole(sites, cloud ? [] : ['ServerAdministrator'])
    ?? firstUserWithRole([first], ['SiteAdministratorCreator', 'SiteAdministratorExplorer', 'SiteAdministrator']);
  if (!admin) throw new Error('scenario: no administrator user (set credentials.adminUsername)');
  return {
    adminUsername: admin,
    adminPassword: given.adminPassword ?? `pw-${rng.hex(8)}`,
    patName: given.patName ?? 'baton-admin-token',
    patSecret: given.patSecret ?? `${rng.hex(11)}==:${rng.hex(16)}`,
    connectedApp: given.connectedApp ?? { clientId: rng.uuid(), secretId: rng.uuid(), secretValue: rng.hex(32) },
  };
}

function firstUserWithRole(sites: SiteStore[], roles: string[]): string | undefined {
  for (const site of sites) {
    const user = site.users.find((u) => roles.includes(u.siteRole));
    if (user) return user.name;
  }
  return undefined;
}

function loadSite(data: ScenarioSite, rng: Rng): SiteStore {
  const site = new SiteStore({
    id: data.id, name: data.name, contentUrl: data.contentUrl ?? '', adminMode: data.adminMode ?? 'ContentAndUsers',
    state: data.state ?? 'Active', userQuota: data.userQuota ?? null,
    tierCreatorCapacity: data.tierCreatorCapacity ?? null, tierExplorerCapacity: data.tierExplorerCapacity ?? null,
    tierViewerCapacity: data.tierViewerCapacity ?? null,
  });
  const allUsers = data.groups.find((g) => g.name === ALL_USERS);
  site.insertGroup({ id: allUsers?.id ?? rng.uuid(), name: ALL_USERS, domain: 'local', minimumSiteRole: null,
    grantLicenseMode: null, allUsers: true });
  for (const user of data.users) loadUser(site, user, rng);
  loadGroups(site, data);
  return site;
}

function loadUser(site: SiteStore, user: ScenarioUser, rng: Rng): void {
  if (!user.id || !user.name || !user.siteRole) throw new Error(`scenario: user needs id, name and siteRole`);
  const loaded = site.insertUser({
    id: user.id, name: user.name, email: user.email ?? `${user.name.replace(/@.*$/, '')}@example.com`,
    fullName: user.fullName ?? user.name, siteRole: user.siteRole, authSetting: user.authSetting ?? 'ServerDefault',
    lastLogin: user.lastLogin ?? null, domain: user.domain ?? 'local', externalAuthUserId: '',
    identityPoolUuid: user.identityPoolUuid ?? null,
  });
  const owned = typeof user.ownedContent === 'number' ? { workbooks: user.ownedContent } : user.ownedContent ?? {};
  const counts: [ContentKind, number][] = [
    ['workbook', owned.workbooks ?? 0], ['datasource', owned.datasources ?? 0], ['flow', owned.flows ?? 0]];
  for (const [kind, count] of counts) {
    for (let i = 0; i < count; i++) {
      site.content.push({ id: rng.uuid(), name: `${user.name} ${kind} ${i + 1}`, kind, ownerIdx: loaded.idx });
    }
  }
}

function loadGroups(site: SiteStore, data: ScenarioSite): void {
  const byGroup = new Map<string, number[]>();
  for (const m of data.memberships) {
    const user = site.userById(m.userId);
    if (!user) throw new Error(`scenario: membership names unknown user ${m.userId}`);
    const list = byGroup.get(m.groupId.toLowerCase()) ?? [];
    list.push(user.idx);
    byGroup.set(m.groupId.toLowerCase(), list);
  }
  for (const group of data.groups) {
    if (group.name === ALL_USERS) continue;
    const members = [...new Set(byGroup.get(group.id.toLowerCase()) ?? [])].sort((a, b) => a - b);
    site.insertGroup({
      id: group.id, name: group.name, domain: group.domain ?? 'local', minimumSiteRole: group.minimumSiteRole ?? null,
      // Tableau: a minimum site role on a local group means "grant license on sign-in".
      grantLicenseMode: group.grantLicenseMode === undefined ? (group.minimumSiteRole ? 'onLogin' : null) : group.grantLicenseMode,
      allUsers: false,
    }, new MemberList(Int32Array.from(members)));
  }
}
