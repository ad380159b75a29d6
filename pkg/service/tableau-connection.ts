/**
 * The one Tableau connection of a serving process: a TableauClient (one session per site, shared by
 * every RPC — a PAT allows a single live session, so there must be exactly one client) and the
 * connector built on it.
 */
import type { Logger } from 'pino';
import type { ProvisioningSettings, TableauSettings } from '../config/config.js';
import type { ConnectorApi } from '../connector/api.js';
import { connectorFromSettings, createTableauClient } from '../connector/from-settings.js';
import type { TableauStats } from './tableau-stats.js';

/** What the service needs from Tableau: the api to serve, counters for /metrics, and sign-out. */
export interface TableauConnection {
  readonly api: ConnectorApi;
  stats?(): TableauStats;
  /** Signs out and releases connections; called once, after the last RPC finished. */
  close(): Promise<void>;
}

/** `provisioning` set: Grant/Revoke/CreateAccount/DeleteResource act on Tableau with these settings. */
export function connectTableau(settings: TableauSettings, log: Logger, provisioning?: ProvisioningSettings): TableauConnection {
  const client = createTableauClient(settings, log);
  const api = connectorFromSettings(client, settings, log, provisioning);
  return { api, stats: () => client.stats(), close: () => client.close() };
}
