/**
 * Provisioning over real gRPC: a simulator on 127.0.0.1:0 serving an exact scenario, a TableauClient
 * with its PAT, the connector with its provisioning options behind `startGrpcServer`, and a grpc-js
 * `connectorClient`. The pino output is captured, so tests can read the audit lines.
 */
import type * as grpc from '@grpc/grpc-js';
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildConnector, type ProvisioningOptions } from '../../pkg/connector/builder.js';
import { connectorClient, startGrpcServer, type ConnectorClient, type RunningGrpcServer } from '../../pkg/server/index.js';
import { TableauClient } from '../../pkg/tableau/index.js';
import { startSimulator } from '../../pkg/tableau-sim/index.js';
import type { ScenarioData, SimState } from '../../pkg/tableau-sim/types.js';
import type * as pb from '../../proto/types.js';

export { ADMIN, annotationNames, group, luid, scenario, SITE, user } from '../provision/harness.js';

export type Sim = Awaited<ReturnType<typeof startSimulator>>;

/** Collects every JSON line a pino logger writes. */
export function captureLog(): { log: pino.Logger; lines: Record<string, unknown>[]; audits(): Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return {
    log: pino({ level: 'debug' }, sink),
    lines,
    audits: () => lines.filter((l) => l['audit']).map((l) => l['audit'] as Record<string, unknown>),
  };
}

export interface E2eOptions {
  policy?: ProvisioningOptions['policy'];
  mapAssetsTo?: string;
  dryRun?: boolean;
  /** The gRPC server's `-p` gate (default on). Provisioning is built into the connector either way. */
  gate?: boolean;
  apiVersion?: string;
  /** `--allow-pool-lockout`. */
  allowPoolLockout?: boolean;
}

/** One simulator, one connector with provisioning behind a gRPC server, one client of it. */
export interface E2e {
  sim: Sim;
  rpc: ConnectorClient;
  lines: Record<string, unknown>[];
  audits(): Record<string, unknown>[];
  state(): Promise<SimState>;
  close(): Promise<void>;
}

export async function startE2e(data: ScenarioData, opts: E2eOptions = {}): Promise<E2e> {
  const sim = await startSimulator({ port: 0, host: '127.0.0.1', data, ...(opts.apiVersion ? { apiVersion: opts.apiVersion } : {}) });
  const client = new TableauClient({
    serverUrl: sim.url,
    credentials: { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret },
  });
  const captured = captureLog();
  const sites = { contentUrls: [''] };
  const provisioning: ProvisioningOptions = {
    policy: opts.policy ?? 'block-if-owner',
    ...(opts.mapAssetsTo ? { mapAssetsTo: opts.mapAssetsTo } : {}),
    dryRun: opts.dryRun ?? false,
    ...(opts.allowPoolLockout ? { allowPoolLockout: true } : {}),
  };
  const api = buildConnector({ client, sites, log: captured.log, provisioning });
  let server: RunningGrpcServer;
  try {
    server = await startGrpcServer({ api, listen: '127.0.0.1:0', log: captured.log, provisioning: opts.gate ?? true });
  } catch (err) {
    await client.close();
    await sim.close();
    throw err;
  }
  const rpc = connectorClient(server.address);
  return {
    sim,
    rpc,
    lines: captured.lines,
    audits: captured.audits,
    state: async () => (await sim.state()) as SimState,
    close: async () => {
      rpc.close();
      await server.close(2000);
      await client.close();
      await sim.close();
    },
  };
}

/** A resource as the connector's GetResource returns it over gRPC. */
export async function resourceOf(rpc: ConnectorClient, resourceType: string, resource: string): Promise<pb.Resource> {
  return (await rpc.getResource({ resourceId: { resourceType, resource } })).resource ?? {};
}

/** The entitlement `<type>:<id>:<slug>` from ListEntitlements over gRPC (first page: every fixed slug). */
export async function entitlementOf(rpc: ConnectorClient, resourceType: string, resource: string, slug: string): Promise<pb.Entitlement> {
  const res = await rpc.listEntitlements({ resource: await resourceOf(rpc, resourceType, resource) });
  const found = (res.list ?? []).find((e) => e.slug === slug);
  if (!found) throw new Error(`no entitlement ${slug} on ${resourceType} ${resource}`);
  return found;
}

/** The user resource of `userId` (a principal). */
export const userResource = (rpc: ConnectorClient, userId: string): Promise<pb.Resource> => resourceOf(rpc, 'user', userId);

/** The rejection of a call as grpc-js's ServiceError; fails the test when the call succeeded. */
export async function rejection(call: Promise<unknown>): Promise<grpc.ServiceError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!err) throw new Error('the call succeeded');
  return err as grpc.ServiceError;
}

/** Users of the first site in the simulator's ground truth. */
export async function usersOf(e2e: E2e): Promise<SimState['sites'][number]['users']> {
  return (await e2e.state()).sites[0]?.users ?? [];
}

/** The site role of a user in the ground truth (undefined once removed). */
export async function roleOf(e2e: E2e, userId: string): Promise<string | undefined> {
  return (await usersOf(e2e)).find((u) => u.id === userId)?.siteRole;
}

/** Members of a group in the ground truth. */
export async function membersOf(e2e: E2e, groupId: string): Promise<Set<string>> {
  const state = await e2e.state();
  return new Set(state.sites[0]?.memberships.filter((m) => m.groupId === groupId).map((m) => m.userId));
}
