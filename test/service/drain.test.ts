/**
 * Graceful shutdown in-process: close() turns health NOT_SERVING (Watch streams see it) and /readyz
 * 503, lets a slow in-flight RPC finish, signs out of Tableau; past the shutdown timeout it cancels,
 * and a background sync still running is cancelled without touching the previous c1z.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorClient } from '../../pkg/server/index.js';
import { ServingStatus } from '../../pkg/service/health-proto.js';
import { runServe, type RunningService } from '../../pkg/service/run-serve.js';
import type { ServeOptions } from '../../pkg/service/options.js';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { captureStdout, capturingLogger, healthCheck, healthWatch, httpGet, metricValue, serveOptions, waitFor } from './helpers.js';

describe('serve drain', () => {
  let sim: RunningSimulator;
  const services: RunningService[] = [];
  let logLines: string[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ users: 10, groups: 3, memberships: 10 });
  });

  afterAll(async () => {
    for (const s of services) await s.close();
    await sim?.close();
  });

  async function readyService(extra: Partial<ServeOptions>): Promise<RunningService> {
    sim.setFaults({ latencyMs: 0 });
    const cap = capturingLogger();
    logLines = cap.lines;
    const service = await runServe(serveOptions(sim, extra), { log: cap.log, stdout: captureStdout().stdout });
    services.push(service);
    await waitFor(async () => (await healthCheck(service.grpcAddress)).status === ServingStatus.SERVING);
    return service;
  }

  /** Starts a call that needs Tableau (slowed down) and waits until it is in flight. */
  async function slowCall(service: RunningService, latencyMs: number): Promise<{ outcome: Promise<string> }> {
    const client = connectorClient(service.grpcAddress);
    const sites = await client.listResources({ resourceTypeId: 'site' });
    sim.setFaults({ latencyMs });
    const call = client.listResources({ resourceTypeId: 'group', parentResourceId: sites.list![0]!.id, pageSize: 3 }).then(
      (res) => `ok:${res.list?.length ?? 0}`,
      (err: grpc.ServiceError) => grpc.status[err.code] ?? 'error',
    );
    await waitFor(async () => metricValue((await httpGet(service.httpAddress!, '/metrics')).body, 'baton_grpc_server_inflight') === 1);
    // Wrapped: returning the bare promise from an async function would wait for the call to end.
    return { outcome: call.finally(() => client.close()) };
  }

  it('goes NOT_SERVING, finishes the in-flight RPC and signs out', async () => {
    const service = await readyService({ shutdownTimeoutMs: 10_000 });
    const watch = healthWatch(service.grpcAddress);
    await waitFor(() => watch.statuses.includes(ServingStatus.SERVING));
    const { outcome } = await slowCall(service, 800);
    const signOuts = sim.stats().byRoute['POST /auth/signout'] ?? 0;
    const closing = service.close();
    await waitFor(() => watch.statuses.at(-1) === ServingStatus.NOT_SERVING);
    expect(await httpGet(service.httpAddress!, '/readyz')).toEqual({ status: 503, body: 'draining\n' });
    expect(service.isReady()).toBe(false);
    expect(await outcome).toMatch(/^ok:[1-9]/);
    await closing;
    await watch.ended;
    expect((sim.stats().byRoute['POST /auth/signout'] ?? 0) - signOuts).toBeGreaterThanOrEqual(1);
  });

  it('cancels what is still running when the shutdown timeout passes', async () => {
    const service = await readyService({ shutdownTimeoutMs: 200 });
    const { outcome } = await slowCall(service, 1_500);
    await service.close();
    expect(await outcome).toBe('CANCELLED');
    expect(logLines.join('')).toMatch(/shutdown timeout reached/);
  });

  it('cancels a running background sync and keeps the previous c1z', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-drain-'));
    try {
      const file = join(dir, 'sync.c1z');
      const service = await readyService({ syncIntervalMs: 3_600_000, file });
      // The first sync starts by itself once signed in; wait until it has finished.
      const syncedOk = async (): Promise<boolean> => metricValue((await httpGet(service.httpAddress!, '/metrics')).body, 'baton_sync_runs_total', { result: 'ok' }) === 1;
      await waitFor(syncedOk);
      const previous = readFileSync(file);
      sim.setFaults({ latencyMs: 500 });
      const running = service.syncNow();
      await new Promise((r) => setTimeout(r, 200));
      await service.close();
      expect(await running).toBe('cancelled');
      expect(readFileSync(file).equals(previous)).toBe(true);
      expect(readdirSync(dir)).toEqual(['sync.c1z']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
