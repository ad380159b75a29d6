/**
 * Test harness: a real simulator on 127.0.0.1:0, a real TableauClient signed in with the simulator's
 * PAT, and the connector built on top of them.
 */
import pino from 'pino';
import { buildConnector, type TableauConnector } from '../../pkg/connector/builder.js';
import type { SiteSelection } from '../../pkg/tableau/types.js';
import { TableauClient } from '../../pkg/tableau/index.js';
import { startSimulator } from '../../pkg/tableau-sim/index.js';
import type { State } from './expected.js';

export type Sim = Awaited<ReturnType<typeof startSimulator>>;
export type SimOptions = Parameters<typeof startSimulator>[0];

export interface Harness {
  sim: Sim;
  client: TableauClient;
  connector: TableauConnector;
  state(): Promise<State>;
  /** Requests the simulator served on one route since the last reset, e.g. `GET /sites/{}/users`. */
  requests(route: string): Promise<number>;
  /** Waits (bounded, ~2 s) until `route` has served `count` requests; returns what it saw last. */
  requestsReach(route: string, count: number): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(simOptions: SimOptions, sites: SiteSelection): Promise<Harness> {
  const sim = await startSimulator({ port: 0, host: '127.0.0.1', ...simOptions });
  const client = new TableauClient({
    serverUrl: sim.url,
    credentials: { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret },
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
  });
  const connector = buildConnector({ client, sites, log: pino({ level: 'silent' }) });
  const requests = async (route: string): Promise<number> => (await sim.stats()).byRoute[route] ?? 0;
  return {
    sim,
    client,
    connector,
    state: async () => (await sim.state()) as unknown as State,
    requests,
    requestsReach: async (route, count) => {
      let seen = 0;
      for (let i = 0; i < 200 && seen < count; i++) {
        seen = await requests(route);
        if (seen < count) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return seen;
    },
    close: async () => {
      await client.close();
      await sim.close();
    },
  };
}

/** Deterministic LUID-shaped ids for scenario data. */
export function luid(kind: number, n: number): string {
  const hex = (kind * 1_000_000 + n).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}
