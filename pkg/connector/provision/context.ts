/**
 * What every provisioning operation works with: where things are, whether to change anything, where
 * to log, when to stop, and the audit line of the request.
 */
import type { Logger } from 'pino';
import type { Any } from '../../../proto/types.js';
import type { ScimLookup } from '../scim-management.js';
import type { AuditEntry } from './audit.js';
import type { SiteDirectory } from './site-directory.js';

export interface OpEnv {
  directory: SiteDirectory;
  /** Validate and plan, change nothing. */
  dryRun: boolean;
  log: Logger;
  signal: AbortSignal;
  audit: AuditEntry;
  /** SCIM refusals (see scim-management.ts); absent in callers that set up no lookup. */
  scim?: { lookup: ScimLookup; override: boolean };
}

/** Result of a grant or revoke: whether Tableau changed, and the response annotations. */
export interface GrantOutcome {
  changed: boolean;
  annotations: Any[];
}
