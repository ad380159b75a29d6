/**
 * The HTTP pipeline: one attempt (limiter slot → undici → body fully read → parsed or typed error)
 * and the retry loop around it (backoff with jitter, Retry-After, budget, one re-sign-in on 401,
 * careful replay of non-idempotent calls). Endpoint code never sees undici or XML.
 */
import { request, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { TableauError, errorFromResponse, errorFromTransport, isPoolRefusal, parseError, type Endpoint } from './errors.js';
import { buildJsonRequest, buildTsRequest, type RequestNode, type Tree } from './xml-codec.js';
import { toErrorBody } from './normalize.js';
import { errorBody, parseBody } from './response-body.js';
import { AdaptiveLimiter, parseRetryAfterDetail, parseRetryAfterHeader, sleep, type RetryPolicy } from './retry.js';
import { RetrySchedule } from './retry-schedule.js';
import type { ClientStatsRecorder } from './stats.js';
import { readBody } from './body-buffers.js';
import { errorIn2xx, isGatewayOutage, isHtml, notTableauError } from './foreign-answers.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Response formats: Tableau's XML (default) or its JSON mirror; `json-service` = authn-service JSON. */
export type WireFormat = 'xml' | 'json';

/** Auth for one attempt: the token header and the site LUID the path needs. */
export interface SessionLease {
  token: string;
  siteId: string;
  generation: number;
  release(): void;
}

/** Where authenticated calls get their session from (see sessions.ts). */
export interface SessionSource {
  acquire(signal?: AbortSignal): Promise<SessionLease>;
  /** Signs in again unless the session already changed since `generation`. */
  refresh(generation: number, signal?: AbortSignal): Promise<void>;
}

/** One logical call. */
export interface CallSpec {
  method: HttpMethod;
  /** Absolute path from the server root, query excluded; gets the site LUID when authenticated. */
  path: string | ((siteId: string) => string);
  /** Stats/log key, ids replaced by `{}` (e.g. `GET /sites/{}/users`). */
  route: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** A function is called for every attempt (a connected-app JWT must not be replayed: fresh `jti`). */
  body?: RequestNode | (() => RequestNode);
  /** Safe to send again after a lost response (GET; PUT/DELETE that set state). */
  idempotent: boolean;
  /** Non-idempotent call whose caller resolves conflicts after a replay (errors carry afterLostResponse). */
  replayWithCheck?: boolean;
  /** `tree`: tsResponse content; `service-json`: authn-service JSON; `none`: body discarded. */
  expect: 'tree' | 'service-json' | 'none';
  signIn?: boolean;
  /** Token for auth endpoints that run outside the session machinery (switchSite, signout). */
  staticToken?: string;
  signal?: AbortSignal;
  /** Caps the attempts of this call below the client's policy (sign-out on close: one try only). */
  maxAttempts?: number;
  /** This call's wire format when it must differ from the client's (JSON shape not established: XML). */
  format?: WireFormat;
  /** The call that finds out whether the server is Tableau (serverinfo): a foreign answer is NOT_TABLEAU. */
  probe?: boolean;
}

export interface HttpOptions {
  baseUrl: string;
  dispatcher: Dispatcher;
  retry: RetryPolicy;
  limiter: AdaptiveLimiter;
  stats: ClientStatsRecorder;
  logger?: Logger;
  format: WireFormat;
}

/** A parsed successful response and the endpoint that produced it (for error messages). */
export interface AttemptResult {
  tree?: Tree;
  json?: unknown;
  endpoint: Endpoint;
}

function queryString(query: CallSpec['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The declared body size, used only to size the read buffer. */
function contentLength(headers: Record<string, string | string[] | undefined>): number | undefined {
  const length = Number(headerValue(headers, 'content-length'));
  return Number.isSafeInteger(length) && length > 0 ? length : undefined;
}

export class Http {
  constructor(private readonly opts: HttpOptions) {}

  /**
   * Runs a call with retries (when and how long: {@link RetrySchedule}); `session` makes it authenticated. On 401000/401002 the session is
   * refreshed (single-flight) and the request replayed at once. A call refreshes at most once per
   * failed session, and only the first refresh is free: later ones use up attempts, so a token that
   * keeps being refused cannot loop (while a session killed again during a long listing recovers).
   */
  async call(spec: CallSpec, session?: SessionSource): Promise<AttemptResult> {
    const schedule = new RetrySchedule(this.opts.retry, spec.maxAttempts);
    let refreshedFrom: number | undefined;
    let lostResponse = false;
    for (let attempt = 1; ; attempt++) {
      let delayMs: number;
      const lease = session ? await session.acquire(spec.signal) : undefined;
      try {
        return await this.attempt(spec, attempt, lease);
      } catch (caught) {
        const err = lostResponse && caught instanceof TableauError ? caught.withLostResponse() : caught;
        if (!(err instanceof TableauError)) throw err;
        const canRefresh = refreshedFrom === undefined || attempt < this.maxAttempts(spec);
        if (lease && session && isExpiredSession(err) && lease.generation !== refreshedFrom && canRefresh) {
          if (refreshedFrom === undefined) attempt--;
          refreshedFrom = lease.generation;
          await session.refresh(lease.generation, spec.signal);
          continue;
        }
        // A 429 was refused before processing, so even a POST can be sent again.
        const replayable = spec.idempotent || spec.replayWithCheck === true || err.code === 'RATE_LIMITED';
        const step = schedule.next(err, replayable);
        if ('error' in step) throw step.error;
        delayMs = step.delayMs;
        this.opts.stats.retry();
        if (spec.method !== 'GET' && mayHaveApplied(err)) lostResponse = true;
      } finally {
        lease?.release();
      }
      await sleep(delayMs, spec.signal);
    }
  }

  private maxAttempts(spec: CallSpec): number {
    return Math.min(this.opts.retry.maxAttempts, spec.maxAttempts ?? Infinity);
  }

  private async attempt(spec: CallSpec, attempt: number, lease: SessionLease | undefined): Promise<AttemptResult> {
    const path = typeof spec.path === 'function' ? spec.path(lease?.siteId ?? '') : spec.path;
    const endpoint: Endpoint = { method: spec.method, path: path + queryString(spec.query) };
    const release = await this.opts.limiter.acquire(spec.signal);
    const started = Date.now();
    let status: number | undefined;
    let error: string | undefined;
    try {
      let response: RawResponse;
      try {
        response = await this.send(spec, endpoint, lease?.token ?? spec.staticToken);
      } finally {
        // The slot bounds requests on the wire: parsing the body must not keep the next one waiting.
        release();
      }
      status = response.status;
      return this.interpret(spec, endpoint, response);
    } catch (err) {
      error = err instanceof TableauError ? (err.tableauCode ?? err.code) : 'unexpected';
      throw err;
    } finally {
      this.opts.stats.request(spec.route, status);
      // Route and codes only: paths may carry user names in filters, headers carry the token.
      this.opts.logger?.debug(
        { method: spec.method, route: spec.route, status: status ?? 'none', error, ms: Date.now() - started, attempt },
        'tableau request',
      );
    }
  }

  private async send(spec: CallSpec, endpoint: Endpoint, token: string | undefined): Promise<RawResponse> {
    const format = spec.format ?? this.opts.format;
    const headers: Record<string, string> = { accept: format === 'json' || spec.expect === 'service-json' ? 'application/json' : 'application/xml' };
    if (token !== undefined) headers['x-tableau-auth'] = token;
    let body: string | undefined;
    if (spec.body) {
      const node = typeof spec.body === 'function' ? spec.body() : spec.body;
      body = format === 'json' ? buildJsonRequest(node) : buildTsRequest(node);
      headers['content-type'] = format === 'json' ? 'application/json' : 'application/xml';
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await request(this.opts.baseUrl + endpoint.path, {
        method: spec.method, headers, body, dispatcher: this.opts.dispatcher, signal: spec.signal,
      });
    } catch (err) {
      throw errorFromTransport(endpoint, err, spec.signal);
    }
    try {
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      // Always read the body to the end so the keep-alive connection returns to the pool.
      // An error body is only read for Tableau's code; its HTTP status stands even when the bytes are bad.
      const text = await readBody(res.body, contentLength(res.headers), (bytes) =>
        ok ? decodeUtf8(endpoint, bytes) : bytes.toString('utf8'),
      );
      return { status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      if (err instanceof TableauError) throw err;
      if (spec.signal?.aborted) throw errorFromTransport(endpoint, err, spec.signal);
      // Headers arrived but the body was cut short (connection reset, length mismatch).
      throw parseError(endpoint, `response body truncated (${(err as { code?: string }).code ?? (err as Error).message})`, err);
    }
  }

  private interpret(spec: CallSpec, endpoint: Endpoint, res: RawResponse): AttemptResult {
    const contentType = headerValue(res.headers, 'content-type');
    const foreign = (): TableauError => notTableauError(this.opts.baseUrl + endpoint.path, endpoint, res.status, contentType, res.text);
    const ok = res.status >= 200 && res.status < 300;
    // A web page is not Tableau's REST API: on serverinfo whatever the status (but a gateway's page
    // while Tableau is down, an outage); elsewhere when it claims success (an error page keeps its status).
    if (isHtml(contentType, res.text) && (spec.probe ? !isGatewayOutage(res.status) : ok)) throw foreign();
    if (ok) {
      this.opts.limiter.onSuccess();
      if (spec.expect === 'none') return { endpoint };
      let parsed: Omit<AttemptResult, 'endpoint'>;
      try {
        parsed = parseBody(spec, endpoint, res.text);
      } catch (err) {
        throw spec.probe ? foreign() : err;
      }
      const error = parsed.tree ? toErrorBody(parsed.tree) : undefined;
      if (error?.code !== undefined) throw errorIn2xx(endpoint, res.status, error, spec.signIn ?? false);
      return { ...parsed, endpoint };
    }
    const body = errorBody(res.text, spec.expect === 'service-json');
    if (res.status === 429 && !isPoolRefusal(body?.code)) {
      this.opts.limiter.onRateLimited();
      this.opts.stats.rateLimited();
    }
    // Tableau's own 4xx answers always carry its error element; a bare one comes from something else.
    if (spec.probe && body?.code === undefined && res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw foreign();
    const retryAfterSeconds =
      parseRetryAfterHeader(headerValue(res.headers, 'retry-after')) ?? (res.status === 429 ? parseRetryAfterDetail(body?.detail) : undefined);
    const opts: { retryAfterSeconds?: number; signIn?: boolean } = { signIn: spec.signIn ?? false };
    if (retryAfterSeconds !== undefined) opts.retryAfterSeconds = retryAfterSeconds;
    return throwing(errorFromResponse(endpoint, res.status, body, opts));
  }
}

// Tableau always answers in UTF-8: invalid bytes mean corruption, not text to patch with U+FFFD.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(endpoint: Endpoint, bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch (err) {
    throw parseError(endpoint, 'body is not valid UTF-8', err, false);
  }
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function throwing(err: TableauError): never {
  throw err;
}

/** Transport failures that happen before the request leaves (nothing can have been applied). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** False when the failed attempt certainly did not reach Tableau's handler (429, refused connection). */
function mayHaveApplied(err: TableauError): boolean {
  if (err.code === 'RATE_LIMITED') return false;
  const cause = err.cause as { code?: string; cause?: { code?: string } } | undefined;
  const code = cause?.code ?? cause?.cause?.code;
  return code === undefined || !NOT_SENT.has(code);
}

/** 401000/401002 (or a 401 without Tableau's code, e.g. from the authn-service): the token is no good. */
function isExpiredSession(err: TableauError): boolean {
  return err.httpStatus === 401 && err.tableauCode !== '401001';
}
