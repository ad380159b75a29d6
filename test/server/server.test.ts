/**
 * The gRPC adapter end to end: a real grpc-js client against startGrpcServer on 127.0.0.1:0,
 * backed by an in-memory ConnectorApi (test/server/fake-api.ts).
 */
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { ConnectorApi } from '../../pkg/connector/api.js';
import { ConnectorError } from '../../pkg/connector/errors.js';
import { connectorClient, METHOD_BINDINGS, rateLimitDetail, startGrpcServer, statusDetails, type ConnectorClient, type RunningGrpcServer } from '../../pkg/server/index.js';
import { TableauError } from '../../pkg/tableau/errors.js';
import { RateLimitStatus } from '../../proto/types.js';
import { FakeApi, REQUESTS, RESPONSES } from './fake-api.js';

const silent = pino({ level: 'silent' });
const api = new FakeApi();
let server: RunningGrpcServer;
let client: ConnectorClient;

beforeAll(async () => {
  server = await startGrpcServer({ api, listen: '127.0.0.1:0', log: silent, provisioning: true });
  client = connectorClient(server.address);
});
afterAll(async () => {
  client.close();
  await server.close(1000);
});
beforeEach(() => {
  api.calls.length = 0;
  for (const key of Object.keys(api.behaviour)) delete api.behaviour[key as keyof ConnectorApi];
});

/** The rejection of a call, as grpc-js's ServiceError. */
async function failure(call: Promise<unknown>): Promise<grpc.ServiceError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!err) throw new Error('the call succeeded');
  return err as grpc.ServiceError;
}

test('listens on the real port', () => {
  expect(server.address).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
});

test('a port already in use is reported, not ignored', async () => {
  await expect(startGrpcServer({ api, listen: server.address, log: silent, provisioning: false })).rejects.toThrow();
});

describe('every RPC reaches the api with the decoded request and returns its response', () => {
  for (const binding of METHOD_BINDINGS) {
    test(`${binding.service}/${binding.method}`, async () => {
      const request = REQUESTS[binding.api];
      const call = client[binding.api] as (req: object) => Promise<object>;
      const response = await call(request);
      expect(api.calls.map((c) => c.method)).toEqual([binding.api]);
      expect(api.calls[0]!.req).toEqual(request);
      expect(response).toEqual(RESPONSES[binding.api]);
    });
  }
});

test('the call context carries the sync id and a logger bound to method and request id', async () => {
  const metadata = new grpc.Metadata();
  metadata.set('x-request-id', 'req-7');
  await client.listGrants(REQUESTS.listGrants, metadata);
  const ctx = api.calls[0]!.ctx;
  expect(ctx.syncId).toBe('sync-1');
  expect(ctx.signal.aborted).toBe(false);
  expect(ctx.log.bindings()).toMatchObject({ method: '/c1.connector.v2.GrantsService/ListGrants', requestId: 'req-7' });
});

