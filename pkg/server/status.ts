/**
 * The one place where errors become gRPC statuses. Callers get a safe message (ConnectorError and
 * TableauError messages never hold secrets; anything else becomes a generic message) and the cause
 * goes to the log. Retryable failures carry a retry hint the Baton SDK syncer understands.
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { classifyError, type ClassifiedError, type StatusName } from '../connector/errors.js';
import { decode, encode, findAnnotation, packAny, RateLimitStatus, toTimestamp } from '../../proto/index.js';
import type { Any, RateLimitDescription, RpcStatus } from '../../proto/types.js';

/** grpc-js carries google.rpc.Status, encoded, in this binary trailer. */
const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
const RATE_LIMIT_TYPE = 'c1.connector.v2.RateLimitDescription';

// The SDK's uhttp waits 60 s after a 429 without Retry-After; other transient failures retry sooner.
const DEFAULT_RATE_LIMIT_WAIT_S = 60;
const DEFAULT_TRANSIENT_WAIT_S = 1;

const GRPC_CODE: Record<StatusName, grpc.status> = {
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  NOT_FOUND: grpc.status.NOT_FOUND,
  ALREADY_EXISTS: grpc.status.ALREADY_EXISTS,
  PERMISSION_DENIED: grpc.status.PERMISSION_DENIED,
  FAILED_PRECONDITION: grpc.status.FAILED_PRECONDITION,
  UNIMPLEMENTED: grpc.status.UNIMPLEMENTED,
  UNAUTHENTICATED: grpc.status.UNAUTHENTICATED,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  DEADLINE_EXCEEDED: grpc.status.DEADLINE_EXCEEDED,
  CANCELLED: grpc.status.CANCELLED,
  RESOURCE_EXHAUSTED: grpc.status.RESOURCE_EXHAUSTED,
  INTERNAL: grpc.status.INTERNAL,
  UNKNOWN: grpc.status.UNKNOWN,
};

/** What the adapter hands to the grpc-js callback. */
export type ServerStatus = Partial<grpc.StatusObject> & { code: grpc.status; details: string };

function rateLimitHint({ rateLimited, retryAfterSeconds }: ClassifiedError): RateLimitDescription {
  const waitSeconds = retryAfterSeconds ?? (rateLimited ? DEFAULT_RATE_LIMIT_WAIT_S : DEFAULT_TRANSIENT_WAIT_S);
  return {
    status: rateLimited ? RateLimitStatus.STATUS_OVERLIMIT : RateLimitStatus.STATUS_ERROR,
    // remaining 0 makes the SDK wait until reset_at instead of spreading calls over the window.
    remaining: 0,
    resetAt: toTimestamp(Date.now() + waitSeconds * 1000),
  };
}

function detailsTrailer(code: grpc.status, message: string, details: Any[]): grpc.Metadata {
  const metadata = new grpc.Metadata();
  const status: RpcStatus = { code, message, details };
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(encode('google.rpc.Status', status)));
  return metadata;
}

/** Maps any thrown value to the status sent to the caller, logging the cause once. */
export function toServerStatus(err: unknown, log: Logger): ServerStatus {
  const classified = classifyError(err);
  const code = GRPC_CODE[classified.status];
  if (classified.status === 'UNKNOWN' || classified.status === 'INTERNAL') {
    log.error({ err, code: classified.status }, 'call failed');
  } else {
    log.warn({ code: classified.status, reason: classified.message }, 'call failed');
  }
  if (classified.status !== 'UNAVAILABLE') return { code, details: classified.message };
  const hint = packAny(RATE_LIMIT_TYPE, rateLimitHint(classified));
  return { code, details: classified.message, metadata: detailsTrailer(code, classified.message, [hint]) };
}

/** The google.rpc.Status a server attached to a failed call, when there is one. */
export function statusDetails(err: { metadata?: grpc.Metadata }): RpcStatus | undefined {
  const raw = err.metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!(raw instanceof Uint8Array)) return undefined;
  return decode<RpcStatus>('google.rpc.Status', raw);
}

/** The retry hint (c1.connector.v2.RateLimitDescription) of a failed call, when there is one. */
export function rateLimitDetail(err: { metadata?: grpc.Metadata }): RateLimitDescription | undefined {
  return findAnnotation<RateLimitDescription>(statusDetails(err)?.details, RATE_LIMIT_TYPE);
}
