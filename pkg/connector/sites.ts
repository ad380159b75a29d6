/**
 * The one site directory: the sites one connector syncs and provisions, i.e. the content URLs it was
 * given, or every site of the server (Tableau Server administrators). Resolves site LUIDs to per-site
 * client handles and memoises Query Site (with usage) once per site per sync. Sync and provisioning
 * share it, and so share one behaviour: the client's site listing (duplicates removed, a page cap that
 * fails loudly), Tableau Cloud's "no Query Sites" explained, FAILED_PRECONDITION for no site at all.
 */
import { TableauError, type SiteClient, type TableauClient, type TableauSite } from '../tableau/index.js';
import type { SiteSelection } from '../tableau/types.js';
import { untilAborted } from '../util/abort.js';
import { ConnectorError, failedPrecondition, notFound } from './errors.js';
import { warnShortfall } from './warnings.js';
import type { SyncCache } from './sync-cache.js';
import type { CallCtx } from './types.js';

export type { SiteSelection } from '../tableau/types.js';

/**
 * Work shared by concurrent requests (site resolution, group listings) does not stop when the request
 * that started it is cancelled (the others still wait for it); it is bounded by this instead. For
 * provisioning this is deliberately shorter than the client's outage budget: a request waiting on
 * shared work fails after two minutes and Baton retries the task later, rather than every queued
 * grant holding its caller for the whole budget. A request's own calls are bounded by its gRPC deadline.
 */
export const SHARED_WORK_TIMEOUT_MS = 120_000;

/**
 * The bound on a sync's shared work with `client`: the normal two minutes plus room for two calls (a
 * sign-in and the call after it) each riding out a whole outage, so that a sync waiting out a Tableau
 * restart is not cancelled.
 */
function sharedWorkTimeoutMs(client: TableauClient): number {
  return SHARED_WORK_TIMEOUT_MS + 2 * client.retryBudgetMs;
}

/** A synced site: its LUID, content URL and the client handle bound to it. */
export interface SiteRef {
  id: string;
  contentUrl: string;
  client: SiteClient;
}

const CLOUD_ALL_SITES_MESSAGE =
  'this Tableau (Tableau Cloud) cannot list its sites: instead of --all-sites, name each site with ' +
  '--site-id (Tableau Cloud needs a sign-in, and so a token, for each site)';

/** What the resource types need from the site directory. */
export interface SiteLookup {
  list(ctx: CallCtx): Promise<SiteRef[]>;
  get(siteId: string, ctx: CallCtx): Promise<SiteRef>;
  details(site: SiteRef, ctx: CallCtx): Promise<TableauSite>;
}

const ALL_SITES_SIGN_IN_MESSAGE =
  'signing in to the Default site failed: --all-sites needs a Tableau Server administrator; ' +
  'on Tableau Cloud name each site with --site-id instead';

/** The configured sites, resolved lazily through the client (see the module comment). */
export class SiteDirectory implements SiteLookup {
  private readonly handles = new Map<string, SiteClient>();
  private resolvedByContentUrl: Promise<SiteRef[]> | undefined;
  private resolvedForProvisioning: Promise<SiteRef[]> | undefined;

  constructor(
    private readonly client: TableauClient,
    private readonly selection: SiteSelection,
    private readonly cache: SyncCache,
  ) {}

  /**
   * The synced sites in a stable order (the configured order, or Tableau's site listing). The listing
   * is shared by concurrent calls, so it runs under its own time limit rather than the signal of
   * whichever call started it: one cancelled call must not fail the others waiting for it.
   */
  list(ctx: CallCtx): Promise<SiteRef[]> {
    const state = this.cache.forSync(ctx.syncId);
    if (state === undefined) return untilAborted(this.resolve(ctx), ctx.signal);
    state.siteList ??= this.resolve(ctx);
    const pending = state.siteList;
    pending.catch(() => {
      if (state.siteList === pending) state.siteList = undefined;
    });
    return untilAborted(pending, ctx.signal);
  }

  /** The synced site with this LUID; NOT_FOUND when it is not one of them. */
  async get(siteId: string, ctx: CallCtx): Promise<SiteRef> {
    const site = (await this.list(ctx)).find((s) => s.id === siteId);
    if (site === undefined) throw notFound(`site ${siteId} is not one of the synced sites`);
    return site;
  }

