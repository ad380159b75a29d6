/**
 * What every provisioning operation works with: where things are, whether to change anything, where
 * to log, when to stop, and the audit line of the request.
 */
import type { Logger } from 'pino';
import type { Any } from '../../../proto/types.js';
import type { EntitlementRef } from '../ids.js';
import type { ScimGuard } from '../scim-management.js';
import type { AuditEntry } from './audit.js';
import type { Locator } from './locator.js';

/**
 * The environment of one provisioning request, built by the builder's wrapper (provisioning/rpcs.ts)
 * and handed to a {@link Provisioner} or {@link AccountManager}.
 */
export interface OpEnv {
  /** Where the configured sites, users and groups are (shared by all requests, caches included). */
  directory: Locator;
  /** Validate and plan, change nothing. */
  dryRun: boolean;
  log: Logger;
  signal: AbortSignal;
  audit: AuditEntry;
  /** SCIM refusals (see scim-management.ts); absent in callers that set up no lookup. */
  scim?: ScimGuard;
}

/**
 * Result of a grant or revoke: whether Tableau changed (in a dry run: would change), and the response
 * annotations (GrantAlreadyExists, GrantAlreadyRevoked, GrantReplaced, the dry-run plan...).
 */
export interface GrantOutcome {
  changed: boolean;
  annotations: Any[];
}

/** A grant or revoke of one kind of entitlement, on the target as its type reads it. */
export type TargetOperation<T> = (target: T, userLuid: string, env: OpEnv) => Promise<GrantOutcome>;

/**
 * A Provisioner's `grant` or `revoke` from a type's reader of its entitlements (`read` throws
 * INVALID_ARGUMENT for those it does not know) and its operation on what the reader returns.
 */
export function onTarget<T>(read: (ref: EntitlementRef) => T, operation: TargetOperation<T>): TargetOperation<EntitlementRef> {
  return (ref, userLuid, env) => operation(read(ref), userLuid, env);
}
