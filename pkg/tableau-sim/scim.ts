/**
 * SCIM-enabled sites (`--scim`): per site an IdP configuration that SCIM provisions through, and a
 * deterministic (per seed) share of users and local groups the identity provider manages.
 *
 * What the REST API shows for it, as Tableau does: Query Site carries `idpConfigurationIdForScim`
 * and each SCIM-managed user carries `idpConfigurationId` (and signs in with SAML). Groups show nothing:
 * SCIM-created groups are ordinary local groups to REST. The SCIM service itself (routes-scim.ts)
 * lists exactly the managed users and groups, behind a bearer secret: `--scim-token`, else one
 * generated per site and handed to in-process callers (`RunningSimulator.scim`), never printed.
 */
import { Rng } from './rng.js';
import type { SimGroup, SimUser, SiteStore } from './site-store.js';
import type { StateSite } from './types.js';

/** One SCIM-enabled site. */
export interface SimSiteScim {
  idpConfigurationId: string;
  /** The bearer secret its SCIM service accepts. */
  token: string;
  /** Lower-cased LUIDs of the users and groups the IdP manages. */
  users: Set<string>;
  groups: Set<string>;
}

/** The share of eligible users and local groups made IdP-managed. */
const MANAGED_SHARE = 0.4;

/** The SCIM side of the world: which sites have SCIM, and who their IdP manages. */
export class SimScim {
  private readonly bySite = new Map<string, SimSiteScim>();
  private readonly userIdp = new Map<string, string>();

  /** Enables SCIM on every site; `adminUsername` stays Tableau-managed (it must keep signing in). */
  static enable(sites: readonly SiteStore[], seed: number, adminUsername: string, token?: string): SimScim {
    const scim = new SimScim();
    sites.forEach((site, i) => scim.enableSite(site, new Rng(seed * 104_729 + i + 1), adminUsername, token));
    return scim;
  }

  site(siteId: string): SimSiteScim | undefined {
    return this.bySite.get(siteId.toLowerCase());
  }

  /** The IdP configuration of a SCIM-managed user (the REST `idpConfigurationId`), else undefined. */
  idpOfUser(userId: string): string | undefined {
    return this.userIdp.get(userId.toLowerCase());
  }

  isManagedGroup(siteId: string, group: SimGroup): boolean {
    return this.site(siteId)?.groups.has(group.id.toLowerCase()) ?? false;
  }

  /** Adds `scim`, and every user's and group's `managedBy`, to a site of `/_sim/state`. */
  decorate(state: StateSite, site: SiteStore): StateSite {
    const scim = this.site(state.id);
    const userDomain = (id: string): string => site.userById(id)?.domain ?? 'local';
    const managedBy = (id: string, set: Set<string> | undefined, domain: string): 'scim' | 'directory' | 'tableau' =>
      set?.has(id.toLowerCase()) ? 'scim' : domain.toLowerCase() !== 'local' ? 'directory' : 'tableau';
    return {
      ...state,
      scim: { enabled: scim !== undefined, idpConfigurationId: scim?.idpConfigurationId ?? null },
      users: state.users.map((u) => ({ ...u, managedBy: managedBy(u.id, scim?.users, userDomain(u.id)) })),
      groups: state.groups.map((g) => ({ ...g, managedBy: managedBy(g.id, scim?.groups, g.domain) })),
    };
  }

  private enableSite(site: SiteStore, rng: Rng, adminUsername: string, token: string | undefined): void {
    // The secret is always drawn, so that --scim-token does not change who is managed.
    const idpConfigurationId = rng.uuid();
    const generated = `scim-${rng.hex(24)}`;
    const entry: SimSiteScim = { idpConfigurationId, token: token ?? generated, users: new Set(), groups: new Set() };
    site.meta.idpConfigurationIdForScim = entry.idpConfigurationId;
    const users = site.liveUsers().map((idx) => site.users[idx] as SimUser)
      .filter((u) => u.name.toLowerCase() !== adminUsername.toLowerCase() && u.siteRole !== 'ServerAdministrator' && u.domain === 'local');
    const groups = site.groups.filter((g) => !g.allUsers && g.domain === 'local');
    const chosenUsers = users.filter(() => rng.next() < MANAGED_SHARE);
    const chosenGroups = groups.filter(() => rng.next() < MANAGED_SHARE);
    // Small scenarios still get one of each, so every refusal can be exercised.
    if (chosenUsers.length === 0 && users[0]) chosenUsers.push(users[0]);
    if (chosenGroups.length === 0 && groups[0]) chosenGroups.push(groups[0]);
    for (const user of chosenUsers) {
      entry.users.add(user.id.toLowerCase());
      this.userIdp.set(user.id.toLowerCase(), entry.idpConfigurationId);
      user.authSetting = 'SAML';
      user.cache = undefined;
    }
    for (const group of chosenGroups) entry.groups.add(group.id.toLowerCase());
    this.bySite.set(site.meta.id.toLowerCase(), entry);
  }
}