  /**
   * The sites provisioning acts on, resolved once for the connector's lifetime (a failure is forgotten)
   * under {@link SHARED_WORK_TIMEOUT_MS}; FAILED_PRECONDITION when there is none.
   */
  configured(signal: AbortSignal, log: CallCtx['log']): Promise<SiteRef[]> {
    this.resolvedForProvisioning ??= this.resolve({ signal, log, syncId: '' }, SHARED_WORK_TIMEOUT_MS)
      .then((sites) => {
        if (sites.length === 0) throw noSitesConfigured();
        return sites;
      })
      .catch((err: unknown) => {
        this.resolvedForProvisioning = undefined;
        throw err;
      });
    return untilAborted(this.resolvedForProvisioning, signal);
  }

  /** Query Site with usage, once per site per sync. */
  details(site: SiteRef, ctx: CallCtx): Promise<TableauSite> {
    const load = () => site.client.getSite({ includeUsage: true, signal: ctx.signal });
    const state = this.cache.forSync(ctx.syncId);
    return state === undefined ? load() : state.siteDetailsOf(site.id, load);
  }

  private resolve(callerCtx: CallCtx, timeoutMs = sharedWorkTimeoutMs(this.client)): Promise<SiteRef[]> {
    const ctx = { ...callerCtx, signal: AbortSignal.timeout(timeoutMs) };
    if ('all' in this.selection) return this.resolveAll(ctx);
    // Content URL → LUID never changes for a connector's lifetime: resolve once (a failure is forgotten).
    const contentUrls = this.selection.contentUrls;
    this.resolvedByContentUrl ??= inSequence(contentUrls, (url) => this.resolveOne(url, ctx));
    const pending = this.resolvedByContentUrl;
    pending.catch(() => {
      if (this.resolvedByContentUrl === pending) this.resolvedByContentUrl = undefined;
    });
    return pending;
  }

  private async resolveOne(contentUrl: string, ctx: CallCtx): Promise<SiteRef> {
    const client = this.handle(contentUrl);
    // Labelled as Tableau answered, not as configured: `--site-id samples` is Tableau's `Samples`.
    const signedIn = await client.signedInSite(ctx.signal);
    const site = { id: signedIn.id, contentUrl: signedIn.contentUrl, client };
    // Read the site's details (Validate's next step) while the session is on it: with a personal
    // access token, coming back later would cost another switchSite.
    if (this.cache.forSync(ctx.syncId) !== undefined) await this.details(site, ctx);
    return site;
  }

  private async resolveAll(ctx: CallCtx): Promise<SiteRef[]> {
    const sites: SiteRef[] = [];
    try {
      for await (const site of this.client.sites({ signal: ctx.signal, onShortfall: (s) => warnShortfall(ctx, s) })) {
        sites.push({ id: site.id, contentUrl: site.contentUrl, client: this.handle(site.contentUrl) });
      }
    } catch (err) {
      throw explainSiteListingFailure(err);
    }
    return sites;
  }

  private handle(contentUrl: string): SiteClient {
    let handle = this.handles.get(contentUrl);
    if (handle === undefined) {
      handle = this.client.site(contentUrl);
      this.handles.set(contentUrl, handle);
    }
    return handle;
  }
}

function explainSiteListingFailure(err: unknown): unknown {
  if (err instanceof TableauError && err.code === 'SITES_QUERY_NOT_SUPPORTED') {
    return new ConnectorError('FAILED_PRECONDITION', CLOUD_ALL_SITES_MESSAGE, { cause: err });
  }
  // Listing sites signs in to the Default site, which Tableau Cloud does not have.
  if (err instanceof TableauError && err.code === 'SIGN_IN_FAILED') {
    return new ConnectorError('UNAUTHENTICATED', ALL_SITES_SIGN_IN_MESSAGE, { cause: err });
  }
  return err;
}

/**
 * Runs `fn` over `items` one at a time. With a personal access token only one site session can be live,
 * so work on several sites at once would make the client switch sites back and forth.
 */
export async function inSequence<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await fn(item));
  return out;
}

/** Raised when the configuration names no site at all (sync and provisioning alike). */
export function noSitesConfigured(): ConnectorError {
  return failedPrecondition('no Tableau site to sync: give --site-id (repeatable) or --all-sites');
}
