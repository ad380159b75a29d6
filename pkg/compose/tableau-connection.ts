/**
 * The composition root: turns resolved settings into the Tableau client and the connector built on
 * it — one recipe for every mode (one-shot sync, one-shot provisioning, serve, ConductorOne service
 * mode), so they cannot drift apart. This is the only place that picks the HTTP format and decides
 * how provisioning is attached; pkg/connector itself knows nothing of the configuration.
 */
import type { Logger } from 'pino';
import type { ProvisioningSettings, TableauSettings } from '../config/config.js';
import { buildConnector, type TableauConnector } from '../connector/builder.js';
import { TableauClient } from '../tableau/client.js';
import type { ClientStats } from '../tableau/stats.js';

/** Default pages in flight per listing (the CLI's `--concurrency` default). */
const DEFAULT_PAGE_CONCURRENCY = 4;

/** How one mode sizes and equips its connection. */
export interface ConnectOptions {
  /** Pages in flight per listing (default 4, the `--concurrency` default). */
  readonly pageConcurrency?: number;
  /** Cap on Tableau requests in flight (the sync modes set it to `--concurrency`); default: no cap. */
  readonly maxInFlight?: number;
  /** Present: Grant/Revoke/CreateAccount/DeleteResource act on Tableau with these settings. */
  readonly provisioning?: ProvisioningSettings;
}

/**
 * One Tableau connection: a single client (a PAT allows one live session, so every caller of a
 * process shares it) and the connector on it. `close()` signs out; call it once, after the last use.
 */
export interface TableauConnection {
  readonly api: TableauConnector;
  stats(): ClientStats;
  close(): Promise<void>;
}

/** The client and connector for `settings`, sized and equipped as `opts` says. */
export function connectTableau(settings: TableauSettings, log: Logger, opts: ConnectOptions = {}): TableauConnection {
  const client = createTableauClient(settings, log, opts);
  const api = createConnector(client, settings, log, opts.provisioning);
  return { api, stats: () => client.stats(), close: () => client.close() };
}

function createTableauClient(settings: TableauSettings, log: Logger, opts: ConnectOptions): TableauClient {
  return new TableauClient({
    serverUrl: settings.serverUrl,
    credentials: { ...settings.credentials },
    ...(settings.apiVersion ? { apiVersion: settings.apiVersion } : {}),
    ...(settings.ca ? { ca: settings.ca } : {}),
    logger: log.child({ component: 'tableau' }),
    pageConcurrency: opts.pageConcurrency ?? DEFAULT_PAGE_CONCURRENCY,
    ...(settings.retryBudgetMs !== undefined ? { retry: { budgetMs: settings.retryBudgetMs } } : {}),
    ...(opts.maxInFlight ? { maxInFlight: opts.maxInFlight } : {}),
    // Tableau's JSON parses several times faster than its XML (bench: XML parsing was ~¼ of a sync's CPU).
    format: 'json',
  });
}

/**
 * The connector on `client`. The one place that calls buildConnector: when its options change, only
 * this function follows.
 */
function createConnector(client: TableauClient, settings: TableauSettings, log: Logger, provisioning?: ProvisioningSettings): TableauConnector {
  return buildConnector({ client, sites: settings.sites, log, ...(provisioning ? { provisioning } : {}), ...(settings.scim ? { scim: settings.scim } : {}) });
}
