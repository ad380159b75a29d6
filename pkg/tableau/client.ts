/**
 * TableauClient: version negotiation, sessions and the server-level endpoints. Site-level endpoints
 * live in {@link SiteClient} handles (one per content URL).
 */
import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { Http, type AttemptResult, type CallSpec, type WireFormat } from './http.js';
import { SessionManager, type AuthEndpoints } from './sessions.js';
import { AdaptiveLimiter, resolveRetryPolicy, type RetryPolicy } from './retry.js';
import { ClientStatsRecorder, type ClientStats } from './stats.js';
import { signInRequest, type TableauCredentials } from './credentials.js';
import { toPage, toServerInfo, toSession, toSite } from './normalize.js';
import { abortedError, wrongSiteError } from './errors.js';
import { checkSignInSupported, majorMinor, versionSupports, type TableauFeature } from './versions.js';
import { SiteClientImpl, type SiteClient } from './site-client.js';
import { shortfallMessage, type ShortfallSink } from './listing-end.js';
import { Listing } from './listing.js';
import { convertTree, queryFor, type PageOptions, type SiteContext } from './site-request.js';
import type { ServerInfo, SessionInfo, TableauPage, TableauSite } from './types.js';
import type { Tree } from './xml-codec.js';
import { untilAborted } from '../util/abort.js';

/** A site listing going on past 100 pages (100,000 sites) is refused. */
const MAX_SITE_PAGES = 100;

/** Options of {@link TableauClient}. */
export interface TableauClientOptions {
  /** `https://host[:port]` or `http://127.0.0.1:port` (validated by the CLI). */
  serverUrl: string;
  credentials: TableauCredentials;
  /** Force a REST API version; default: negotiated from serverinfo. */
  apiVersion?: string;
  /** Injected HTTP dispatcher; default: a keep-alive undici Agent owned (and closed) by the client. */
  dispatcher?: Dispatcher;
  /**
   * Told when a listing read through the client's generators ends short of what Tableau promised
   * (see listing-end.ts); default: a warning in the client's log.
   */
  onShortfall?: ShortfallSink;
  /** Extra CA certificate(s), PEM, trusted by the default dispatcher. */
  ca?: string | Buffer;
  logger?: Logger;
  /** Pages fetched concurrently by full listings (default 4). */
  pageConcurrency?: number;
  /** Requests in flight at most, across all callers (default twice pageConcurrency). */
  maxInFlight?: number;
  /** Retry settings (see retry-schedule.ts); default: outages ridden out for 5 minutes, other failures 6 attempts. */
  retry?: Partial<RetryPolicy>;
  /** Response format requested from Tableau (default `xml`). */
  format?: WireFormat;
  /** How long close() waits for each sign-out (default 5000 ms; one attempt, never retried). */
  signOutTimeoutMs?: number;
}

/** serverinfo exists since 2.4 and answers under any version, so probe with the oldest one. */
const PROBE_VERSION = '2.4';

const DEFAULT_SIGN_OUT_TIMEOUT_MS = 5_000;

/**
 * The Tableau REST client: negotiates the API version, signs in (PAT, connected-app JWT or password)
 * and keeps sessions per site, retries through outages and rate limits, and hands out one
 * {@link SiteClient} per site for the site-scoped calls. Errors are TableauError; every call takes an
 * AbortSignal. Call {@link TableauClient.close} when done (signs out, closes the HTTP pool).
 */
