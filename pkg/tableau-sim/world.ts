/**
 * Everything the simulated server knows: its sites, identity pools and the credentials it accepts.
 */
import type { SiteStore, SimUser } from './site-store.js';
import type { SimScim } from './scim.js';
import type { SimState, StateSite } from './types.js';

/** An identity pool of the authn service. */
export interface IdentityPool {
  uuid: string;
  name: string;
  description: string;
  storeType: string;
  storeId: number;
  /** Whether users of the pool may sign in (`is_enabled`). */
  enabled: boolean;
  /** Id of the pool's authentication configuration (`auth_type_instance_id`). */
  authConfigId: number;
}

/** The one administrator's PAT, password and connected app the server accepts. */
export interface AcceptedCredentials {
  adminUsername: string;
  adminPassword: string;
  patName: string;
  patSecret: string;
  connectedApp: { clientId: string; secretId: string; secretValue: string };
}

/** The whole simulated server state. */
export class World {
  /** SCIM-enabled sites (`--scim`), null when SCIM is not modelled. */
  scim: SimScim | null = null;

  constructor(
    readonly sites: SiteStore[],
    readonly pools: IdentityPool[],
    readonly credentials: AcceptedCredentials,
  ) {}

  siteById(id: string): SiteStore | undefined {
    const lower = id.toLowerCase();
    return this.sites.find((s) => s.meta.id.toLowerCase() === lower);
  }

  siteByContentUrl(contentUrl: string): SiteStore | undefined {
    const lower = contentUrl.toLowerCase();
    return this.sites.find((s) => s.meta.contentUrl.toLowerCase() === lower);
  }

  siteByName(name: string): SiteStore | undefined {
    return this.sites.find((s) => s.meta.name === name);
  }

  poolByUuid(uuid: string): IdentityPool | undefined {
    const lower = uuid.toLowerCase();
    return this.pools.find((p) => p.uuid.toLowerCase() === lower);
  }

  /** Ground truth for tests (`GET /_sim/state`), "All Users" included. */
  state(): SimState {
    const scim = this.scim;
    const sites = this.sites.map((site) => (scim ? scim.decorate(siteState(site), site) : siteState(site)));
    // Pools appear only where they are modelled (CONTRACTS §1); a user shows at most one (see identity-pools.ts).
    if (this.pools.length === 0) return { sites };
    for (const [s, site] of this.sites.entries()) {
      const users = sites[s]?.users ?? [];
      site.liveUsers().forEach((idx, i) => {
        const pool = (site.users[idx] as SimUser).identityPoolUuid;
        const state = users[i];
        if (state) state.identityPoolIds = pool ? [pool] : [];
      });
    }
    const identityPools = this.pools.map((p) => ({ id: p.uuid, name: p.name, enabled: p.enabled, storeType: p.storeType, authConfigId: p.authConfigId }));
    return { identityPools, sites };
  }
}

function siteState(site: SiteStore): StateSite {
  const live = site.liveUsers();
  const users = live.map((idx) => userState(site.users[idx] as SimUser));
  const groups = site.groups.map((g) => ({
    id: g.id, name: g.name, domain: g.domain, minimumSiteRole: g.minimumSiteRole,
  }));
  const memberships: StateSite['memberships'] = [];
  for (const group of site.groups) {
    const members = site.memberSlice(group, 0, site.memberCount(group));
    for (let i = 0; i < members.length; i++) {
      const user = site.users[members[i] as number] as SimUser;
      memberships.push({ groupId: group.id, userId: user.id });
    }
  }
  const { id, contentUrl, name } = site.meta;
  return { id, contentUrl, name, users, groups, memberships };
}

function userState(user: SimUser): StateSite['users'][number] {
  return {
    id: user.id, name: user.name, email: user.email, fullName: user.fullName,
    siteRole: user.siteRole, lastLogin: user.lastLogin, authSetting: user.authSetting,
  };
}
