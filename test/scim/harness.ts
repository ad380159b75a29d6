/**
 * SCIM over real gRPC: a simulator on 127.0.0.1:0 with `scim` (SCIM-enabled sites and their SCIM
 * endpoints), a TableauClient with its PAT, the connector (optionally with the SCIM read) and
 * provisioning behind `startGrpcServer`, and a grpc-js client. The pino output is captured.
 */
import { buildConnector } from '../../pkg/connector/builder.js';
import { connectorClient, startGrpcServer, type ConnectorClient, type RunningGrpcServer } from '../../pkg/server/index.js';
import { TableauClient } from '../../pkg/tableau/index.js';
import type { ScimSettings } from '../../pkg/tableau/scim.js';
import { startSimulator, type SimOptions } from '../../pkg/tableau-sim/index.js';
import type { SimState } from '../../pkg/tableau-sim/types.js';
import { drain } from '../connector/walk.js';
import { captureLog, type Sim } from '../provisioning-e2e/harness.js';
import type * as pb from '../../proto/types.js';

export interface ScimE2eOptions {
  sim?: SimOptions;
  /** Give the connector the opt-in SCIM read: the first site's base URL, with its secret or `token`. */
  scimRead?: boolean | { token: string };
  dryRun?: boolean;
  scimOverride?: boolean;
}

export interface ScimE2e {
  sim: Sim;
  rpc: ConnectorClient;
  lines: Record<string, unknown>[];
  audits(): Record<string, unknown>[];
  state(): Promise<SimState>;
  close(): Promise<void>;
}

/** A small SCIM world: 40 users, 8 groups on one site (deterministic for the seed). */
export const SCIM_SIM: SimOptions = { seed: 7, users: 40, groups: 8, memberships: 120, scim: true, contentPerOwner: 0 };

export async function startScimE2e(opts: ScimE2eOptions = {}): Promise<ScimE2e> {
  const sim = await startSimulator({ port: 0, host: '127.0.0.1', ...SCIM_SIM, ...opts.sim });
  const client = new TableauClient({
    serverUrl: sim.url,
    credentials: { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret },
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
  });
  const captured = captureLog();
  const first = sim.scim[0];
  const token = typeof opts.scimRead === 'object' ? opts.scimRead.token : first?.token;
  const scim: ScimSettings | undefined = opts.scimRead && first && token ? { baseUrl: first.baseUrl, token } : undefined;
  const sites = { contentUrls: [''] };
  const withScim = scim ? { scim } : {};
  const provisioning = { policy: 'remove' as const, dryRun: opts.dryRun ?? false, scimOverride: opts.scimOverride ?? false };
  const api = buildConnector({ client, sites, log: captured.log, provisioning, ...withScim });
  let server: RunningGrpcServer;
  try {
    server = await startGrpcServer({ api, listen: '127.0.0.1:0', log: captured.log, provisioning: true });
  } catch (err) {
    await client.close();
    await sim.close();
    throw err;
  }
  const rpc = connectorClient(server.address);
  return {
    sim, rpc, lines: captured.lines, audits: captured.audits,
    state: async () => (await sim.state()) as SimState,
    close: async () => {
      rpc.close();
      await server.close(2000);
      await client.close();
      await sim.close();
    },
  };
}

/** Every resource of a type under the first site, over gRPC. */
export async function listUnderSite(e2e: ScimE2e, resourceTypeId: 'user' | 'group'): Promise<pb.Resource[]> {
  const siteId = e2e.sim.info.sites[0]?.id ?? '';
  const parentResourceId = { resourceType: 'site', resource: siteId };
  return (await drain(resourceTypeId, (pageToken) => e2e.rpc.listResources({ resourceTypeId, parentResourceId, pageToken }))).items;
}

/** Every grant of a resource, over gRPC. */
export async function grantsOf(e2e: ScimE2e, resource: pb.Resource): Promise<pb.Grant[]> {
  return (await drain('grants', (pageToken) => e2e.rpc.listGrants({ resource, pageToken }))).items;
}
