/**
 * Public data shapes of the Tableau simulator: the scenario it serves, the ground-truth state it
 * reports at `GET /_sim/state`, its request statistics and the fault knobs.
 */
import type { GroupShape } from './listing-habits.js';

/** A user as `/_sim/state` reports it. `lastLogin` is null when the user never signed in. */
interface StateUser {
  id: string;
  name: string;
  email: string;
  fullName: string;
  siteRole: string;
  lastLogin: string | null;
  authSetting: string;
  /** The identity pools the user is in (at most one: Tableau shows one per user); only where pools are modelled. */
  identityPoolIds?: string[];
  /** With `--scim`: who manages the user. */
  managedBy?: ManagedBy;
}

/** Who manages a user or group (CONTRACTS §1). */
type ManagedBy = 'tableau' | 'directory' | 'scim';

/** A group as `/_sim/state` reports it. `domain` is `local` or an AD/IdP domain name. */
interface StateGroup {
  id: string;
  name: string;
  domain: string;
  minimumSiteRole: string | null;
  /** With `--scim`: who manages the group. */
  managedBy?: ManagedBy;
}

/** One membership edge of `/_sim/state`. */
interface StateMembership {
  groupId: string;
  userId: string;
}

/** One site of `/_sim/state` ("All Users" group and its memberships included). */
export interface StateSite {
  id: string;
  contentUrl: string;
  name: string;
  users: StateUser[];
  groups: StateGroup[];
  memberships: StateMembership[];
  /** With `--scim`: whether SCIM is enabled on the site, and through which IdP configuration. */
  scim?: { enabled: boolean; idpConfigurationId: string | null };
}

/** The JSON of `GET /_sim/state` (CONTRACTS §1). */
export interface SimState {
  /** Server-wide identity pools; only where pools are modelled (`--identity-pools N`, scenario `identityPools`). */
  identityPools?: StatePool[];
  sites: StateSite[];
}

/** An identity pool of `/_sim/state` (CONTRACTS §1). */
interface StatePool {
  id: string;
  name: string;
  enabled: boolean;
  storeType: string;
  authConfigId: number;
}

/** Content owned by a user, as counts per kind. */
interface OwnedContentCounts {
  workbooks?: number;
  datasources?: number;
  flows?: number;
}

/**
 * A user in a scenario. Everything beyond `id`, `name` and `siteRole` is optional; missing text fields
 * default to derived values (email `name@example.com`, fullName = name, authSetting `ServerDefault`).
 */
export interface ScenarioUser {
  id: string;
  name: string;
  siteRole: string;
  email?: string;
  fullName?: string;
  lastLogin?: string | null;
  authSetting?: string;
  /** `<domain name>`; default `local`. */
  domain?: string;
  /** Content this user owns (counts per kind); a bare number means that many workbooks. */
  ownedContent?: OwnedContentCounts | number;
  /** Identity pool the user belongs to (uuid of one of `ScenarioData.identityPools`). */
  identityPoolUuid?: string;
}

/** A group in a scenario. A non-`local` domain makes the group AD-imported (it gets an `<import>`). */
export interface ScenarioGroup {
  id: string;
  name: string;
  domain?: string;
  minimumSiteRole?: string | null;
  /**
   * Grant-license mode. `onLogin` (the default when `minimumSiteRole` is set) raises members' roles to
   * the minimum on Add/Update User; `onSync` (AD groups) and null do not.
   */
  grantLicenseMode?: 'onLogin' | 'onSync' | null;
}

/** A site in a scenario, with optional seat capacities (absent = unlimited). */
export interface ScenarioSite {
  id: string;
  contentUrl: string;
  name: string;
  users: ScenarioUser[];
  groups: ScenarioGroup[];
  /** Memberships of ordinary groups; "All Users" memberships are implicit and ignored here. */
  memberships: StateMembership[];
  adminMode?: 'ContentAndUsers' | 'ContentOnly';
  state?: 'Active' | 'Suspended';
  userQuota?: number;
  tierCreatorCapacity?: number;
  tierExplorerCapacity?: number;
  tierViewerCapacity?: number;
}

