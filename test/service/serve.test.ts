/**
 * `runServe` in-process against the Tableau simulator, driven by real grpc-js clients and HTTP:
 * ready line, health before and after sign-in, bearer-token auth on every service but health,
 * reflection, per-RPC logs, metrics, the in-flight limit and the background sync.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LICENSE_TIERS, licenseTierOf } from '../../pkg/connector/site/roles.js';
import { connectorClient, type ConnectorClient } from '../../pkg/server/index.js';
import { ServingStatus } from '../../pkg/service/health-proto.js';
import { runServe, type RunningService } from '../../pkg/service/run-serve.js';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { bearer, captureStdout, capturingLogger, healthCheck, httpGet, metricValue, serveOptions, waitFor } from './helpers.js';
import { decodeFileDescriptor, reflect } from './reflection-client.js';

const TOKEN = 'first-token-7f3a9c';
const SIGN_IN_LATENCY_MS = 300;

describe('serve in-process', () => {
  let sim: RunningSimulator;
  let service: RunningService;
  let client: ConnectorClient;
  let dir: string;
  let tokenFile: string;
  const { log, lines } = capturingLogger();
  const out = captureStdout();
  let healthBeforeSignIn: number | undefined;
  let readyzBeforeSignIn: number | undefined;

  beforeAll(async () => {
    // Slow sign-in at first, so the test can see NOT_SERVING before Validate succeeds.
    sim = await startSimulator({ users: 30, groups: 4, memberships: 60, latencyMs: SIGN_IN_LATENCY_MS });
    dir = mkdtempSync(join(tmpdir(), 'baton-serve-'));
    tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const opts = serveOptions(sim, { authTokenFile: tokenFile, file: join(dir, 'sync.c1z'), syncIntervalMs: 3_600_000, maxInflightRpcs: 2 });
    service = await runServe(opts, { log, stdout: out.stdout });
    healthBeforeSignIn = (await healthCheck(service.grpcAddress)).status;
    readyzBeforeSignIn = (await httpGet(service.httpAddress!, '/readyz')).status;
    client = connectorClient(service.grpcAddress);
  });

  afterAll(async () => {
    client?.close();
    await service?.close();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints exactly one ready line with the bound ports', () => {
    const printed = out.text().split('\n').filter(Boolean);
    expect(printed).toHaveLength(1);
    const ready = JSON.parse(printed[0]!) as { grpc: string; http: string };
    expect(ready).toEqual({ grpc: service.grpcAddress, http: service.httpAddress });
    expect(ready.grpc).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    expect(ready.http).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
  });

  it('is NOT_SERVING until the Tableau sign-in works, then SERVING; /readyz and /healthz follow', async () => {
    expect(healthBeforeSignIn).toBe(ServingStatus.NOT_SERVING);
    expect(readyzBeforeSignIn).toBe(503);
    await waitFor(async () => (await healthCheck(service.grpcAddress)).status === ServingStatus.SERVING);
    sim.setFaults({ latencyMs: 0 });
    expect((await healthCheck(service.grpcAddress, undefined, 'c1.connector.v2.ResourcesService')).status).toBe(ServingStatus.SERVING);
    await expect(healthCheck(service.grpcAddress, undefined, 'no.such.Service')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    expect(await httpGet(service.httpAddress!, '/readyz')).toMatchObject({ status: 200 });
    expect(await httpGet(service.httpAddress!, '/healthz')).toMatchObject({ status: 200 });
  });

  it('serves the connector to callers with the bearer token', async () => {
    const types = await client.listResourceTypes({}, bearer(TOKEN));
    expect(types.list?.map((t) => t.id)).toEqual(expect.arrayContaining(['site', 'user', 'group', 'license']));
    const sites = await client.listResources({ resourceTypeId: 'site' }, bearer(TOKEN));
    const site = sites.list?.[0]?.id;
    expect(site?.resource).toBe(sim.info.sites[0]!.id);
    const users = await client.listResources({ resourceTypeId: 'user', parentResourceId: site, pageSize: 100 }, bearer(TOKEN));
    const simIds = sim.state().sites[0]!.users.map((u) => u.id).sort();
    expect(users.list?.map((u) => u.id?.resource).sort()).toEqual(simIds);
  });

  it('refuses missing and wrong tokens with UNAUTHENTICATED, counts them, and leaves health open', async () => {
    const before = metricValue((await httpGet(service.httpAddress!, '/metrics')).body, 'baton_grpc_server_unauthenticated_total');
    await expect(client.listResourceTypes({})).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    await expect(client.listResourceTypes({}, bearer('wrong-token'))).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    const basic = new grpc.Metadata();
    basic.set('authorization', `Basic ${TOKEN}`);
    await expect(client.listResourceTypes({}, basic)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    const after = metricValue((await httpGet(service.httpAddress!, '/metrics')).body, 'baton_grpc_server_unauthenticated_total');
    expect(after - before).toBe(3);
    expect((await healthCheck(service.grpcAddress)).status).toBe(ServingStatus.SERVING);
  });

  it('serves reflection behind the same token, with snake_case names and linked files', async () => {
    await expect(reflect(service.grpcAddress, { listServices: '*' })).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    const listed = await reflect(service.grpcAddress, { listServices: '*' }, bearer(TOKEN));
    const names = listed.listServicesResponse?.service.map((s) => s.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['c1.connector.v2.ResourcesService', 'c1.connector.v2.GrantsService', 'grpc.health.v1.Health']));
    const files = await reflect(service.grpcAddress, { fileContainingSymbol: 'c1.connector.v2.ResourcesService' }, bearer(TOKEN));
    const decoded = (files.fileDescriptorResponse?.fileDescriptorProto ?? []).map(decodeFileDescriptor);
    const main = decoded.find((f) => f.messageType?.some((m) => m.name === 'ResourcesServiceListResourcesRequest'));
    expect(main?.dependency?.length).toBeGreaterThan(0);
    // Every dependency a file names is shipped in the same response, so clients can resolve it.
    for (const dep of main?.dependency ?? []) expect(decoded.map((f) => f.name)).toContain(dep);
    const request = main?.messageType?.find((m) => m.name === 'ResourcesServiceListResourcesRequest');
    expect(request?.field?.map((f) => f.name)).toContain('resource_type_id');
  });

  it('picks up a changed token file without a restart', async () => {
    writeFileSync(tokenFile, 'rotated-token-41b2\n');
    await waitFor(async () => {
      try {
        await client.listResourceTypes({}, bearer('rotated-token-41b2'));
        return true;
      } catch {
        return false;
      }
    });
    await expect(client.listResourceTypes({}, bearer(TOKEN))).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    writeFileSync(tokenFile, `${TOKEN}\nrotated-token-41b2\n`);
    await waitFor(async () => {
      try {
        await client.listResourceTypes({}, bearer(TOKEN));
        return true;
      } catch {
        return false;
      }
    });
  });

  it('answers RESOURCE_EXHAUSTED past the in-flight limit', async () => {
    sim.setFaults({ latencyMs: 400 });
    try {
      const calls = Array.from({ length: 5 }, (_, i) =>
        client.listResources({ resourceTypeId: 'group', pageSize: 1 + i }, bearer(TOKEN)).then(
          () => 'ok',
          (err: grpc.ServiceError) => grpc.status[err.code],
        ),
      );
      const outcomes = await Promise.all(calls);
      expect(outcomes.filter((o) => o === 'RESOURCE_EXHAUSTED').length).toBeGreaterThanOrEqual(3);
      expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(1);
    } finally {
      sim.setFaults({ latencyMs: 0 });
    }
  });

  it('logs one JSON line per RPC with method, code, duration, request id and peer — and no secrets', async () => {
    const requestId = 'req-abc-123';
    const md = bearer(TOKEN);
    md.set('x-request-id', requestId);
    await client.getMetadata({}, md);
    const rpcLines = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'rpc');
    const mine = rpcLines.filter((l) => l['requestId'] === requestId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ method: '/c1.connector.v2.ConnectorService/GetMetadata', code: 'OK' });
    expect(typeof mine[0]!['durationMs']).toBe('number');
    expect(String(mine[0]!['peer'])).toMatch(/127\.0\.0\.1/);
    expect(rpcLines.some((l) => l['code'] === 'UNAUTHENTICATED')).toBe(true);
    const all = lines.join('\n');
    for (const secret of [sim.info.pat.secret, TOKEN, 'rotated-token-41b2', 'wrong-token']) expect(all).not.toContain(secret);
  });

  it('exposes metrics that move: RPCs by method and code, Tableau requests and sign-ins', async () => {
    const first = (await httpGet(service.httpAddress!, '/metrics')).body;
    await client.listResources({ resourceTypeId: 'site' }, bearer(TOKEN));
    const second = (await httpGet(service.httpAddress!, '/metrics')).body;
    const listSites = { method: '/c1.connector.v2.ResourcesService/ListResources', code: 'OK' };
    expect(metricValue(second, 'baton_grpc_server_handled_total', listSites)).toBe(metricValue(first, 'baton_grpc_server_handled_total', listSites) + 1);
    expect(metricValue(second, 'baton_grpc_server_handling_seconds_count', listSites)).toBeGreaterThan(0);
    expect(metricValue(second, 'baton_grpc_server_handled_total', { code: 'RESOURCE_EXHAUSTED' })).toBeGreaterThan(0);
    expect(metricValue(second, 'baton_tableau_requests_total')).toBeGreaterThan(0);
    expect(metricValue(second, 'baton_tableau_sign_ins_total')).toBeGreaterThanOrEqual(1);
    expect(metricValue(second, 'baton_ready')).toBe(1);
    expect(second).not.toContain(sim.info.pat.secret);
    expect(second).not.toContain(TOKEN);
  });

  it('syncs in the background into the c1z, never two at once, and reports seats per tier', async () => {
    const first = service.syncNow();
    const second = service.syncNow();
    expect(await second).toBe('skipped');
    await first;
    expect(await service.syncNow()).toBe('ok');
    expect(readFileSync(join(dir, 'sync.c1z')).subarray(0, 5).toString('latin1')).toBe('C1ZF\0');
    const metrics = (await httpGet(service.httpAddress!, '/metrics')).body;
    expect(metricValue(metrics, 'baton_sync_runs_total', { result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics, 'baton_sync_runs_total', { result: 'skipped' })).toBeGreaterThanOrEqual(1);
    const users = sim.state().sites[0]!.users;
    expect(metricValue(metrics, 'baton_tableau_license_seats')).toBe(users.length);
    for (const tier of LICENSE_TIERS) {
      const holders = users.filter((u) => licenseTierOf(u.siteRole) === tier).length;
      expect(metricValue(metrics, 'baton_tableau_license_seats', { tier }), tier).toBe(holders);
    }
  });
});
