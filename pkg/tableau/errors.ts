/**
 * Typed errors of the Tableau client and the one factory that builds them from HTTP outcomes.
 * Messages name the endpoint (method + path, query included) and Tableau's code/summary/detail; they
 * never contain headers, tokens or credentials (request bodies are never quoted).
 */

/** Stable classification of every failure the client can report. */
export type TableauErrorCode =
  | 'SIGN_IN_FAILED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'SITES_QUERY_NOT_SUPPORTED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_REQUEST'
  | 'VERSION_UNSUPPORTED'
  | 'NOT_IMPLEMENTED'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'NETWORK'
  | 'TLS'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'PARSE'
  /** The server answered, but not as Tableau's REST API (a web page, another application). */
  | 'NOT_TABLEAU'
  /** Tableau signed in to another site than the one asked for. */
  | 'WRONG_SITE';

/** Fields describing one failure; everything but `code` is optional. */
export interface TableauErrorInit {
  code: TableauErrorCode;
  message: string;
  tableauCode?: string;
  httpStatus?: number;
  summary?: string;
  detail?: string;
  method?: string;
  path?: string;
  retryAfterSeconds?: number;
  retryable?: boolean;
  /** True when an earlier attempt of a non-idempotent call lost its response (it may have applied). */
  afterLostResponse?: boolean;
  /** Set when the call gave up on an outage: how long Tableau stayed unreachable (the retry budget spent). */
  unreachableForMs?: number;
  cause?: unknown;
}

/** A failure talking to Tableau. `code` is stable; `tableauCode` is Tableau's 6-digit code when sent. */
export class TableauError extends Error {
  override readonly name = 'TableauError';
  readonly code: TableauErrorCode;
  readonly tableauCode?: string;
  readonly httpStatus?: number;
  readonly summary?: string;
  readonly detail?: string;
  readonly method?: string;
  readonly path?: string;
  readonly retryAfterSeconds?: number;
  readonly retryable: boolean;
  readonly afterLostResponse?: boolean;
  readonly unreachableForMs?: number;

  constructor(init: TableauErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.retryable = init.retryable ?? false;
    if (init.tableauCode !== undefined) this.tableauCode = init.tableauCode;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.summary !== undefined) this.summary = init.summary;
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.method !== undefined) this.method = init.method;
    if (init.path !== undefined) this.path = init.path;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
    if (init.afterLostResponse !== undefined) this.afterLostResponse = init.afterLostResponse;
    if (init.unreachableForMs !== undefined) this.unreachableForMs = init.unreachableForMs;
  }

  /** A copy flagged as following a lost response (see {@link TableauErrorInit.afterLostResponse}). */
  withLostResponse(): TableauError {
    return new TableauError({ ...this.init(), afterLostResponse: true });
  }

  /** A copy with another message (and any other fields given), same classification. */
  withMessage(message: string, extra: Partial<TableauErrorInit> = {}): TableauError {
    return new TableauError({ ...this.init(), ...extra, message });
  }

  private init(): TableauErrorInit {
    const { code, message, tableauCode, httpStatus, summary, detail, method, path, retryAfterSeconds, retryable } = this;
    const { afterLostResponse, unreachableForMs } = this;
    return {
      code, message, tableauCode, httpStatus, summary, detail, method, path, retryAfterSeconds, retryable, afterLostResponse,
      unreachableForMs, cause: this.cause,
    };
  }
}

/** The endpoint a failure belongs to. */
export interface Endpoint {
  method: string;
  /** Path with query, as sent (never contains secrets: credentials travel only in bodies and headers). */
  path: string;
}

/** Tableau's `<error code><summary/><detail/></error>` (or the JSON equivalent). */
export interface TableauErrorBody {
  code?: string;
  summary?: string;
  detail?: string;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Tableau's identity-pool refusals: 4290xx codes other than 429000 (Too Many Requests). */
export function isPoolRefusal(tableauCode: string | undefined): boolean {
  return tableauCode !== undefined && /^4290\d\d$/.test(tableauCode) && tableauCode !== '429000';
}

function classify(status: number, tableauCode: string | undefined, signIn: boolean): TableauErrorCode {
  if (tableauCode === '403069') return 'SITES_QUERY_NOT_SUPPORTED';
  if (tableauCode === '401001' || (signIn && status === 401)) return 'SIGN_IN_FAILED';
  // Tableau: 403014 is "page size > 1000", 400006/400007 bad paging — all caller bugs.
  if (tableauCode === '403014') return 'BAD_REQUEST';
  // Identity-pool refusals (429001 "User conflict", 429002, 429003) share the 429 prefix with rate limiting.
  if (isPoolRefusal(tableauCode)) return 'CONFLICT';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 408) return 'TIMEOUT';
  if (status === 429) return 'RATE_LIMITED';
  // 501: this server does not offer the method at all; asking again cannot help.
  if (status === 501) return 'NOT_IMPLEMENTED';
  if (status >= 500) return 'SERVER_ERROR';
  if (status >= 400) return 'BAD_REQUEST';
  return 'SERVER_ERROR';
}

