/**
 * The one Tableau connection of a serving process: a TableauClient (one session per site, shared by
 * every RPC — a PAT allows a single live session, so there must be exactly one client) and the
 * connector built on it.
 */
import type { Logger } from 'pino';
import type { ProvisioningSettings, TableauSettings } from '../config/config.js';
import type { ConnectorApi } from '../connector/api.js';
import { buildConnector } from '../connector/builder.js';
import { createProvisioning } from '../connector/provision/index.js';
import { TableauClient } from '../tableau/client.js';
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
  const client = new TableauClient({
    serverUrl: settings.serverUrl,
    credentials: { ...settings.credentials },
    ...(settings.apiVersion ? { apiVersion: settings.apiVersion } : {}),
    ...(settings.ca ? { ca: settings.ca } : {}),
    logger: log.child({ component: 'tableau' }),
  });
  const sites = 'all' in settings.sites ? ({ all: true } as const) : { contentUrls: [...settings.sites.contentUrls] };
  const provisioner = provisioning && createProvisioning({ client, sites, log: log.child({ component: 'provisioning' }), ...provisioning });
  const api = buildConnector({ client, sites, log: log.child({ component: 'connector' }), ...(provisioner ? { provisioning: provisioner } : {}) });
  return { api, stats: () => client.stats(), close: () => client.close() };
}
