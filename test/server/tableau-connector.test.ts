/**
 * The real Tableau-backed connector served over gRPC: simulator → TableauClient → buildConnector →
 * startGrpcServer → grpc-js client. A sync driven over the wire must see exactly what the in-process
 * ConnectorApi returns ("sync in-process" and "sync over gRPC" cannot drift apart). Budget: ~5 s.
 */
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ConnectorApi } from '../../pkg/connector/api.js';
import { buildConnector } from '../../pkg/connector/builder.js';
import { ConnectorError } from '../../pkg/connector/errors.js';
import type { CallCtx } from '../../pkg/connector/types.js';
import { connectorClient, remoteConnectorApi, startGrpcServer, type ConnectorClient, type RunningGrpcServer } from '../../pkg/server/index.js';
import { TableauClient } from '../../pkg/tableau/index.js';
import { startSimulator } from '../../pkg/tableau-sim/index.js';
import { findAnnotation } from '../../proto/index.js';
import type { ChildResourceType, Resource, ResourceId } from '../../proto/types.js';

const silent = pino({ level: 'silent' });
const MAX_PAGES = 500;

let sim: Awaited<ReturnType<typeof startSimulator>>;
let tableau: TableauClient;
let local: ConnectorApi;
let server: RunningGrpcServer;
let client: ConnectorClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 3, sites: 1, users: 60, groups: 4, memberships: 120 });
  tableau = new TableauClient({ serverUrl: sim.url, credentials: { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret } });
  local = buildConnector({ client: tableau, sites: { all: true }, log: silent });
  server = await startGrpcServer({ api: local, listen: '127.0.0.1:0', log: silent, provisioning: false });
  client = connectorClient(server.address);
});
afterAll(async () => {
  client?.close();
  await server?.close(1000);
  await tableau?.close();
  await sim?.close();
});

const ctxFor = (syncId: string): CallCtx => ({ signal: AbortSignal.timeout(30_000), log: silent, syncId });

async function drain<T>(call: (token: string) => Promise<{ list?: T[]; nextPageToken?: string }>): Promise<T[]> {
  const items: T[] = [];
  let token = '';
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await call(token);
    items.push(...(res.list ?? []));
    if (!res.nextPageToken) return items;
    token = res.nextPageToken;
  }
  throw new Error('pagination did not end');
}

/** Ids of every resource, entitlement and grant, in the Baton sync order. */
async function syncIds(api: ConnectorApi, syncId: string): Promise<string[]> {
  const ctx = ctxFor(syncId);
  const types = await drain((t) => api.listResourceTypes({ pageToken: t, activeSyncId: syncId }, ctx));
  const resources: Resource[] = [];
  const queue: { typeId: string; parent?: ResourceId }[] = types.map((t) => ({ typeId: t.id ?? '' }));
  for (let op = queue.shift(); op; op = queue.shift()) {
    const { typeId, parent } = op;
    const page = await drain((t) => api.listResources({ resourceTypeId: typeId, parentResourceId: parent, pageToken: t, activeSyncId: syncId }, ctx));
    for (const r of page) {
      resources.push(r);
      for (const a of r.annotations ?? []) {
        const child = findAnnotation<ChildResourceType>([a], 'c1.connector.v2.ChildResourceType');
        if (child?.resourceTypeId) queue.push({ typeId: child.resourceTypeId, parent: r.id });
      }
    }
  }
  const ids = resources.map((r) => `${r.id?.resourceType}:${r.id?.resource}`);
  for (const resource of resources) {
    const ents = await drain((t) => api.listEntitlements({ resource, pageToken: t, activeSyncId: syncId }, ctx));
    const grants = await drain((t) => api.listGrants({ resource, pageToken: t, activeSyncId: syncId }, ctx));
    ids.push(...ents.map((e) => e.id ?? ''), ...grants.map((g) => g.id ?? ''));
  }
  await api.cleanup({ activeSyncId: syncId }, ctx);
  return ids;
}

test('a sync over gRPC sees exactly what the in-process connector returns', async () => {
  const overGrpc = await syncIds(remoteConnectorApi(client), 'sync-grpc');
  const inProcess = await syncIds(local, 'sync-local');
  const state = await sim.state();
  const users = (state as { sites: { users: unknown[] }[] }).sites[0]!.users.length;
  expect(overGrpc.filter((id) => id.startsWith('user:'))).toHaveLength(users);
  expect(overGrpc.length).toBeGreaterThan(users + 120);
  expect(overGrpc).toEqual(inProcess);
});

test('metadata and validation answer over gRPC', async () => {
  const { metadata } = await client.getMetadata({});
  expect(metadata?.displayName).toBeTruthy();
  expect((await client.validate({})).sdkVersion).toMatch(/^\d+\.\d+\.\d+/);
});

test('connector errors keep their status and message across the wire', async () => {
  const err = (await client.listResources({ resourceTypeId: 'no-such-type' }).catch((e: unknown) => e)) as grpc.ServiceError;
  expect(err.code).toBe(grpc.status.NOT_FOUND);
  const remote = remoteConnectorApi(client);
  const mapped = await remote.listResources({ resourceTypeId: 'no-such-type' }, ctxFor('x')).catch((e: unknown) => e);
  expect(mapped).toBeInstanceOf(ConnectorError);
  expect((mapped as ConnectorError).status).toBe('NOT_FOUND');
  expect((mapped as ConnectorError).message).toBe(err.details);
});

test('provisioning RPCs are refused when provisioning is off', async () => {
  const err = (await client.revoke({ grant: { id: 'g', entitlement: { id: 'e', resource: { id: { resourceType: 'site', resource: 's' } } }, principal: { id: { resourceType: 'user', resource: 'u' } } } }).catch((e: unknown) => e)) as grpc.ServiceError;
  expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
});
