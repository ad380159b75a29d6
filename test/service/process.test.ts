/**
 * `baton-tableau serve` as its own process (the built CLI in dist/): the ready line on stdout, exit 2
 * for an unprotected non-loopback listener, the container health probe, and SIGTERM during a slow
 * RPC — the RPC completes, the Tableau session is signed out, and the process exits 0 by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorClient } from '../../pkg/server/index.js';
import { ServingStatus } from '../../pkg/service/health-proto.js';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { buildDist } from '../cli/run-cli.js';
import { bearer, healthCheck, httpGet, metricValue, waitFor } from './helpers.js';

const CLI = 'dist/cmd/baton-tableau.js';
const HEALTHCHECK = 'dist/cmd/healthcheck.js';
const TOKEN = 'process-token-c4d2';

interface Spawned {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
}

function spawnServe(sim: RunningSimulator, flags: string[]): Spawned {
  const env = {
    PATH: process.env['PATH'],
    BATON_SERVER_PATH: sim.url,
    BATON_ACCESS_TOKEN_NAME: sim.info.pat.name,
    BATON_ACCESS_TOKEN_SECRET: sim.info.pat.secret,
  };
  // Credentials only through the environment, as in the Kubernetes manifests.
  const child = spawn(process.execPath, [CLI, 'serve', '--log-format', 'json', ...flags], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exit };
}

function firstLine(child: ChildProcess, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ready line')), timeoutMs);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', () => reject(new Error('exited before the ready line')));
  });
}

/** The Dockerfile's HEALTHCHECK command, pointed at `address` through BATON_HTTP_LISTEN. */
function runHealthcheck(address: string): Promise<number | null> {
  const port = address.slice(address.lastIndexOf(':') + 1);
  const child = spawn(process.execPath, [HEALTHCHECK], { env: { BATON_HTTP_LISTEN: `0.0.0.0:${port}` }, stdio: 'ignore' });
  return withTimeout(new Promise((resolve) => child.on('exit', resolve)), 10_000);
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms))]);

describe('serve as a process', () => {
  let sim: RunningSimulator;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // Shared with the CLI suites: one tsc build per test run.
    await buildDist();
    if (!existsSync(HEALTHCHECK)) throw new Error(`the build did not produce ${HEALTHCHECK}`);
    sim = await startSimulator({ users: 20, groups: 3, memberships: 30 });
    dir = mkdtempSync(join(tmpdir(), 'baton-proc-'));
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  }, 240_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a non-loopback listener without TLS or token: exit 2 with a clear message', async () => {
    const proc = spawnServe(sim, ['--listen', '0.0.0.0:0']);
    children.push(proc.child);
    expect(await withTimeout(proc.exit, 15_000)).toBe(2);
    expect(proc.stderr()).toMatch(/refusing to serve gRPC on non-loopback address 0\.0\.0\.0:0/);
    expect(proc.stderr()).not.toContain(sim.info.pat.secret);
  });

  it('finishes an in-flight RPC on SIGTERM, signs out, and exits 0', async () => {
    const flags = ['--listen', '127.0.0.1:0', '--http-listen', '127.0.0.1:0', '--auth-token-file', join(dir, 'token'), '--shutdown-timeout', '10s'];
    const proc = spawnServe(sim, flags);
    children.push(proc.child);
    const ready = JSON.parse(await firstLine(proc.child)) as { grpc: string; http: string };
    expect(ready.grpc).toMatch(/^127\.0\.0\.1:\d+$/);
    await waitFor(async () => (await healthCheck(ready.grpc)).status === ServingStatus.SERVING, 15_000);
    expect(await runHealthcheck(ready.http)).toBe(0);

    const client = connectorClient(ready.grpc);
    const sites = await client.listResources({ resourceTypeId: 'site' }, bearer(TOKEN));
    sim.setFaults({ latencyMs: 1_500 });
    const slow = client.listResources({ resourceTypeId: 'group', parentResourceId: sites.list![0]!.id, pageSize: 5 }, bearer(TOKEN));
    await waitFor(async () => metricValue((await httpGet(ready.http, '/metrics')).body, 'baton_grpc_server_inflight') === 1);
    const signOutsBefore = sim.stats().byRoute['POST /auth/signout'] ?? 0;
    proc.child.kill('SIGTERM');

    const groups = await slow;
    expect(groups.list?.length).toBeGreaterThan(0);
    expect(await withTimeout(proc.exit, 20_000)).toBe(0);
    expect(await runHealthcheck(ready.http)).toBe(1);
    client.close();
    sim.setFaults({ latencyMs: 0 });
    expect((sim.stats().byRoute['POST /auth/signout'] ?? 0) - signOutsBefore).toBeGreaterThanOrEqual(1);
    const logs = proc.stderr();
    expect(logs).toMatch(/draining/);
    expect(logs).not.toContain(sim.info.pat.secret);
    expect(logs).not.toContain(TOKEN);
  });
});
