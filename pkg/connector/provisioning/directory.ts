/**
 * Where things live. Grant/Revoke requests in service mode omit parent ids, and user and group LUIDs
 * are per site, so provisioning finds the site of a user or group by asking each configured site,
 * and caches the answer (user → site, group → site + the group's attributes).
 */
import type { SiteClient, TableauClient } from '../../tableau/index.js';
import { TableauError } from '../../tableau/errors.js';
import type { TableauGroup, TableauUser } from '../../tableau/types.js';
import { invalidArgument, notFound } from '../errors.js';

/** The sites provisioning may act on: listed content URLs, or every site the credentials reach. */
export type SiteSelection = { contentUrls: string[] } | { all: true };

/** A configured site with its LUID resolved. */
export interface SiteRef {
  luid: string;
  contentUrl: string;
  client: SiteClient;
}

export const isNotFound = (err: unknown): boolean => err instanceof TableauError && err.code === 'NOT_FOUND';

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
export function sharedWorkTimeoutMs(client: TableauClient): number {
  return SHARED_WORK_TIMEOUT_MS + 2 * client.retryBudgetMs;
}

/**
 * A group id no site knows lists the sites' groups again (the group may be new), but at most this
 * often per site, so that requests for a deleted group cannot keep Tableau busy with listings.
 */
const GROUP_RELIST_MS = 30_000;

export class SiteDirectory {
  private resolved: Promise<SiteRef[]> | undefined;
  private readonly userSite = new Map<string, SiteRef>();
  private readonly groups = new Map<string, { site: SiteRef; group: TableauGroup }>();
  private readonly groupLoads = new Map<string, Promise<void>>();
  /** When each site's groups were last listed (ms since the epoch). */
  private readonly listedAt = new Map<string, number>();

  constructor(
    private readonly client: TableauClient,
    private readonly selection: SiteSelection,
  ) {}

  /** Every configured site, LUIDs resolved once (signing in to each). */
  sites(signal: AbortSignal): Promise<SiteRef[]> {
    this.resolved ??= this.resolveSites(AbortSignal.timeout(SHARED_WORK_TIMEOUT_MS)).catch((err: unknown) => {
      this.resolved = undefined;
      throw err;
    });
    return untilAborted(this.resolved, signal);
  }

  async siteByLuid(luid: string, signal: AbortSignal): Promise<SiteRef> {
    const site = (await this.sites(signal)).find((s) => s.luid === luid);
    if (!site) throw notFound(`site ${luid} is not one of the configured sites`);
    return site;
  }

  /** The site with this content URL, or the first configured site when `contentUrl` is undefined. */
  async siteByContentUrl(contentUrl: string | undefined, signal: AbortSignal): Promise<SiteRef> {
    const sites = await this.sites(signal);
    const site = contentUrl === undefined ? sites[0] : sites.find((s) => s.contentUrl === contentUrl);
    if (!site) throw invalidArgument(`site "${contentUrl ?? ''}" is not one of the configured sites`);
    return site;
  }

  /** The user and its site, fresh from Tableau; undefined when no configured site has it. */
  async findUser(userLuid: string, signal: AbortSignal, hint?: SiteRef): Promise<{ site: SiteRef; user: TableauUser } | undefined> {
    const first = hint ?? this.userSite.get(userLuid);
    const candidates = first ? [first] : [];
    for (const site of await this.sites(signal)) if (site !== first) candidates.push(site);
    for (const site of candidates) {
      const user = await getUserOrUndefined(site, userLuid, signal);
      if (user) {
        this.userSite.set(userLuid, site);
        return { site, user };
      }
    }
    this.userSite.delete(userLuid);
    return undefined;
  }

  forgetUser(userLuid: string): void {
    this.userSite.delete(userLuid);
  }

  /** The group, its attributes and its site; undefined when no configured site has it. */
  async findGroup(groupLuid: string, signal: AbortSignal): Promise<{ site: SiteRef; group: TableauGroup } | undefined> {
    const cached = this.groups.get(groupLuid);
    if (cached) return cached;
    for (const site of await this.sites(signal)) {
      const listedAt = this.listedAt.get(site.luid);
      if (listedAt !== undefined && Date.now() - listedAt < GROUP_RELIST_MS) continue;
      await this.loadGroups(site, signal);
      const found = this.groups.get(groupLuid);
      if (found) return found;
    }
    return undefined;
  }

  /** Groups of a site by LUID (from the same cache findGroup fills; listed once if never listed). */
  async groupsOfSite(site: SiteRef, signal: AbortSignal): Promise<Map<string, TableauGroup>> {
    if (!this.listedAt.has(site.luid)) await this.loadGroups(site, signal);
    const out = new Map<string, TableauGroup>();
    for (const [id, entry] of this.groups) if (entry.site === site) out.set(id, entry.group);
    return out;
  }

  /** Lists a site's groups; concurrent misses share one listing, a later miss lists again (new groups). */
  private loadGroups(site: SiteRef, callerSignal: AbortSignal): Promise<void> {
    const running = this.groupLoads.get(site.luid);
    if (running) return untilAborted(running, callerSignal);
    const signal = AbortSignal.timeout(SHARED_WORK_TIMEOUT_MS);
    const load = (async () => {
      for await (const group of site.client.groups({ signal })) this.groups.set(group.id, { site, group });
      this.listedAt.set(site.luid, Date.now());
    })().finally(() => this.groupLoads.delete(site.luid));
    this.groupLoads.set(site.luid, load);
    return untilAborted(load, callerSignal);
  }

  private async resolveSites(signal: AbortSignal): Promise<SiteRef[]> {
    const contentUrls = 'all' in this.selection ? await this.allContentUrls(signal) : this.selection.contentUrls;
    if (contentUrls.length === 0) throw invalidArgument('no Tableau site is configured');
    const sites: SiteRef[] = [];
    for (const contentUrl of contentUrls) {
      const client = this.client.site(contentUrl);
      const signedIn = await client.signedInSite(signal);
      sites.push({ luid: signedIn.id, contentUrl: signedIn.contentUrl, client });
    }
    return sites;
  }

  private async allContentUrls(signal: AbortSignal): Promise<string[]> {
    const urls: string[] = [];
    for await (const site of this.client.sites({ signal })) urls.push(site.contentUrl);
    return urls;
  }
}

/** Waits for shared work, or rejects with the caller's abort reason (the work itself goes on). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function getUserOrUndefined(site: SiteRef, userLuid: string, signal: AbortSignal): Promise<TableauUser | undefined> {
  try {
    return await site.client.getUser(userLuid, signal);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