/** An identity pool (Tableau Server 2023.1+). */
interface ScenarioIdentityPool {
  uuid: string;
  name: string;
  description?: string;
  identityStoreType?: 'LOCAL' | 'LDAP' | 'ACTIVE_DIRECTORY';
  /** Default true; users cannot be added to a disabled pool (429003). */
  enabled?: boolean;
}

/** Credentials the simulator accepts; omitted parts are generated from the seed. */
interface ScenarioCredentials {
  /** Sign-in name of the administrator who owns the PAT, the password and the connected app's `sub`. */
  adminUsername?: string;
  adminPassword?: string;
  patName?: string;
  patSecret?: string;
  connectedApp?: { clientId: string; secretId: string; secretValue: string };
}

/**
 * An exact scenario (`--data FILE.json` or `SimOptions.data`): the `/_sim/state` shape plus extras.
 * The admin user (`credentials.adminUsername`, else the first ServerAdministrator, else the first
 * site administrator of the first site) owns the printed PAT; on Tableau Server a ServerAdministrator
 * may sign in to every site on which a user of that name exists.
 */
export interface ScenarioData {
  sites: ScenarioSite[];
  identityPools?: ScenarioIdentityPool[];
  credentials?: ScenarioCredentials;
}

/** Fault rates in [0,1] per /api request, and the session-kill period (0 = never). */
export interface FaultOptions {
  fault429Rate: number;
  fault5xxRate: number;
  faultResetRate: number;
  faultTruncateRate: number;
  sessionKillEvery: number;
  latencyMs: number;
  /** Fraction of /api requests delayed by an extra `latencySpikeMs` (serverinfo included). */
  latencySpikeRate: number;
  latencySpikeMs: number;
  /** While true every /api request (serverinfo included) has its connection reset: Tableau is down. */
  down: boolean;
  /** Extra items listings claim in `totalAvailable` beyond what they deliver (0 = exact; listing-habits.ts). */
  overPromise: number;
  /** Comma-separated listings that over-promise: `users`, `groups`, `group-users`, `sites`; "" = all. */
  overPromiseListings: string;
  /** Pages past the real end (within the promise) answer an empty page instead of `400006`. */
  pastEndEmpty: boolean;
  /** How directory groups are rendered: `standard`, `import-only` or `attributes-on-group`. */
  groupShape: GroupShape;
  /** Comma-separated user ids left out of the users listing (still members of their groups). */
  unlistedUsers: string;
  /** Tableau's error answers go out with status 200 (the `<error>` body kept), as some proxies and old servers do. */
  errorsWithStatus200: boolean;
  /** Sign-in opens a session on another site than the one asked for (the first other site of the world). */
  signInOtherSite: boolean;
}

/** A response the simulator is about to send. */
export interface OutgoingResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Test hook (`RunningSimulator.interceptResponses`): sees every /api response after the request took
 * effect and may replace it, or answer `'reset'` to drop the connection (a lost response). `route` is
 * the `/_sim/stats` key, e.g. `GET /sites/{}/users`. Undefined keeps the response.
 */
export type ResponseInterceptor = (
  request: { route: string; method: string; url: URL },
  response: OutgoingResponse,
) => OutgoingResponse | 'reset' | undefined;

/** The one JSON line the CLI prints (CONTRACTS §1). */
export interface SimInfo {
  url: string;
  apiVersion: string;
  caCertFile: string | null;
  sites: { id: string; contentUrl: string; name: string }[];
  pat: { name: string; secret: string };
  connectedApp: { clientId: string; secretId: string; secretValue: string; username: string };
  admin: { username: string; password: string };
}

/** The JSON of `GET /_sim/stats`: routes have LUIDs replaced by `{}` and no version segment. */
export interface SimStats {
  total: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
}
