/**
 * What `baton-tableau serve` needs to know. The CLI (pkg/config + cmd/serve.ts) fills this from flags
 * and `BATON_*` env; tests fill it directly. Durations are milliseconds, paths are file paths.
 */

import type { ProvisioningSettings, TableauSettings } from '../config/config.js';
import type { ListenerSettings } from '../config/serve.js';

/** Options of the long-lived gRPC service: the listeners (checked by pkg/config's rules) and the rest. */
export interface ServeOptions extends ListenerSettings {
  /** Tableau server, credentials and sites (the same settings the one-shot sync uses). */
  readonly tableau: TableauSettings;
  /** Background sync period; 0 or undefined = no background sync. */
  readonly syncIntervalMs?: number;
  /** c1z file the background sync replaces atomically. */
  readonly file?: string;
  /** How long SIGTERM waits for in-flight RPCs before cancelling them. */
  readonly shutdownTimeoutMs?: number;
  /** In-flight RPC limit; calls beyond it get RESOURCE_EXHAUSTED. 0 or undefined = the default. */
  readonly maxInflightRpcs?: number;
  /** Register the provisioning services (grant / revoke / create / delete). */
  readonly provisioning?: boolean;
  /** How provisioning behaves (policy, successor, dry run); default DEFAULT_PROVISIONING_SETTINGS. */
  readonly provisioningSettings?: ProvisioningSettings;
}

/** How long shutdown waits for in-flight RPCs and a running sync before cancelling them. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;
/** RPCs served at once before new ones get RESOURCE_EXHAUSTED. */
export const DEFAULT_MAX_INFLIGHT_RPCS = 64;
/** Where background sync writes its c1z unless told otherwise. */
export const DEFAULT_SYNC_FILE = 'sync.c1z';
/** gRPC's own default, stated explicitly: one Baton page never needs more (see ARCHITECTURE). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