describe('errors map to gRPC codes in one place', () => {
  const cases: [string, unknown, grpc.status][] = [
    ['ConnectorError NOT_FOUND', new ConnectorError('NOT_FOUND', 'no such site'), grpc.status.NOT_FOUND],
    ['ConnectorError FAILED_PRECONDITION', new ConnectorError('FAILED_PRECONDITION', 'no resource types'), grpc.status.FAILED_PRECONDITION],
    ['Tableau 401', new TableauError({ code: 'UNAUTHORIZED', message: 'GET /api/3.29/sites: 401002', httpStatus: 401 }), grpc.status.UNAUTHENTICATED],
    ['Tableau 403', new TableauError({ code: 'FORBIDDEN', message: 'GET /users: 403', httpStatus: 403 }), grpc.status.PERMISSION_DENIED],
    ['Tableau 404', new TableauError({ code: 'NOT_FOUND', message: 'GET /groups/x: 404', httpStatus: 404 }), grpc.status.NOT_FOUND],
    ['Tableau 400', new TableauError({ code: 'BAD_REQUEST', message: 'PUT /users/x: 400', httpStatus: 400 }), grpc.status.INVALID_ARGUMENT],
    ['Tableau 409', new TableauError({ code: 'CONFLICT', message: 'POST /users: 409', httpStatus: 409 }), grpc.status.ALREADY_EXISTS],
  ];
  for (const [name, error, code] of cases) {
    test(name, async () => {
      api.behaviour.listResources = { fail: error };
      const err = await failure(client.listResources(REQUESTS.listResources));
      expect(err.code).toBe(code);
      expect(err.details).toBe((error as Error).message);
      expect(rateLimitDetail(err)).toBeUndefined();
    });
  }

  test('Tableau 429 → UNAVAILABLE with a RateLimitDescription honouring Retry-After', async () => {
    api.behaviour.listGrants = { fail: new TableauError({ code: 'RATE_LIMITED', message: 'GET /users: 429', httpStatus: 429, retryAfterSeconds: 30 }) };
    const before = Math.floor(Date.now() / 1000);
    const err = await failure(client.listGrants(REQUESTS.listGrants));
    expect(err.code).toBe(grpc.status.UNAVAILABLE);
    expect(statusDetails(err)).toMatchObject({ code: grpc.status.UNAVAILABLE, message: 'GET /users: 429' });
    const hint = rateLimitDetail(err);
    expect(hint?.status).toBe(RateLimitStatus.STATUS_OVERLIMIT);
    expect(hint?.resetAt?.seconds).toBeGreaterThanOrEqual(before + 30);
    expect(hint?.resetAt?.seconds).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 30);
  });

  test('Tableau 5xx and network failures → UNAVAILABLE with a retry hint', async () => {
    for (const code of ['SERVER_ERROR', 'NETWORK'] as const) {
      api.behaviour.listEntitlements = { fail: new TableauError({ code, message: `GET /groups: ${code}` }) };
      const err = await failure(client.listEntitlements(REQUESTS.listEntitlements));
      expect(err.code).toBe(grpc.status.UNAVAILABLE);
      expect(rateLimitDetail(err)?.resetAt?.seconds).toBeGreaterThan(0);
    }
  });

  test('unknown errors → UNKNOWN with a safe message (the cause stays in the log)', async () => {
    api.behaviour.validate = { fail: new Error('token=s3cr3t-value exploded') };
    const err = await failure(client.validate({}));
    expect(err.code).toBe(grpc.status.UNKNOWN);
    expect(err.details).not.toContain('s3cr3t');
    expect(err.details).toMatch(/internal error/);
  });

  test('a response over the 4 MiB gRPC limit fails on the server with RESOURCE_EXHAUSTED', async () => {
    const huge = { id: { resourceType: 'user', resource: 'x' }, description: 'd'.repeat(1024 * 1024) };
    api.behaviour.listResources = { respond: { list: [huge, huge, huge, huge, huge] } };
    const err = await failure(client.listResources(REQUESTS.listResources));
    expect(err.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });
});