export class TableauClient {
  private readonly http: Http;
  private readonly sessions: SessionManager;
  private readonly statsRecorder = new ClientStatsRecorder();
  private readonly siteClients = new Map<string, SiteClientImpl>();
  private readonly ownedDispatcher: Agent | undefined;
  private readonly baseUrl: string;
  private readonly pageConcurrency: number;
  private readonly retry: RetryPolicy;
  private versionPromise: Promise<string> | undefined;
  /**
   * Aborted by close(): cancels shared work no single caller owns (sign-in, switchSite, version
   * negotiation), which would otherwise keep close() — and a shutdown — waiting through every retry.
   */
  private readonly lifetime = new AbortController();
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: TableauClientOptions) {
    this.baseUrl = opts.serverUrl.replace(/\/+$/, '');
    this.pageConcurrency = Math.max(1, opts.pageConcurrency ?? 4);
    const maxInFlight = Math.max(1, opts.maxInFlight ?? this.pageConcurrency * 2);
    if (!opts.dispatcher) {
      this.ownedDispatcher = new Agent({
        connections: Math.max(8, maxInFlight),
        keepAliveTimeout: 30_000,
        headersTimeout: 120_000,
        bodyTimeout: 120_000,
        // Node's `ca` replaces the default roots; keep them so `ca` adds trust instead.
        connect: opts.ca ? { ca: [...rootCertificates, opts.ca.toString()] } : {},
      });
    }
    this.retry = resolveRetryPolicy(opts.retry);
    this.http = new Http({
      baseUrl: this.baseUrl,
      dispatcher: opts.dispatcher ?? this.ownedDispatcher!,
      retry: this.retry,
      limiter: new AdaptiveLimiter(maxInFlight),
      stats: this.statsRecorder,
      logger: opts.logger,
      format: opts.format ?? 'xml',
    });
    this.sessions = new SessionManager(this.authEndpoints(), opts.credentials.kind === 'pat');
  }

  /** How long one call keeps retrying through an outage (callers bounding shared work leave room for it). */
  get retryBudgetMs(): number {
    return this.retry.budgetMs;
  }

  /**
   * Whether every site shares one session (a personal access token: a second sign-in kills the first),
   * so work on another site waits for a switchSite. Callers do better finishing one site at a time.
   */
  get sharesOneSessionAcrossSites(): boolean {
    return this.opts.credentials.kind === 'pat';
  }

  /** GET serverinfo (unauthenticated). */
  async serverInfo(signal?: AbortSignal): Promise<ServerInfo> {
    const version = this.opts.apiVersion ? majorMinor(this.opts.apiVersion) : PROBE_VERSION;
    const spec: CallSpec = { method: 'GET', path: `/api/${version}/serverinfo`, route: 'GET /serverinfo', idempotent: true, expect: 'tree', signal, probe: true };
    return this.convert(await this.http.call(spec), toServerInfo);
  }

  /**
   * The REST API version used in URLs: the forced one, else serverinfo's (negotiated once, cached).
   * A version too old for the kind of sign-in is refused here, before any sign-in is sent.
   */
  async apiVersion(signal?: AbortSignal): Promise<string> {
    const kind = this.opts.credentials.kind;
    if (this.opts.apiVersion) {
      const forced = majorMinor(this.opts.apiVersion);
      checkSignInSupported(kind, forced);
      return forced;
    }
    if (!this.versionPromise) {
      this.versionPromise = this.serverInfo(this.lifetime.signal).then((info) => {
        const version = majorMinor(info.restApiVersion);
        checkSignInSupported(kind, version, info.productVersion);
        return version;
      });
      // A failed negotiation is not cached: the next call tries again.
      this.versionPromise.catch(() => (this.versionPromise = undefined));
    }
    return raceAbort(this.versionPromise, signal);
  }

  /** Whether the negotiated REST API version has `feature` (see versions.ts for the minimums). */
  async supports(feature: TableauFeature, signal?: AbortSignal): Promise<boolean> {
    return versionSupports(await this.apiVersion(signal), feature);
  }

  /** The handle for one site (`""` = Default); the same object for the same content URL. */
  site(contentUrl: string): SiteClient {
    let client = this.siteClients.get(contentUrl);
    if (!client) {
      client = new SiteClientImpl(contentUrl, this.siteContext(contentUrl));
      this.siteClients.set(contentUrl, client);
    }
    return client;
  }

  /** Query Sites (server administrators). Tableau Cloud → TableauError SITES_QUERY_NOT_SUPPORTED. */
  async listSites(opts: PageOptions = {}): Promise<TableauPage<TableauSite>> {
    const version = await this.apiVersion(opts.signal);
    // Any signed-in site will do for this server-wide call; else the first site asked for, else Default.
    const site = this.sessions.liveSite() ?? this.siteClients.keys().next().value ?? '';
    const spec: CallSpec = {
      method: 'GET', path: `/api/${version}/sites`, route: 'GET /sites', idempotent: true, expect: 'tree', signal: opts.signal,
      query: queryFor(version, { pageSize: opts.pageSize ?? 100, pageNumber: opts.pageNumber ?? 1, sort: opts.sort, filter: opts.filter, fields: opts.fields }),
    };
    return this.convert(await this.http.call(spec, this.sessions.forSite(site)), (body) => toPage(body, 'sites', 'site', toSite));
  }

  /** Every site (server administrators), one page after another; `onShortfall` overrides the client's. */
  async *sites(opts: { signal?: AbortSignal; onShortfall?: ShortfallSink } = {}): AsyncGenerator<TableauSite> {
    const listing = new Listing<TableauSite>({ what: 'sites', idOf: (site) => site.id, read: (pageNumber, pageSize, signal) => this.listSites({ pageNumber, pageSize, signal }) });
    const pages = listing.oneByOne({ maxPages: MAX_SITE_PAGES, signal: opts.signal, onShortfall: opts.onShortfall ?? this.onShortfall });
    for await (const page of pages) yield* page.items;
  }

  /** Request counts, retries, bytes and timings so far (a snapshot). */
  stats(): ClientStats {
    return this.statsRecorder.snapshot();
  }

  /** Signs out every live session and closes the owned dispatcher; idempotent (every caller waits for the same close). */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.lifetime.abort();
    await this.sessions.closeAll();
    await this.ownedDispatcher?.close();
  }

  private siteContext(contentUrl: string): SiteContext {
    return {
      http: this.http,
      session: this.sessions.forSite(contentUrl),
      sessionInfo: (signal) => this.sessions.sessionFor(contentUrl, signal),
      apiVersion: (signal) => this.apiVersion(signal),
      pageConcurrency: this.pageConcurrency,
      onShortfall: this.onShortfall,
    };
  }

  /** Where shortfalls of the client's generators go (see {@link TableauClientOptions.onShortfall}). */
  private readonly onShortfall: ShortfallSink = (shortfall) => {
    if (this.opts.onShortfall) this.opts.onShortfall(shortfall);
    else this.opts.logger?.warn({ listing: shortfall.listing, promised: shortfall.promised, delivered: shortfall.delivered }, shortfallMessage(shortfall));
  };
  /**
   * The session Tableau opened must be on the site asked for (content URLs compare case-insensitively:
   * `samples` is Tableau's `Samples`). A session on another site is signed out and refused: labelling
   * its users with the site asked for would be wrong.
   */
  private async onSiteAsked(asked: string, session: SessionInfo): Promise<SessionInfo> {
    const answered = session.siteContentUrl;
    if (answered === undefined || answered.toLowerCase() === asked.toLowerCase()) return session;
    await this.authEndpoints().signOut(session.token).catch(() => undefined);
    throw wrongSiteError(asked, answered, session.siteId);
  }

  private convert<T>(result: AttemptResult, convert: (body: Tree) => T): T {
    return convertTree(result.endpoint, result.tree ?? {}, convert);
  }

  private authEndpoints(): AuthEndpoints {
    const signal = this.lifetime.signal;
    const call = async (path: string, route: string, body: CallSpec['body'], token?: string): Promise<SessionInfo> => {
      const version = await this.apiVersion(signal);
      const spec: CallSpec = {
        method: 'POST', path: `/api/${version}${path}`, route, body, idempotent: false, replayWithCheck: true,
        expect: 'tree', signIn: token === undefined, staticToken: token, signal,
      };
      return this.convert(await this.http.call(spec), toSession);
    };
    return {
      // Built per attempt: a replayed sign-in (lost response) needs a fresh JWT, Tableau refuses a used jti.
      signIn: async (contentUrl) =>
        this.onSiteAsked(contentUrl, await call('/auth/signin', 'POST /auth/signin', () => signInRequest(this.opts.credentials, contentUrl))),
      switchSite: async (token, contentUrl) =>
        this.onSiteAsked(contentUrl, await call('/auth/switchSite', 'POST /auth/switchSite', { site: { contentUrl } }, token)),
      // Runs during close(), after `lifetime` fired: bounded by its own short timeout and never retried,
      // since an unreachable Tableau must not hold a shutdown past its grace period.
      signOut: async (token) => {
        const timeout = AbortSignal.timeout(this.opts.signOutTimeoutMs ?? DEFAULT_SIGN_OUT_TIMEOUT_MS);
        const version = await this.apiVersion(timeout);
        await this.http.call({
          method: 'POST', path: `/api/${version}/auth/signout`, route: 'POST /auth/signout', idempotent: true, expect: 'none',
          staticToken: token, signal: timeout, maxAttempts: 1,
        });
      },
      onSignIn: (reason) => {
        this.statsRecorder.signIn();
        if (reason === 'reauth') this.statsRecorder.reauth();
      },
    };
  }
}

/** Waits for a shared promise while letting this caller give up on abort. */
function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  return untilAborted(promise, signal, (reason) => abortedError('version negotiation', reason));
}
