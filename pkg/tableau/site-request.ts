/**
 * The small request helper shared by the site endpoints: builds versioned site paths, runs the call
 * through the session of the site and converts the body, turning shape problems into PARSE errors.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { AttemptResult, CallSpec, Http, HttpMethod, SessionSource, WireFormat } from './http.js';
import { parseError, TableauError, type Endpoint } from './errors.js';
import { ShapeError, toPage } from './normalize.js';
import type { ShortfallSink } from './listing-end.js';
import { Listing } from './listing.js';
import { requireFeature, versionSupports, type TableauFeature } from './versions.js';
import type { SessionInfo, TableauPage } from './types.js';
import type { RequestNode, Tree } from './xml-codec.js';

/** Paging, sorting, filtering and field selection of a listing call (Tableau pageNumber is 1-based). */
export interface PageOptions {
  pageNumber?: number;
  pageSize?: number;
  sort?: string;
  filter?: string;
  fields?: string;
  signal?: AbortSignal;
  /** Generators: told when the listing ends short of its promise (default: the client's sink). */
  onShortfall?: ShortfallSink;
}

/** What a site handle needs from its client. */
export interface SiteContext {
  http: Http;
  session: SessionSource;
  sessionInfo(signal?: AbortSignal): Promise<SessionInfo>;
  apiVersion(signal?: AbortSignal): Promise<string>;
  pageConcurrency: number;
  /** Where the generators report listings that end short of their promise. */
  onShortfall: ShortfallSink;
}

/** One site request: `path` is relative to `/sites/{site-luid}` (empty for the site itself). */
export interface SiteCall {
  method: HttpMethod;
  path: string;
  /** Stats key relative to the site, ids as `{}` (e.g. `/users/{}`). */
  route: string;
  query?: CallSpec['query'];
  body?: RequestNode;
  idempotent?: boolean;
  replayWithCheck?: boolean;
  expect?: CallSpec['expect'];
  feature?: TableauFeature;
  signal?: AbortSignal | undefined;
  /** Absolute path outside the versioned site tree (authn-service). */
  rootPath?: string;
  /** Overrides the client's wire format for this call (see CallSpec.format). */
  format?: WireFormat;
}

export class SiteRequester {
  constructor(readonly ctx: SiteContext) {}

  /** Runs a site call and returns the parsed body (tree or service JSON). */
  async run(call: SiteCall): Promise<AttemptResult> {
    const version = await this.ctx.apiVersion(call.signal);
    if (call.feature) requireFeature(version, call.feature);
    const rootPath = call.rootPath;
    const spec: CallSpec = {
      method: call.method,
      path: rootPath ?? ((siteId: string) => `/api/${version}/sites/${encodeURIComponent(siteId)}${call.path}`),
      route: rootPath ? `${call.method} ${call.route}` : `${call.method} /sites/{}${call.route}`,
      query: queryFor(version, call.query),
      body: call.body,
      idempotent: call.idempotent ?? call.method !== 'POST',
      replayWithCheck: call.replayWithCheck,
      expect: call.expect ?? 'tree',
      signal: call.signal,
      format: call.format,
    };
    return this.ctx.http.call(spec, this.ctx.session);
  }

  /** Runs a call and converts the tsResponse content. */
  async convert<T>(call: SiteCall, convert: (body: Tree) => T): Promise<T> {
    const { tree, endpoint } = await this.run(call);
    // Parsing a page of 1,000 users and converting it take ~5 ms each: a turn of the event loop in
    // between lets other requests' responses in, so that they do not wait for both (a sync keeps
    // several listings going, and a response waiting on this thread holds back the next request).
    await yieldToIo();
    return convertTree(endpoint, tree ?? {}, convert);
  }

  /** A listing page with the usual paging/sort/filter/fields parameters. */
  page<T>(call: SiteCall, opts: PageOptions, list: string, item: string, convert: (node: Tree) => T): Promise<TableauPage<T>> {
    const query = {
      pageSize: opts.pageSize ?? 100,
      pageNumber: opts.pageNumber ?? 1,
      sort: opts.sort,
      filter: opts.filter,
      fields: opts.fields,
      ...call.query,
    };
    return this.convert({ ...call, query, signal: opts.signal }, (body) => toPage(body, list, item, convert));
  }

  /**
   * Every page of a listing (the listing model's drain), sorted `name:asc` unless told otherwise, read
   * ahead by the client's page concurrency; `read` is the listing's page call.
   */
  drain<T>(what: string, idOf: (item: T) => string, opts: PageOptions, read: (opts: PageOptions) => Promise<TableauPage<T>>): AsyncGenerator<TableauPage<T>> {
    const sort = opts.sort ?? 'name:asc';
    const listing = new Listing<T>({ what, idOf, pageSize: opts.pageSize, read: (pageNumber, pageSize, signal) => read({ ...opts, pageNumber, pageSize, sort, signal }) });
    return listing.drain({ concurrency: this.ctx.pageConcurrency, signal: opts.signal, onShortfall: opts.onShortfall ?? this.ctx.onShortfall });
  }
}

/**
 * The query parameters `version` understands: `fields` (REST API 2.5+) is left out on older servers,
 * which then answer with their default fields rather than refusing the request.
 */
export function queryFor(version: string, query: CallSpec['query']): CallSpec['query'] {
  if (query?.['fields'] === undefined || versionSupports(version, 'fields')) return query;
  const { fields: _unsupported, ...rest } = query;
  return rest;
}

/** Converts a body, reporting shape problems as PARSE errors that name the endpoint (LUIDs kept). */
export function convertTree<T>(endpoint: Endpoint, body: Tree, convert: (body: Tree) => T): T {
  try {
    return convert(body);
  } catch (err) {
    if (!(err instanceof ShapeError)) throw err;
    throw parseError(endpoint, err.message, err, false);
  }
}

/** Resolves to `fallback` when `err` is a TableauError matching `codes`; rethrows anything else. */
export function unless<T>(err: unknown, match: (e: TableauError) => boolean, fallback: (e: TableauError) => T): T {
  if (err instanceof TableauError && match(err)) return fallback(err);
  throw err;
}

/**
 * One `field:operator:value` filter term. Tableau splits filter expressions on `,` and `&` even when
 * they are URL-encoded, so such a value would silently match something else (or nothing): refuse it
 * before sending. Colons are fine — Tableau splits only the first two (date filters carry colons).
 */
export function filterTerm(field: string, operator: string, value: string): string {
  if (/[,&]/.test(value)) {
    throw new TableauError({
      code: 'BAD_REQUEST',
      message: `cannot look up ${field} "${value}" with a Tableau filter: filter values cannot contain ',' or '&'`,
    });
  }
  return `${field}:${operator}:${value}`;
}
