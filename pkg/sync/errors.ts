/** Errors of the sync engine and the one rule that decides what is only a warning. */
import { classifyError } from '../connector/errors.js';

/** A sync-level failure that is not the connector's own error (e.g. a repeated page token). */
export class SyncError extends Error {
  override readonly name = 'SyncError';
}

/** gRPC status code NOT_FOUND, for errors that come back from a remote connector. */
const GRPC_NOT_FOUND = 5;

/**
 * NOT_FOUND from a per-resource listing means the resource vanished between listing it and asking
 * for its entitlements/grants: the Baton SDK skips that action with a warning.
 */
export function isNotFound(err: unknown): boolean {
  if ((err as { code?: unknown } | null)?.code === GRPC_NOT_FOUND) return true;
  return classifyError(err).status === 'NOT_FOUND';
}
