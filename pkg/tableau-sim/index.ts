/**
 * The Tableau Server simulator: a stateful, fast fake of Tableau's REST API for tests, benchmarks and
 * the demo. Start it in-process with `startSimulator()` or as the `tableau-sim` bin.
 *
 * Fault choices: faults apply to every `/api` request except `serverinfo` (sign-in included, so
 * clients must retry it too); they never apply to `/_sim/*`. Resets and 429/5xx happen before the
 * request is handled (no side effects); truncation happens after (a write may have taken effect).
 * Session kills count authenticated requests only, so sign-in always remains possible.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ServerSettings } from './context.js';
import { FaultInjector } from './faults.js';
import { checkHabits } from './listing-habits.js';
import { generateWorld } from './generate.js';
import { createRequestHandler } from './http-handler.js';
import { scimBasePath } from './routes-scim.js';
import { SimScim } from './scim.js';
import { Outage, type OutageSpec, type OutageStatus } from './outage.js';
import type { NotTableauKind } from './not-tableau.js';
import { worldFromScenario } from './scenario.js';
import { SessionStore } from './sessions.js';
import { StatsCounter } from './stats.js';
import { createTlsMaterial, type TlsMaterial } from './tls.js';
import type { FaultOptions, ResponseInterceptor, ScenarioData, SimInfo, SimState, SimStats } from './types.js';
import type { World } from './world.js';

export type * from './types.js';
export type { OutageSpec } from './outage.js';

/** How to start the simulator; every field is optional (defaults as in CONTRACTS §1). */
export interface SimOptions {
  port?: number;
  host?: string;
  seed?: number;
  sites?: number;
  users?: number;
  groups?: number;
  memberships?: number;
  /** Server-wide identity pools to generate (default 0; ignored with `cloud` or `data`). */
  identityPools?: number;
  /** An exact scenario instead of generated data. */
  data?: ScenarioData;
  /** Newest REST API version the server claims (default '3.29'); older than 3.4 makes an old server. */
  apiVersion?: string;
  /** serverinfo's productVersion (default '2026.2.0'). */
  productVersion?: string;
  /** Serve a login page (`login`) or an HTML 404 (`404`) for every path but /_sim: not Tableau at all. */
  notTableau?: NotTableauKind;
  /** Tableau's error answers go out with status 200 (also a fault option, changeable at run time). */
  errorsWithStatus200?: boolean;
  /** Sign-in opens a session on another site than asked (also a fault option). */
  signInOtherSite?: boolean;
  /** Behave like Tableau Cloud (no Query Sites, no switchSite, no ServerAdministrator, no identity pools). */
  cloud?: boolean;
  latencyMs?: number;
  /** Fraction of requests held an extra `latencySpikeMs` (default 0). */
  latencySpikeRate?: number;
  latencySpikeMs?: number;
  tls?: boolean;
  fault429Rate?: number;
  fault5xxRate?: number;
  faultResetRate?: number;
  faultTruncateRate?: number;
  sessionKillEvery?: number;
  /** Idle session expiry in seconds (default 14400, Tableau Server's 240 minutes). */
  sessionTtlS?: number;
  /** Most content items a generated content owner gets (default 3). */
  contentPerOwner?: number;
  /** Real servers' listing habits (see listing-habits.ts); all off by default. */
  habits?: Partial<Pick<FaultOptions, ListingHabit>>;
  /** An outage armed at start (e.g. after N requests, to land in the middle of a sync). */
  outage?: OutageSpec;
  /** SCIM-enabled sites with IdP-managed users and groups and the SCIM read endpoints (scim.ts). */
  scim?: boolean;
  /** With `scim`: the bearer secret of every site's SCIM service (default: one generated per site). */
  scimToken?: string;
}

/** A SCIM-enabled site of a running simulator: where its SCIM service is and the secret it accepts. */
interface SimScimSite {
  siteId: string;
  idpConfigurationId: string;
  baseUrl: string;
  token: string;
}

/** The fault options that play real servers' listing habits. */
type ListingHabit = 'overPromise' | 'overPromiseListings' | 'pastEndEmpty' | 'groupShape' | 'unlistedUsers';

/** A started simulator. */
export interface RunningSimulator {
  url: string;
  /** Exactly the object the CLI prints as its one JSON line. */
  info: SimInfo;
  /** Same JSON as `GET /_sim/state`. */
  state(): SimState;
  stats(): SimStats;
  resetStats(): void;
  /** Changes fault rates (and latency, `down`) at run time; also `POST /_sim/faults` from another process. */
  setFaults(f: Partial<FaultOptions>): void;
  /** Arms an outage (see outage.ts); also `POST /_sim/faults {"outage": …}`. */
  startOutage(spec: OutageSpec): void;
  /** Ends (or disarms) the outage now. */
  endOutage(): void;
  /** Whether an outage is on or armed, and when the latest began (as `GET /_sim/faults` shows under `outage`). */
  outageStatus(): OutageStatus;
  /** Sets (or clears with null) the hook that may replace or drop /api responses. */
  interceptResponses(hook: ResponseInterceptor | null): void;
  /** With `scim`: each site's SCIM service (the secrets are not in `info`, which the CLI prints). */
  scim: SimScimSite[];
  close(): Promise<void>;
}

