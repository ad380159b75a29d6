/**
 * The background sync's seat-counting wrapper must keep the connector's sync hints: without them a
 * multi-site PAT sync in `serve` mode would switch sites back and forth. Budget: < 1 s (no network).
 */
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConnector } from '../../pkg/connector/builder.js';
import { countLicenseSeats } from '../../pkg/service/seat-tally.js';
import type { SyncHints } from '../../pkg/sync/index.js';
import { TableauClient, type TableauCredentials } from '../../pkg/tableau/index.js';

const clients: TableauClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

function wrappedHints(credentials: TableauCredentials): SyncHints | undefined {
  // Nothing is sent: building the connector and wrapping it make no request.
  const client = new TableauClient({ serverUrl: 'http://127.0.0.1:9', credentials });
  clients.push(client);
  const { api } = countLicenseSeats(buildConnector({ client, sites: { all: true }, log: pino({ level: 'silent' }) }));
  return (api as { syncHints?: SyncHints }).syncHints;
}

describe('countLicenseSeats', () => {
  it('keeps the connector sync hints: one site at a time with a PAT, not with a password; group members early', () => {
    expect(wrappedHints({ kind: 'pat', name: 'n', secret: 's' })).toEqual({ oneParentAtATime: true, independentGrantTypes: ['group'] });
    expect(wrappedHints({ kind: 'password', username: 'u', password: 'p' })).toEqual({ oneParentAtATime: false, independentGrantTypes: ['group'] });
  });
});
