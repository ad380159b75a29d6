/**
 * Seats per license tier, counted from the grants a sync reads: the sync engine already pages
 * through every `license:<tier>:member` grant, so counting them costs nothing and needs no extra
 * Tableau requests.
 */
import type { ConnectorApi } from '../connector/api.js';
import type { SyncHints } from '../sync/index.js';

const LICENSE_TYPE = 'license';

/** A ConnectorApi that forwards every call and counts license grants on the way back. */
export function countLicenseSeats(api: ConnectorApi): { api: ConnectorApi; seats: Map<string, number> } {
  const seats = new Map<string, number>();
  // Keep the connector's advice to the sync engine (one site at a time with a PAT).
  const hints = (api as { syncHints?: SyncHints }).syncHints;
  const counted: ConnectorApi & { syncHints?: SyncHints } = {
    ...bindAll(api),
    ...(hints ? { syncHints: hints } : {}),
    async listGrants(req, ctx) {
      const res = await api.listGrants(req, ctx);
      for (const grant of res.list ?? []) {
        const id = grant.entitlement?.resource?.id;
        if (id?.resourceType === LICENSE_TYPE && id.resource) seats.set(id.resource, (seats.get(id.resource) ?? 0) + 1);
      }
      return res;
    },
  };
  return { api: counted, seats };
}

/** A plain object whose methods call the original (class instances keep `this`). */
function bindAll(api: ConnectorApi): ConnectorApi {
  const names: (keyof ConnectorApi)[] = [
    'getMetadata', 'validate', 'cleanup', 'listResourceTypes', 'listResources', 'getResource', 'listEntitlements',
    'listStaticEntitlements', 'listGrants', 'grant', 'revoke', 'createAccount', 'deleteResource', 'deleteResourceV2',
  ];
  return Object.fromEntries(names.map((name) => [name, (api[name] as (...args: unknown[]) => unknown).bind(api)])) as unknown as ConnectorApi;
}