/** Builds the error for a non-2xx response. `signIn` marks the sign-in endpoint (401 = bad credentials). */
export function errorFromResponse(
  endpoint: Endpoint,
  status: number,
  body: TableauErrorBody | undefined,
  opts: { retryAfterSeconds?: number; signIn?: boolean } = {},
): TableauError {
  const tableauCode = body?.code;
  const code = classify(status, tableauCode, opts.signIn ?? false);
  const what = [tableauCode ?? `HTTP ${status}`, body?.summary, body?.detail].filter((s) => s).join(': ');
  const init: TableauErrorInit = {
    code,
    message: `Tableau ${endpoint.method} ${endpoint.path} failed (${status}): ${what}`,
    httpStatus: status,
    method: endpoint.method,
    path: endpoint.path,
    retryable: RETRYABLE_STATUS.has(status) && !isPoolRefusal(tableauCode),
  };
  if (tableauCode !== undefined) init.tableauCode = tableauCode;
  if (body?.summary !== undefined) init.summary = body.summary;
  if (body?.detail !== undefined) init.detail = body.detail;
  if (opts.retryAfterSeconds !== undefined) init.retryAfterSeconds = opts.retryAfterSeconds;
  return new TableauError(init);
}

/** A response whose body could not be understood (truncated, HTML, wrong root, missing fields...). */
export function parseError(endpoint: Endpoint, problem: string, cause?: unknown, retryable = true): TableauError {
  return new TableauError({
    code: 'PARSE',
    message: `Tableau ${endpoint.method} ${endpoint.path}: unexpected response: ${problem}`,
    method: endpoint.method,
    path: endpoint.path,
    // A body cut short in transit is worth another try on idempotent calls; a complete document with
    // the wrong shape is not (the caller passes false).
    retryable,
    cause,
  });
}

const NETWORK_TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/**
 * OpenSSL/Node codes of a server certificate that cannot be verified (untrusted, expired, wrong host).
 * Retrying cannot fix them, so they fail at once instead of burning the retry budget.
 */
const TLS_CERTIFICATE_CODE =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_[A-Z_]+|INVALID_CA|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)$/;

function certificateError(endpoint: Endpoint, errCode: string, err: unknown): TableauError {
  return new TableauError({
    code: 'TLS',
    message: `Tableau ${endpoint.method} ${endpoint.path} failed: TLS certificate not accepted (${errCode})`,
    ...endpoint,
    retryable: false,
    cause: err,
  });
}

/** Maps a transport failure (undici / socket error, abort) to a TableauError. */
export function errorFromTransport(endpoint: Endpoint, err: unknown, signal?: AbortSignal): TableauError {
  if (err instanceof TableauError) return err;
  const where = `${endpoint.method} ${endpoint.path}`;
  if (signal?.aborted || (err as { name?: string })?.name === 'AbortError') {
    return new TableauError({ code: 'ABORTED', message: `Tableau ${where} was cancelled`, ...endpoint, cause: err });
  }
  const errCode = (err as { code?: string })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  if (errCode !== undefined && TLS_CERTIFICATE_CODE.test(errCode)) return certificateError(endpoint, errCode, err);
  const timeout = errCode !== undefined && NETWORK_TIMEOUT_CODES.has(errCode);
  const reason = errCode ?? (err instanceof Error ? err.message : 'unknown error');
  return new TableauError({
    code: timeout ? 'TIMEOUT' : 'NETWORK',
    message: `Tableau ${where} failed: ${timeout ? 'timed out' : 'connection error'} (${reason})`,
    ...endpoint,
    retryable: true,
    cause: err,
  });
}

/** Error for something the negotiated REST API version does not offer (raised before sending). */
export function versionUnsupported(message: string): TableauError {
  return new TableauError({ code: 'VERSION_UNSUPPORTED', message });
}

/** Tableau answered a sign-in (or switchSite) for `asked` with a session on another site. */
export function wrongSiteError(asked: string, answered: string, answeredId: string): TableauError {
  const name = (url: string): string => (url === '' ? 'the Default site ("")' : `"${url}"`);
  return new TableauError({
    code: 'WRONG_SITE',
    message: `Tableau signed in to site ${name(answered)} (${answeredId}) when asked for site ${name(asked)}`,
  });
}

/** Error for a cancelled call (the caller's AbortSignal fired). */
export function abortedError(what: string, cause?: unknown): TableauError {
  return new TableauError({ code: 'ABORTED', message: `Tableau ${what} was cancelled`, cause });
}
