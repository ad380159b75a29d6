/**
 * What every provisioning operation works with: where things are, whether to change anything, where
 * to log, when to stop, and the audit line of the request.
 */
import type { Logger } from 'pino';
import type { Any } from '../../../proto/types.js';
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
}

/**
 * Result of a grant or revoke: whether Tableau changed (in a dry run: would change), and the response
 * annotations (GrantAlreadyExists, GrantAlreadyRevoked, GrantReplaced, the dry-run plan...).
 */
export interface GrantOutcome {
  changed: boolean;
  annotations: Any[];
}
