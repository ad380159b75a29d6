/**
 * Deterministic scenario generation for `--seed`: per site a skewed, realistic population of users,
 * groups, memberships and owned content, built straight into compact stores.
 */
import { MemberList } from './member-list.js';
import { CONTENT_TOPICS, FIRST_NAMES, GROUP_SUFFIXES, LAST_NAMES, TEAMS } from './names.js';
import { Rng } from './rng.js';
import { SiteStore, type ContentKind } from './site-store.js';
import { assignPools, generatePools } from './identity-pools.js';
import { World, type AcceptedCredentials } from './world.js';

/** Sizes of a generated scenario (per site). */
export interface GenerateOptions {
  seed: number;
  sites: number;
  users: number;
  groups: number;
  memberships: number;
  cloud: boolean;
  contentPerOwner: number;
  /** Server-wide identity pools (`--identity-pools`; none on Tableau Cloud). */
  identityPools?: number;
}

const ADMIN_USERNAME = 'admin';

// Every role appears once at the start of each site (so small scenarios cover them), then by weight.
const SERVER_ROLES_FIRST = ['SiteAdministratorCreator', 'SiteAdministratorExplorer', 'Creator', 'ExplorerCanPublish',
  'Explorer', 'Viewer', 'Unlicensed', 'Publisher', 'Interactor', 'ViewerWithPublish', 'SiteAdministrator',
  'UnlicensedWithPublish', 'Guest', 'ReadOnly'];
const ROLE_WEIGHTS: [string, number][] = [['Viewer', 36], ['Explorer', 22], ['ExplorerCanPublish', 8],
  ['Creator', 10], ['SiteAdministratorExplorer', 2], ['SiteAdministratorCreator', 2], ['Unlicensed', 6],
  ['Publisher', 3], ['Interactor', 3], ['ViewerWithPublish', 2], ['UnlicensedWithPublish', 1]];
const ROLE_WEIGHT_TOTAL = ROLE_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
// A fixed "now" keeps lastLogin values identical across runs.
const EPOCH_MS = Date.UTC(2026, 0, 15, 12, 0, 0);

export function generateWorld(opts: GenerateOptions): World {
  const rng = new Rng(opts.seed);
  // Two draws (and one per user below) that two fixed pools once took keep every seed's data as it was.
  if (!opts.cloud) {
    rng.uuid();
    rng.uuid();
  }
  const pools = opts.cloud ? [] : generatePools(opts.seed, opts.identityPools ?? 0);
  const sites: SiteStore[] = [];
  for (let s = 0; s < Math.max(1, opts.sites); s++) {
    const site = generateSite(opts, s, new Rng(opts.seed * 7919 + s + 1));
    assignPools(site, pools, opts.seed, s);
    sites.push(site);
  }
  const credentials: AcceptedCredentials = {
    adminUsername: opts.cloud ? `${ADMIN_USERNAME}@example.com` : ADMIN_USERNAME,
    adminPassword: `pw-${rng.hex(8)}`,
    patName: 'baton-admin-token',
    patSecret: `${rng.hex(11)}==:${rng.hex(16)}`,
    connectedApp: { clientId: rng.uuid(), secretId: rng.uuid(), secretValue: rng.hex(32) },
  };
  return new World(sites, pools, credentials);
}

function generateSite(opts: GenerateOptions, index: number, rng: Rng): SiteStore {
  const site = new SiteStore({
    id: rng.uuid(), name: index === 0 ? 'Default' : `Site ${index + 1}`,
    contentUrl: index === 0 ? '' : `site${index + 1}`, adminMode: 'ContentAndUsers', state: 'Active',
    userQuota: null, tierCreatorCapacity: null, tierExplorerCapacity: null, tierViewerCapacity: null,
  });
  site.insertGroup({ id: rng.uuid(), name: 'All Users', domain: 'local', minimumSiteRole: null,
    grantLicenseMode: null, allUsers: true });
  addUsers(site, opts, rng);
  addGroups(site, opts, rng);
  addContent(site, opts, rng);
  return site;
}

function addUsers(site: SiteStore, opts: GenerateOptions, rng: Rng): void {
  const firstRoles = opts.cloud ? [...SERVER_ROLES_FIRST.filter((r) => r !== 'Guest'), 'SupportUser'] : SERVER_ROLES_FIRST;
  const taken = new Map<string, number>();
  for (let i = 0; i < Math.max(1, opts.users); i++) {
    if (i === 0) {
      site.insertUser(adminUser(rng, opts.cloud));
      continue;
    }
    // Random names in insertion order: Tableau's unsorted listing order is not alphabetical.
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const base = `${first.toLowerCase()}.${last.toLowerCase()}`;
    const seen = taken.get(base) ?? 0;
    taken.set(base, seen + 1);
    const suffix = seen > 0 ? String(seen + 1) : '';
    const handle = `${base}${suffix}`;
    const role = firstRoles[i - 1] ?? weightedRole(rng);
    const sso = rng.next() < 0.2;
    if (!opts.cloud && rng.next() < 0.05) rng.pick([0, 1]);
    site.insertUser({
      id: rng.uuid(), name: opts.cloud ? `${handle}@example.com` : handle, email: `${handle}@example.com`,
      fullName: `${first} ${last}${suffix ? ` ${suffix}` : ''}`, siteRole: role,
      authSetting: opts.cloud ? (sso ? 'SAML' : 'TableauIDWithMFA') : (sso ? 'SAML' : 'ServerDefault'),
      lastLogin: role.startsWith('Unlicensed') || rng.next() < 0.08 ? null : pastDate(rng, 400),
      domain: 'local', externalAuthUserId: sso ? rng.hex(16) : '', identityPoolUuid: null,
    });
  }
}

