/**
 * Errors of the connector layer and the one classification every outer layer uses: pkg/server turns
 * the class into a gRPC status code, pkg/sync decides what is a warning and what fails the sync.
 * Messages are safe to show to callers; causes go to the log only.
 */
import { TableauError } from '../tableau/errors.js';

/** gRPC status names the connector can produce (numbers live in pkg/server). */
export type StatusName =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'PERMISSION_DENIED'
  | 'FAILED_PRECONDITION'
  | 'UNIMPLEMENTED'
  | 'UNAUTHENTICATED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'CANCELLED'
  | 'RESOURCE_EXHAUSTED'
  | 'INTERNAL'
  | 'UNKNOWN';

/**
 * An error the connector raises on purpose, carrying the gRPC status it should reach the caller as.
 * `message` is shown to callers (no secrets); `cause` is for the log only.
 */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  constructor(
    readonly status: StatusName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The request itself is wrong (a malformed id, an unknown resource type). */
export const invalidArgument = (message: string): ConnectorError => new ConnectorError('INVALID_ARGUMENT', message);
/** The resource, entitlement or principal named does not exist. */
export const notFound = (message: string): ConnectorError => new ConnectorError('NOT_FOUND', message);
/** The request is fine but the setup refuses it (provisioning disabled, no site configured). */
export const failedPrecondition = (message: string): ConnectorError => new ConnectorError('FAILED_PRECONDITION', message);
/** Something this connector or this Tableau version does not do. */
export const unimplemented = (message: string): ConnectorError => new ConnectorError('UNIMPLEMENTED', message);

/** The classification of any error thrown below the server/sync layers. */
export interface ClassifiedError {
  status: StatusName;
  /** Safe for callers: no headers, tokens or secrets. */
  message: string;
  /** Seconds the caller should wait before retrying, when Tableau said so. */
  retryAfterSeconds?: number;
  /** Tableau answered 429 (rate limited), as opposed to another transient failure. */
  rateLimited?: boolean;
}

const TABLEAU_STATUS: Record<string, StatusName> = {
  SIGN_IN_FAILED: 'UNAUTHENTICATED',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'PERMISSION_DENIED',
  SITES_QUERY_NOT_SUPPORTED: 'FAILED_PRECONDITION',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'ALREADY_EXISTS',
  BAD_REQUEST: 'INVALID_ARGUMENT',
  VERSION_UNSUPPORTED: 'UNIMPLEMENTED',
  NOT_IMPLEMENTED: 'UNIMPLEMENTED',
  RATE_LIMITED: 'UNAVAILABLE',
  SERVER_ERROR: 'UNAVAILABLE',
  NETWORK: 'UNAVAILABLE',
  TLS: 'FAILED_PRECONDITION',
  TIMEOUT: 'DEADLINE_EXCEEDED',
  ABORTED: 'CANCELLED',
  PARSE: 'UNAVAILABLE',
  NOT_TABLEAU: 'FAILED_PRECONDITION',
  WRONG_SITE: 'FAILED_PRECONDITION',
};

/**
 * A PARSE error that is not retryable (a complete document of the wrong shape, an id listed twice) will
 * come back the same on every try: INTERNAL, so Baton stops instead of retrying an UNAVAILABLE forever.
 */
function tableauStatus(err: TableauError): StatusName {
  if (err.code === 'PARSE' && !err.retryable) return 'INTERNAL';
  return TABLEAU_STATUS[err.code] ?? 'UNKNOWN';
}

/** Status, caller-safe message and retry hint for anything thrown below pkg/server and pkg/sync. */
export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof ConnectorError) return { status: err.status, message: err.message };
  if (err instanceof TableauError) {
    const status = tableauStatus(err);
    const out: ClassifiedError = { status, message: err.message };
    if (err.retryAfterSeconds !== undefined) out.retryAfterSeconds = err.retryAfterSeconds;
    if (err.code === 'RATE_LIMITED') out.rateLimited = true;
    return out;
  }
  if ((err as { name?: string })?.name === 'AbortError') return { status: 'CANCELLED', message: 'the call was cancelled' };
  return { status: 'UNKNOWN', message: 'internal error (see the connector log)' };
}
