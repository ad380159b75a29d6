/**
 * What Tableau tells about SCIM, in two parts.
 *
 * 1. The REST side (always read): Query Site's `idpConfigurationIdForScim` attribute (XSD 3.29
 *    `siteType`), set when SCIM is enabled on the site and naming the IdP configuration SCIM provisions
 *    through; users carry `idpConfigurationId` (XSD `userType`). Tableau Server gained site-level SCIM
 *    in 2025.3 (REST API 3.27): below that version the attribute cannot be present, so "absent" means
 *    "cannot tell" rather than "SCIM off". The REST SCIM-configuration methods (`scimConfigurationType`,
 *    `createServerScimConfigRequest` in the XSD) are not called: their paths are not documented where
 *    we could verify them, and the site attribute answers the question we have.
 * 2. The opt-in SCIM read ({@link ScimReader}): Tableau's SCIM 2.0 service (RFC 7644) at the site's
 *    SCIM base URL (Tableau Cloud: `https://scim.online.tableau.com/pods/<pod>/sites/<site LUID>/scim/v2`)
 *    with the SCIM bearer secret an administrator generated. It lists `/Users` and `/Groups` page by
 *    page (`startIndex`, `count`, `totalResults`) and looks single names up with `filter`.
 *
 * The bearer secret is sent only in the Authorization header and never appears in an error or log.
 */
import { compareVersions } from './versions.js';

/** First REST API version whose sites can carry `idpConfigurationIdForScim` (Tableau Server 2025.3). */
const SCIM_MIN_API_VERSION = '3.27';

/** The opt-in SCIM read: the site's SCIM base URL and its bearer secret. */
export interface ScimSettings {
  /** `…/sites/<site LUID>/scim/v2`, no trailing slash. */
  readonly baseUrl: string;
  readonly token: string;
}

/** SCIM as the site's REST attributes show it. `known` is false where the version cannot say. */
export interface SiteScimAttributes {
  known: boolean;
  enabled: boolean;
  idpConfigurationId?: string;
}

/** The site's SCIM state from Query Site and the negotiated REST API version. */
export function siteScimAttributes(site: { idpConfigurationIdForScim?: string }, apiVersion: string): SiteScimAttributes {
  const idp = site.idpConfigurationIdForScim;
  if (idp !== undefined) return { known: true, enabled: true, idpConfigurationId: idp };
  return { known: compareVersions(apiVersion, SCIM_MIN_API_VERSION) >= 0, enabled: false };
}

/** Users and groups the SCIM service holds: ids and lower-cased names. */
export interface ScimDirectory {
  userIds: Set<string>;
  userNames: Set<string>;
  groupIds: Set<string>;
  groupNames: Set<string>;
}

/** SCIM asks for at most this many resources a page (servers may send fewer). */
const SCIM_PAGE_SIZE = 100;
/** A listing longer than this many pages is a server that does not advance: stop with an error. */
const MAX_PAGES = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;

/** Raised for a failed SCIM read; the message names the path and status, never the secret. */
class ScimError extends Error {
  override readonly name = 'ScimError';
}

interface ListResponse {
  totalResults?: number;
  itemsPerPage?: number;
  Resources?: Record<string, unknown>[];
}

/** A read-only client of one site's SCIM service. */
export class ScimReader {
  private readonly base: URL;

  constructor(private readonly settings: ScimSettings) {
    this.base = new URL(`${settings.baseUrl.replace(/\/+$/, '')}/`);
  }

  /** Whether the base URL belongs to this site (Tableau's SCIM URLs carry the site LUID). */
  servesSite(siteLuid: string): boolean {
    return this.base.pathname.toLowerCase().includes(`/sites/${siteLuid.toLowerCase()}/`);
  }

  /** Every user and group of the SCIM service, read page by page. */
  async directory(signal: AbortSignal): Promise<ScimDirectory> {
    const dir: ScimDirectory = { userIds: new Set(), userNames: new Set(), groupIds: new Set(), groupNames: new Set() };
    for await (const u of this.list('Users', signal)) addIdAndName(dir.userIds, dir.userNames, u['id'], u['userName']);
    for await (const g of this.list('Groups', signal)) addIdAndName(dir.groupIds, dir.groupNames, g['id'], g['displayName']);
    return dir;
  }

  /** Whether SCIM holds the user with this sign-in name (`userName eq "…"`). */
  async hasUser(userName: string, signal: AbortSignal): Promise<boolean> {
    return (await this.page('Users', { filter: `userName eq ${scimString(userName)}`, count: '1' }, signal)).length > 0;
  }

  /** Whether SCIM holds the group with this name (`displayName eq "…"`). */
  async hasGroup(name: string, signal: AbortSignal): Promise<boolean> {
    const query = { filter: `displayName eq ${scimString(name)}`, excludedAttributes: 'members', count: '1' };
    return (await this.page('Groups', query, signal)).length > 0;
  }

  private async *list(kind: 'Users' | 'Groups', signal: AbortSignal): AsyncGenerator<Record<string, unknown>> {
    let startIndex = 1;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const query: Record<string, string> = { startIndex: String(startIndex), count: String(SCIM_PAGE_SIZE) };
      if (kind === 'Groups') query['excludedAttributes'] = 'members';
      const body = await this.get(kind, query, signal);
      const resources = body.Resources ?? [];
      yield* resources;
      startIndex += resources.length;
      // SCIM's end: no resources, or past totalResults (1-based startIndex). Without a numeric
      // totalResults, read on until an empty page rather than stop after the first.
      const total = typeof body.totalResults === 'number' ? body.totalResults : Number.POSITIVE_INFINITY;
      if (resources.length === 0 || startIndex > total) return;
    }
    throw new ScimError(`SCIM ${kind} listing did not end after ${MAX_PAGES} pages`);
  }

  private async page(kind: 'Users' | 'Groups', query: Record<string, string>, signal: AbortSignal): Promise<Record<string, unknown>[]> {
    return (await this.get(kind, query, signal)).Resources ?? [];
  }

  private async get(kind: string, query: Record<string, string>, signal: AbortSignal): Promise<ListResponse> {
    const url = new URL(kind, this.base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const where = `SCIM GET ${url.pathname}`;
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { authorization: `Bearer ${this.settings.token}`, accept: 'application/scim+json, application/json' },
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
    } catch (err) {
      // fetch's messages name the failure (`fetch failed`, a timeout), never the request headers.
      throw new ScimError(`${where} failed: ${err instanceof Error ? err.message : 'network error'}`);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new ScimError(`${where} answered ${res.status}: the SCIM secret (--scim-token) was refused`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new ScimError(`${where} answered ${res.status}`);
    }
    try {
      return (await res.json()) as ListResponse;
    } catch {
      throw new ScimError(`${where} did not answer SCIM JSON`);
    }
  }
}

function addIdAndName(ids: Set<string>, names: Set<string>, id: unknown, name: unknown): void {
  if (typeof id === 'string') ids.add(id.toLowerCase());
  if (typeof name === 'string') names.add(name.toLowerCase());
}

/** A SCIM filter string literal (RFC 7644 §3.4.2.2: JSON string). */
const scimString = (value: string): string => JSON.stringify(value);
