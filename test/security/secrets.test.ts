/**
 * No secret in any output: the CLI's failure paths run at debug level (JSON and console formats) and
 * `serve` handles good and bad callers, while the simulator records every session token it issues.
 * All stdout, stderr, log lines, gRPC error details and `/metrics` are then searched for the PAT
 * secret, the password, the connected-app secret, any JWT, the session tokens and the bearer token.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServe } from '../../pkg/service/run-serve.js';
import type { RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { buildDist, runCli } from '../cli/run-cli.js';
import { startSim } from '../reliability/helpers.js';
import { captureStdout, capturingLogger, httpGet, serveOptions } from '../service/helpers.js';
import { RawClient } from './grpc-client.js';

const BEARER = 'serve-bearer-token-9Qw2xL';
const JWT_PATTERN = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]*/;

let sim: RunningSimulator;
let tlsSim: RunningSimulator;
let dir: string;
const sessionTokens = new Set<string>();
const outputs: string[] = [];

function recordTokens(target: RunningSimulator): void {
  target.interceptResponses((_request, response) => {
    for (const match of response.body.toString('utf8').matchAll(/"token":"([^"]+)"|\btoken="([^"]+)"/g)) {
      sessionTokens.add(match[1] ?? match[2] ?? '');
    }
    return undefined;
  });
}

beforeAll(async () => {
  await buildDist();
  sim = await startSim({ seed: 5, users: 300, groups: 6, memberships: 400 });
  tlsSim = await startSim({ seed: 5, users: 5, groups: 1, memberships: 3, tls: true });
  recordTokens(sim);
  recordTokens(tlsSim);
  dir = mkdtempSync(join(tmpdir(), 'baton-secrets-'));
}, 300_000); // buildDist may wait for the other worker's compile, then compile: minutes on a busy host

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secrets(): string[] {
  const { pat, admin, connectedApp } = sim.info;
  return [pat.secret, admin.password, connectedApp.secretValue, tlsSim.info.pat.secret, BEARER, ...sessionTokens].filter((s) => s.length >= 8);
}

const pat = (target: RunningSimulator, secret = target.info.pat.secret): string[] =>
  ['--server-path', target.url, '--access-token-name', target.info.pat.name, '--access-token-secret', secret];

async function cli(args: string[]): Promise<number | null> {
  const run = await runCli([...args, '--log-level', 'debug'], { timeoutMs: 90_000 });
  outputs.push(run.stdout, run.stderr);
  return run.code;
}

describe('CLI failure paths at debug level', () => {
  it('wrong PAT secret, wrong password, wrong connected-app secret', async () => {
    expect(await cli([...pat(sim, `${sim.info.pat.secret}x`), '-f', join(dir, 'a.c1z'), '--log-format', 'json'])).toBe(1);
    expect(await cli(['--server-path', sim.url, '--username', sim.info.admin.username, '--password', `${sim.info.admin.password}x`, '-f', join(dir, 'b.c1z')])).toBe(1);
    const app = sim.info.connectedApp;
    expect(await cli(['--server-path', sim.url, '--jwt-client-id', app.clientId, '--jwt-secret-id', app.secretId,
      '--jwt-secret-value', `${app.secretValue}x`, '--jwt-username', app.username, '-f', join(dir, 'c.c1z'), '--log-format', 'console'])).toBe(1);
  }, 120_000);

  it('a good connected app and password under session kills, resets and 429s', async () => {
    sim.setFaults({ sessionKillEvery: 5, faultResetRate: 0.05, fault429Rate: 0.05 });
    const app = sim.info.connectedApp;
    expect(await cli(['--server-path', sim.url, '--jwt-client-id', app.clientId, '--jwt-secret-id', app.secretId,
      '--jwt-secret-value', app.secretValue, '--jwt-username', app.username, '-f', join(dir, 'd.c1z'), '--log-format', 'json'])).toBe(0);
    expect(await cli(['--server-path', sim.url, '--username', sim.info.admin.username, '--password', sim.info.admin.password, '-f', join(dir, 'e.c1z')])).toBe(0);
    sim.setFaults({ sessionKillEvery: 0, faultResetRate: 0, fault429Rate: 0 });
    expect(sessionTokens.size).toBeGreaterThan(3);
  }, 120_000);

  it('server errors until the retries run out, Tableau down, an untrusted certificate, a failed grant', async () => {
    // A short retry budget: 503s and resets are an outage, ridden out for 5 minutes by default.
    sim.setFaults({ fault5xxRate: 1 });
    expect(await cli([...pat(sim), '-f', join(dir, 'f.c1z'), '--log-format', 'json', '--retry-budget', '2s'])).toBe(1);
    sim.setFaults({ fault5xxRate: 0, down: true });
    expect(await cli([...pat(sim), '-f', join(dir, 'g.c1z'), '--log-format', 'json', '--retry-budget', '2s'])).toBe(1);
    sim.setFaults({ down: false });
    expect(await cli([...pat(tlsSim), '-f', join(dir, 'h.c1z'), '--log-format', 'json'])).toBe(1);
    expect(await cli([...pat(sim), '-p', '--grant-entitlement', 'group:00000000-0000-4000-8000-00000000dead:member',
      '--grant-principal', '00000000-0000-4000-8000-00000000beef', '--grant-principal-type', 'user', '--log-format', 'json'])).toBe(1);
    expect(outputs.join('\n')).toMatch(/--ca-file/);
  }, 180_000);
});

