/**
 * What the service needs from its one Tableau connection (built by pkg/compose: one TableauClient,
 * one session per site, shared by every RPC — a PAT allows a single live session).
 */
import type { ConnectorApi } from '../connector/api.js';
import type { TableauStats } from './tableau-stats.js';

/** What the service needs from Tableau: the api to serve, counters for /metrics, and sign-out. */
export interface TableauConnection {
  readonly api: ConnectorApi;
  stats?(): TableauStats;
  /** Signs out and releases connections; called once, after the last RPC finished. */
  close(): Promise<void>;
}