describe('requests are validated like the SDK protoc-gen-validate rules', () => {
  const cases: [string, () => Promise<unknown>, string][] = [
    ['page_size over 250', () => client.listResources({ ...REQUESTS.listResources, pageSize: 251 }), 'page_size'],
    ['page_token over 1 MiB', () => client.listGrants({ ...REQUESTS.listGrants, pageToken: 'x'.repeat(1024 * 1024 + 1) }), 'page_token'],
    ['missing resource_type_id', () => client.listResources({ pageSize: 10 }), 'resource_type_id'],
    ['missing static resource_type_id', () => client.listStaticEntitlements({}), 'resource_type_id'],
    ['missing grants resource', () => client.listGrants({}), 'resource'],
    ['resource id too long', () => client.getResource({ resourceId: { resourceType: 'user', resource: 'u'.repeat(1025) } }), 'resource_id.resource'],
    ['empty resource id', () => client.listGrants({ resource: { id: { resourceType: 'site', resource: '' } } }), 'resource.id.resource'],
    ['active_sync_id too long', () => client.cleanup({ activeSyncId: 's'.repeat(1025) }), 'active_sync_id'],
    ['revoke without a grant', () => client.revoke({}), 'grant'],
    ['grant without a principal', () => client.grant({ entitlement: REQUESTS.grant.entitlement }), 'principal'],
    ['bad account email', () => client.createAccount({ accountInfo: { emails: [{ address: 'not-an-email' }] } }), 'account_info.emails[0].address'],
  ];
  for (const [name, call, field] of cases) {
    test(name, async () => {
      const err = await failure(call());
      expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(err.details.startsWith(`${field}: `)).toBe(true);
      expect(api.calls).toHaveLength(0);
    });
  }

  test('a full-size but valid page token and page_size 250 pass', async () => {
    await client.listGrants({ ...REQUESTS.listGrants, pageSize: 250, pageToken: 'x'.repeat(1024 * 1024) });
    expect(api.calls).toHaveLength(1);
  });
});

/** True once `signal` aborts; false if it has not after `ms` (so a regression fails, not hangs). */
function abortedWithin(signal: AbortSignal, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('cancellation reaches ctx.signal', () => {
  test('when the client cancels', async () => {
    api.behaviour.listResources = { waitForAbort: true };
    const controller = new AbortController();
    const reached = api.nextCall();
    const pending = failure(client.listResources(REQUESTS.listResources, undefined, { signal: controller.signal }));
    const call = await reached;
    expect(call.ctx.signal.aborted).toBe(false);
    controller.abort();
    expect((await pending).code).toBe(grpc.status.CANCELLED);
    expect(await abortedWithin(call.ctx.signal, 5000)).toBe(true);
  });

  test('when the deadline passes', async () => {
    api.behaviour.listGrants = { waitForAbort: true };
    const reached = api.nextCall();
    const err = await failure(client.listGrants(REQUESTS.listGrants, undefined, { deadline: Date.now() + 300 }));
    expect(err.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    const call = await reached;
    expect(await abortedWithin(call.ctx.signal, 5000)).toBe(true);
  });
});

describe('provisioning gate', () => {
  let gated: RunningGrpcServer;
  let gatedClient: ConnectorClient;
  beforeAll(async () => {
    gated = await startGrpcServer({ api, listen: '127.0.0.1:0', log: silent, provisioning: false });
    gatedClient = connectorClient(gated.address);
  });
  afterAll(async () => {
    gatedClient.close();
    await gated.close(1000);
  });

  for (const binding of METHOD_BINDINGS.filter((b) => b.provisioning)) {
    test(`${binding.method} answers FAILED_PRECONDITION without calling the api`, async () => {
      const call = gatedClient[binding.api] as (req: object) => Promise<object>;
      const err = await failure(call(REQUESTS[binding.api]));
      expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
      expect(err.details).toBe('provisioning is not enabled');
      expect(api.calls).toHaveLength(0);
    });
  }

  test('read RPCs still work', async () => {
    expect(await gatedClient.listResources(REQUESTS.listResources)).toEqual(RESPONSES.listResources);
  });
});

test('a generic grpc-js client (no helper) speaks the same wire format', async () => {
  const { encode, decode } = await import('../../proto/index.js');
  const raw = new grpc.Client(server.address, grpc.credentials.createInsecure());
  try {
    const response = await new Promise<unknown>((resolve, reject) =>
      raw.makeUnaryRequest(
        '/c1.connector.v2.ResourceTypesService/ListResourceTypes',
        (m: object) => Buffer.from(encode('c1.connector.v2.ResourceTypesServiceListResourceTypesRequest', m)),
        (b: Buffer) => decode('c1.connector.v2.ResourceTypesServiceListResourceTypesResponse', b),
        {},
        (err, res) => (err ? reject(err) : resolve(res)),
      ),
    );
    expect(response).toEqual(RESPONSES.listResourceTypes);
  } finally {
    raw.close();
  }
});
