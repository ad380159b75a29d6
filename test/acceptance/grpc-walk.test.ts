/**
 * Issue 3 acceptance: simulator (2 sites × 20,000 users, a few hundred groups, skewed memberships with
 * groups far above 2,500 members) → TableauClient → buildConnector → startGrpcServer on 127.0.0.1:0 →
 * a real grpc-js client walking every resource type, resource (following ChildResourceType),
 * entitlement and grant page by page in Baton order, failing on a repeated token. What it collects
 * equals `/_sim/state` exactly, and every response stays far below gRPC's 4 MiB limit.
 * Budget: ~40 s.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from '../../proto/index.js';
import type { ConnectorApi } from '../../pkg/connector/api.js';
import { buildConnector } from '../../pkg/connector/builder.js';
import type { CallCtx } from '../../pkg/connector/types.js';
import { connectorClient, remoteConnectorApi, startGrpcServer, type ConnectorClient, type RunningGrpcServer } from '../../pkg/server/index.js';
import { TableauClient } from '../../pkg/tableau/index.js';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { expectSameModel, type State } from '../connector/expected.js';
import { callCtx, walk } from '../connector/walk.js';

const USERS_PER_SITE = 20_000;
const GRPC_LIMIT = 4 * 1024 * 1024;
const silent = pino({ level: 'silent' });

let sim: RunningSimulator;
let tableau: TableauClient;
let server: RunningGrpcServer;
let client: ConnectorClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 33, sites: 2, users: USERS_PER_SITE, groups: 300, memberships: 40_000 });
  tableau = new TableauClient({ serverUrl: sim.url, credentials: { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret } });
  const api = buildConnector({ client: tableau, sites: { all: true }, log: silent });
  server = await startGrpcServer({ api, listen: '127.0.0.1:0', log: silent, provisioning: false });
  client = connectorClient(server.address);
}, 180_000);

afterAll(async () => {
  client?.close();
  await server?.close(1000);
  await tableau?.close();
  await sim?.close();
});

type Ctx = CallCtx;

/**
 * The remote connector as a Baton syncer calls it: every request carries the sync id
 * (`active_sync_id`), and the encoded size of every list response is recorded.
 */
function asBatonSyncer(api: ConnectorApi, sizes: number[]): ConnectorApi {
  const listing = <Req extends { activeSyncId?: string }, Res extends object>(response: string, call: (req: Req, ctx: Ctx) => Promise<Res>) =>
    async (req: Req, ctx: Ctx): Promise<Res> => {
      const res = await call({ ...req, activeSyncId: ctx.syncId }, ctx);
      sizes.push(encode(`c1.connector.v2.${response}`, res).length);
      return res;
    };
  return {
    ...api,
    listResourceTypes: listing('ResourceTypesServiceListResourceTypesResponse', api.listResourceTypes),
    listResources: listing('ResourcesServiceListResourcesResponse', api.listResources),
    listStaticEntitlements: listing('EntitlementsServiceListStaticEntitlementsResponse', api.listStaticEntitlements),
    listEntitlements: listing('EntitlementsServiceListEntitlementsResponse', api.listEntitlements),
    listGrants: listing('GrantsServiceListGrantsResponse', api.listGrants),
  };
}

describe('gRPC walk of 2 sites × 20,000 users', () => {
  it('collects exactly the simulator state, in responses far below 4 MiB', async () => {
    const state = sim.state() as unknown as State;
    expect(state.sites.map((s) => s.users.length)).toEqual([USERS_PER_SITE, USERS_PER_SITE]);
    expect(state.sites.every((s) => s.groups.length > 300)).toBe(true);
    const members = new Map<string, number>();
    for (const site of state.sites) for (const m of site.memberships) members.set(m.groupId, (members.get(m.groupId) ?? 0) + 1);
    const allUsersIds = new Set(state.sites.flatMap((s) => s.groups.filter((g) => g.name === 'All Users').map((g) => g.id)));
    const largestOther = Math.max(...[...members].filter(([id]) => !allUsersIds.has(id)).map(([, n]) => n));
    expect(largestOther).toBeGreaterThan(2_500);

    sim.resetStats();
    const sizes: number[] = [];
    const result = await walk(asBatonSyncer(remoteConnectorApi(client), sizes), callCtx('acceptance-grpc'));
    expectSameModel(result, state);

    // One Baton page = one Tableau page: the biggest group's grants come in several pages.
    const biggest = [...members].sort((a, b) => b[1] - a[1]).find(([id]) => !allUsersIds.has(id));
    expect(result.pages.get(`grants group:${biggest?.[0]}`)).toBe(Math.ceil((biggest?.[1] ?? 0) / 1000));
    expect(sizes.length).toBeGreaterThan(500);
    expect(Math.max(...sizes)).toBeLessThan(GRPC_LIMIT / 2);
    // Users are read from Tableau once per page for the whole walk (site and license grants reuse them).
    expect(sim.stats().byRoute['GET /sites/{}/users']).toBe(2 * Math.ceil(USERS_PER_SITE / 1000));
  }, 240_000); // ~15 s idle; several times that when the 2-core host is busy

});