function adminUser(rng: Rng, cloud: boolean): Parameters<SiteStore['insertUser']>[0] {
  return {
    id: rng.uuid(), name: cloud ? `${ADMIN_USERNAME}@example.com` : ADMIN_USERNAME, email: 'admin@example.com',
    fullName: 'Tableau Administrator', siteRole: cloud ? 'SiteAdministratorCreator' : 'ServerAdministrator',
    authSetting: cloud ? 'TableauIDWithMFA' : 'ServerDefault', lastLogin: pastDate(rng, 2), domain: 'local',
    externalAuthUserId: '', identityPoolUuid: null,
  };
}

function weightedRole(rng: Rng): string {
  let roll = rng.next() * ROLE_WEIGHT_TOTAL;
  for (const [role, weight] of ROLE_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return role;
  }
  return 'Viewer';
}

function pastDate(rng: Rng, maxDays: number): string {
  const ms = EPOCH_MS - Math.floor(rng.next() * maxDays * 86_400_000);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function addGroups(site: SiteStore, opts: GenerateOptions, rng: Rng): void {
  const userCount = site.users.length;
  const sizes = skewedSizes(opts.groups, opts.memberships, userCount);
  const mark = new Uint8Array(userCount);
  for (let g = 0; g < opts.groups; g++) {
    const team = TEAMS[g % TEAMS.length] as string;
    const suffix = GROUP_SUFFIXES[Math.floor(g / TEAMS.length) % GROUP_SUFFIXES.length] as string;
    const round = Math.floor(g / (TEAMS.length * GROUP_SUFFIXES.length));
    const imported = g % 10 === 3;
    const glsi = g % 10 === 6;
    site.insertGroup({
      id: rng.uuid(), name: `${team} ${suffix}${round > 0 ? ` ${round + 1}` : ''}`,
      domain: imported ? 'corp.example.com' : 'local',
      minimumSiteRole: imported ? 'Viewer' : glsi ? 'Explorer' : null,
      grantLicenseMode: imported ? 'onSync' : glsi ? 'onLogin' : null, allUsers: false,
    }, new MemberList(sampleMembers(sizes[g] ?? 0, userCount, rng, mark)));
  }
}

/** Zipf-like group sizes summing to `total` (capped per group at the user count). */
function skewedSizes(groups: number, total: number, users: number): number[] {
  if (groups <= 0) return [];
  const weights = Array.from({ length: groups }, (_, g) => 1 / (g + 1) ** 0.9);
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.min(users, Math.floor((w / sum) * total)));
  let left = Math.min(total, groups * users) - sizes.reduce((a, b) => a + b, 0);
  for (let g = 0; left > 0; g = (g + 1) % groups) {
    const add = Math.min(left, users - (sizes[g] as number), Math.ceil(left / groups));
    sizes[g] = (sizes[g] as number) + add;
    left -= add;
  }
  return sizes;
}

/** `k` distinct user indexes in ascending order; `mark` is a scratch buffer left zeroed. */
function sampleMembers(k: number, n: number, rng: Rng, mark: Uint8Array): Int32Array {
  const invert = k > n / 2;
  const want = invert ? n - k : k;
  const chosen = new Int32Array(want);
  for (let count = 0; count < want;) {
    const idx = rng.int(n);
    if (mark[idx] === 0) {
      mark[idx] = 1;
      chosen[count++] = idx;
    }
  }
  if (!invert) {
    for (const idx of chosen) mark[idx] = 0;
    return chosen.sort();
  }
  const out = new Int32Array(k);
  let at = 0;
  for (let idx = 0; idx < n; idx++) {
    if (mark[idx] === 0) out[at++] = idx;
    mark[idx] = 0;
  }
  return out;
}

function addContent(site: SiteStore, opts: GenerateOptions, rng: Rng): void {
  const kinds: ContentKind[] = ['workbook', 'datasource', 'flow'];
  for (const user of site.users) {
    if (user.idx !== 0 && rng.next() >= 0.1) continue;
    const count = 1 + rng.int(Math.max(1, opts.contentPerOwner));
    for (let c = 0; c < count; c++) {
      const kind = c === 0 ? 'workbook' : rng.pick(kinds);
      site.content.push({ id: rng.uuid(), name: `${rng.pick(CONTENT_TOPICS)} ${kind} ${site.content.length + 1}`,
        kind, ownerIdx: user.idx });
    }
  }
}
