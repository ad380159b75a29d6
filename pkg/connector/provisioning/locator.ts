/**
 * Where users and groups live. Grant/Revoke requests in service mode omit parent ids, and user and
 * group LUIDs are per site, so provisioning finds the site of a user or group by asking each configured
 * site (from the one SiteDirectory), and caches the answer (user → site, group → site + the group's
 * attributes).
 */
import type { Logger } from 'pino';
import { TableauError } from '../../tableau/errors.js';
import type { TableauGroup, TableauUser } from '../../tableau/types.js';
import { untilAborted } from '../../util/abort.js';
import { invalidArgument, notFound } from '../errors.js';
import { SHARED_WORK_TIMEOUT_MS, type SiteDirectory, type SiteRef } from '../sites.js';

export type { SiteRef } from '../sites.js';

export const isNotFound = (err: unknown): boolean => err instanceof TableauError && err.code === 'NOT_FOUND';

/**
 * A group id no site knows lists the sites' groups again (the group may be new), but at most this
 * often per site, so that requests for a deleted group cannot keep Tableau busy with listings.
 */
const GROUP_RELIST_MS = 30_000;

export class Locator {
  private readonly userSite = new Map<string, SiteRef>();
  private readonly groups = new Map<string, { site: SiteRef; group: TableauGroup }>();
  private readonly groupLoads = new Map<string, Promise<void>>();
  /** When each site's groups were last listed (ms since the epoch). */
  private readonly listedAt = new Map<string, number>();

  constructor(
    private readonly siteDirectory: SiteDirectory,
    private readonly log: Logger,
  ) {}

  /** Every configured site, LUIDs resolved once (signing in to each). */
  sites(signal: AbortSignal): Promise<SiteRef[]> {
    return this.siteDirectory.configured(signal, this.log);
  }

  async siteByLuid(luid: string, signal: AbortSignal): Promise<SiteRef> {
    const site = (await this.sites(signal)).find((s) => s.id === luid);
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
      const listedAt = this.listedAt.get(site.id);
      if (listedAt !== undefined && Date.now() - listedAt < GROUP_RELIST_MS) continue;
      await this.loadGroups(site, signal);
      const found = this.groups.get(groupLuid);
      if (found) return found;
    }
    return undefined;
  }

  /** Groups of a site by LUID (from the same cache findGroup fills; listed once if never listed). */
  async groupsOfSite(site: SiteRef, signal: AbortSignal): Promise<Map<string, TableauGroup>> {
    if (!this.listedAt.has(site.id)) await this.loadGroups(site, signal);
    const out = new Map<string, TableauGroup>();
    for (const [id, entry] of this.groups) if (entry.site === site) out.set(id, entry.group);
    return out;
  }

  /** Lists a site's groups; concurrent misses share one listing, a later miss lists again (new groups). */
  private loadGroups(site: SiteRef, callerSignal: AbortSignal): Promise<void> {
    const running = this.groupLoads.get(site.id);
    if (running) return untilAborted(running, callerSignal);
    const signal = AbortSignal.timeout(SHARED_WORK_TIMEOUT_MS);
    const load = (async () => {
      for await (const group of site.client.groups({ signal })) this.groups.set(group.id, { site, group });
      this.listedAt.set(site.id, Date.now());
    })().finally(() => this.groupLoads.delete(site.id));
    this.groupLoads.set(site.id, load);
    return untilAborted(load, callerSignal);
  }
}

async function getUserOrUndefined(site: SiteRef, userLuid: string, signal: AbortSignal): Promise<TableauUser | undefined> {
  try {
    return await site.client.getUser(userLuid, signal);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