describe('serve', () => {
  it('bad and good callers, error details and /metrics', async () => {
    writeFileSync(join(dir, 'token'), BEARER);
    const logged = capturingLogger();
    const service = await runServe(serveOptions(sim, { authTokenFile: join(dir, 'token'), provisioning: true }), { log: logged.log, stdout: captureStdout().stdout });
    try {
      const anonymous = new RawClient(service.grpcAddress);
      const wrong = new RawClient(service.grpcAddress, `${BEARER}x`);
      const right = new RawClient(service.grpcAddress, BEARER);
      const details: string[] = [];
      for (const caller of [anonymous, wrong, right]) {
        details.push((await caller.send('ListResources', { resourceTypeId: 'site' })).details);
        details.push((await caller.send('Grant', { entitlement: { id: 'group:x:member', resource: { id: { resourceType: 'group', resource: 'x' } } }, principal: { id: { resourceType: 'user', resource: 'y' } } })).details);
        caller.close();
      }
      sim.setFaults({ sessionKillEvery: 2 });
      const again = new RawClient(service.grpcAddress, BEARER);
      for (let i = 0; i < 4; i++) details.push((await again.send('ListResources', { resourceTypeId: 'site' })).details);
      again.close();
      sim.setFaults({ sessionKillEvery: 0 });
      const metrics = await httpGet(service.httpAddress!, '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.body).toMatch(/baton_grpc_server_unauthenticated_total/);
      // Tableau traffic by route and HTTP status (the client's byRouteStatus), 401s of killed sessions included.
      expect(metrics.body).toMatch(/baton_tableau_requests_total\{route="POST \/auth\/signin",status="200"\} [1-9]/);
      expect(metrics.body).toMatch(/baton_tableau_requests_total\{route="GET \/sites\/\{\}",status="401"\} [1-9]/);
      outputs.push(metrics.body, details.join('\n'), logged.lines.join('\n'));
    } finally {
      await service.close();
    }
  }, 60_000);
});

describe('the search', () => {
  it('finds no secret, session token, JWT or bearer token in any output', () => {
    const all = outputs.join('\n');
    expect(all.length).toBeGreaterThan(10_000);
    expect(all).toMatch(/"level":20/);
    for (const secret of secrets()) expect(all.includes(secret), `a secret of ${secret.length} chars leaked`).toBe(false);
    expect(all).not.toMatch(JWT_PATTERN);
    expect(all).not.toMatch(/x-tableau-auth"?\s*[:=]\s*"?[\w|-]{8,}/i);
  });
});