function buildWorld(opts: SimOptions): World {
  const seed = opts.seed ?? 1;
  const cloud = opts.cloud ?? false;
  if (opts.data) return worldFromScenario(opts.data, seed, cloud);
  return generateWorld({ seed, cloud, sites: opts.sites ?? 1, users: opts.users ?? 100, groups: opts.groups ?? 10,
    memberships: opts.memberships ?? 500, contentPerOwner: opts.contentPerOwner ?? 3, identityPools: opts.identityPools ?? 0 });
}

function faultOptions(opts: SimOptions): FaultOptions {
  return { fault429Rate: opts.fault429Rate ?? 0, fault5xxRate: opts.fault5xxRate ?? 0,
    faultResetRate: opts.faultResetRate ?? 0, faultTruncateRate: opts.faultTruncateRate ?? 0,
    sessionKillEvery: opts.sessionKillEvery ?? 0, latencyMs: opts.latencyMs ?? 0,
    latencySpikeRate: opts.latencySpikeRate ?? 0, latencySpikeMs: opts.latencySpikeMs ?? 0, down: false,
    errorsWithStatus200: opts.errorsWithStatus200 ?? false, signInOtherSite: opts.signInOtherSite ?? false,
    overPromise: 0, overPromiseListings: '', pastEndEmpty: false, groupShape: 'standard', unlistedUsers: '', ...opts.habits };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

function describe(world: World, url: string, settings: ServerSettings, tls: TlsMaterial | null): SimInfo {
  const c = world.credentials;
  return {
    url, apiVersion: settings.apiVersion, caCertFile: tls?.caCertFile ?? null,
    sites: world.sites.map((s) => ({ id: s.meta.id, contentUrl: s.meta.contentUrl, name: s.meta.name })),
    pat: { name: c.patName, secret: c.patSecret },
    connectedApp: { ...c.connectedApp, username: c.adminUsername },
    admin: { username: c.adminUsername, password: c.adminPassword },
  };
}

function scimSites(world: World, url: string): SimScimSite[] {
  return world.sites.flatMap((site) => {
    const scim = world.scim?.site(site.meta.id);
    return scim ? [{ siteId: site.meta.id, idpConfigurationId: scim.idpConfigurationId, baseUrl: `${url}${scimBasePath(site.meta.id)}`, token: scim.token }] : [];
  });
}

export async function startSimulator(opts: SimOptions = {}): Promise<RunningSimulator> {
  const world = buildWorld(opts);
  if (opts.scim) world.scim = SimScim.enable(world.sites, opts.seed ?? 1, world.credentials.adminUsername, opts.scimToken);
  const settings: ServerSettings = { apiVersion: opts.apiVersion ?? '3.29', cloud: opts.cloud ?? false, productVersion: opts.productVersion ?? '2026.2.0' };
  const faults = new FaultInjector(opts.seed ?? 1, faultOptions(opts));
  checkHabits(faults.options);
  const stats = new StatsCounter();
  const sessions = new SessionStore((opts.sessionTtlS ?? 14_400) * 1000);
  const interceptor: { current: ResponseInterceptor | null } = { current: null };
  // The outage closes and reopens the listener, which exists only once the handler does.
  const bound: { server?: Server; port?: number } = {};
  const host = opts.host ?? '127.0.0.1';
  const outage = new Outage({
    stop: () => {
      bound.server?.close();
      bound.server?.closeAllConnections();
    },
    restart: async () => {
      // The port is ours: nothing else should take it in the seconds it was closed; if it did, stay down.
      if (bound.server && bound.port !== undefined) await listen(bound.server, bound.port, host).catch(() => undefined);
    },
  });
  const handler = createRequestHandler({ world, sessions, settings, faults, stats, interceptor, outage, notTableau: opts.notTableau });
  const tls = opts.tls ? await createTlsMaterial() : null;
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 65_000;
  const address = await listen(server, opts.port ?? 0, host);
  Object.assign(bound, { server, port: address.port });
  if (opts.outage) outage.schedule(opts.outage);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${tls ? 'https' : 'http'}://${shownHost}:${address.port}`;
  return {
    url, info: describe(world, url, settings, tls),
    state: () => world.state(), stats: () => stats.snapshot(), resetStats: () => stats.reset(),
    setFaults: (f) => faults.set(f),
    startOutage: (spec) => outage.schedule(spec),
    endOutage: () => outage.end(),
    outageStatus: () => outage.status(),
    interceptResponses: (hook) => {
      interceptor.current = hook;
    },
    scim: scimSites(world, url),
    close: () => new Promise<void>((resolve) => {
      outage.close();
      if (!server.listening) resolve();
      else server.close(() => resolve());
      server.closeAllConnections();
      tls?.cleanup();
    }),
  };
}
