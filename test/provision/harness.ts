/**
 * Test world for provisioning: a real simulator on 127.0.0.1:0 serving an exact scenario, a real
 * TableauClient with the simulator's PAT, the connector with provisioning on top, and the audit lines captured
 * from a pino logger.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildConnector, type ProvisioningOptions, type TableauConnector } from '../../pkg/connector/builder.js';
import type { CallCtx } from '../../pkg/connector/types.js';
import { TableauClient } from '../../pkg/tableau/index.js';
import { startSimulator } from '../../pkg/tableau-sim/index.js';
import type { ScenarioData, ScenarioGroup, ScenarioUser, SimState } from '../../pkg/tableau-sim/types.js';

export type Sim = Awaited<ReturnType<typeof startSimulator>>;

/** Deterministic LUID-shaped ids. */
export function luid(kind: number, n: number): string {
  return `00000000-0000-4000-8000-${(kind * 1_000_000 + n).toString(16).padStart(12, '0')}`;
}

export const SITE = luid(1, 1);
export const ADMIN = luid(2, 0);
export const user = (n: number): string => luid(2, n);
export const group = (n: number): string => luid(3, n);

/** A one-site scenario with a server administrator (the PAT owner) plus the given users and groups. */
export function scenario(
  users: ScenarioUser[],
  groups: ScenarioGroup[] = [],
  memberships: { groupId: string; userId: string }[] = [],
  site: Partial<ScenarioData['sites'][number]> = {},
): ScenarioData {
  return {
    sites: [
      {
        id: SITE,
        contentUrl: '',
        name: 'Default',
        users: [{ id: ADMIN, name: 'admin', siteRole: 'ServerAdministrator' }, ...users],
        groups,
        memberships,
        ...site,
      },
    ],
  };
}

export interface World {
  sim: Sim;
  client: TableauClient;
  /** The connector (its Grant/Revoke/CreateAccount/DeleteResource are what the tests call). */
  api: TableauConnector;
  /** Every JSON log line written so far. */
  logLines: Record<string, unknown>[];
  /** The `audit` objects of the log lines. */
  audits(): Record<string, unknown>[];
  ctx(): CallCtx;
  state(): Promise<SimState>;
  close(): Promise<void>;
}

export interface WorldOptions {
  policy?: ProvisioningOptions['policy'];
  mapAssetsTo?: string;
  dryRun?: boolean;
  sim?: Parameters<typeof startSimulator>[0];
  batchWindowMs?: number;
  /** Content URLs of the sites to provision (default: the Default site); `'all'`: every site. */
  contentUrls?: string[] | 'all';
  /** Reuse another world's simulator (e.g. a dry-run API next to a live one). */
  shareSim?: Sim;
}

export async function startWorld(data: ScenarioData, opts: WorldOptions = {}): Promise<World> {
  const sim = opts.shareSim ?? (await startSimulator({ port: 0, host: '127.0.0.1', ...opts.sim, data }));
  const client = new TableauClient({
    serverUrl: sim.url,
    credentials: { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret },
    retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 40 },
  });
  const logLines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = pino({ level: 'debug' }, sink);
  const api = buildConnector({
    client,
    sites: opts.contentUrls === 'all' ? { all: true } : { contentUrls: opts.contentUrls ?? [''] },
    log,
    provisioning: {
      policy: opts.policy ?? 'block-if-owner',
      ...(opts.mapAssetsTo ? { mapAssetsTo: opts.mapAssetsTo } : {}),
      dryRun: opts.dryRun ?? false,
      ...(opts.batchWindowMs !== undefined ? { batchWindowMs: opts.batchWindowMs } : {}),
    },
  });
  return {
    sim,
    client,
    api,
    logLines,
    audits: () => logLines.filter((l) => l['audit']).map((l) => l['audit'] as Record<string, unknown>),
    ctx: () => ({ signal: AbortSignal.timeout(30_000), log, syncId: '' }),
    state: async () => (await sim.state()) as SimState,
    close: async () => {
      await client.close();
      if (!opts.shareSim) await sim.close();
    },
  };
}

/** The site role of a user in the simulator's ground truth. */
export async function roleOf(world: World, userId: string): Promise<string | undefined> {
  const state = await world.state();
  return state.sites[0]?.users.find((u) => u.id === userId)?.siteRole;
}

/** Members of a group in the simulator's ground truth. */
export async function membersOf(world: World, groupId: string): Promise<Set<string>> {
  const state = await world.state();
  return new Set(state.sites[0]?.memberships.filter((m) => m.groupId === groupId).map((m) => m.userId));
}

/** Names of the annotation types in a response (`GrantAlreadyExists`, ...). */
export function annotationNames(annotations: { typeUrl: string }[] | undefined): string[] {
  return (annotations ?? []).map((a) => a.typeUrl.replace('type.googleapis.com/c1.connector.v2.', ''));
}

export const principal = (userId: string) => ({ id: { resourceType: 'user', resource: userId } });
export const entitlement = (id: string) => ({ id });
