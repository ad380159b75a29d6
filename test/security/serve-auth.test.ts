/**
 * Who gets in: `serve` with a bearer token refuses every service (connector, provisioning, both
 * reflection versions) to callers without the right token, and leaves only health open; with mutual
 * TLS a client without a certificate reaches nothing. For Tableau, certificate verification is on by
 * default: the TLS simulator fails at once with a --ca-file hint, and works with --ca-file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundMethods } from '../../pkg/server/methods.js';
import { healthServiceDefinition } from '../../pkg/service/health-proto.js';
import { runServe, type RunningService } from '../../pkg/service/run-serve.js';
import type { RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { buildDist, runCli } from '../cli/run-cli.js';
import { startSim } from '../reliability/helpers.js';
import { captureStdout, capturingLogger, serveOptions } from '../service/helpers.js';
import { makePki, type Pki } from '../service/pki.js';
import { reflect } from '../service/reflection-client.js';
import { RawClient } from './grpc-client.js';

const TOKEN = 'serve-auth-token-3Hc8';
const REFLECTION = ['/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo'];
const UNARY_PATHS = boundMethods().map((m) => m.definition.path);

let sim: RunningSimulator;
let dir: string;
let pki: Pki;
const services: RunningService[] = [];

beforeAll(async () => {
  sim = await startSim({ users: 10, groups: 2, memberships: 10 });
  dir = mkdtempSync(join(tmpdir(), 'baton-serve-auth-'));
  pki = await makePki();
  const files = { token: TOKEN, ca: pki.caCert, cert: pki.serverCert, key: pki.serverKey };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}, 60_000);

afterAll(async () => {
  for (const service of services) await service.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(extra: Parameters<typeof serveOptions>[1]): Promise<RunningService> {
  const service = await runServe(serveOptions(sim, { provisioning: true, httpListen: undefined, ...extra }), {
    log: capturingLogger().log,
    stdout: captureStdout().stdout,
  });
  services.push(service);
  return service;
}

const checkHealth = (client: RawClient): Promise<{ code: grpc.status }> => client.call(healthServiceDefinition.check.path, Buffer.alloc(0));

describe('bearer token', () => {
  it('every connector and provisioning RPC and both reflection versions refuse missing and wrong tokens', async () => {
    const service = await serve({ authTokenFile: join(dir, 'token') });
    for (const caller of [new RawClient(service.grpcAddress), new RawClient(service.grpcAddress, `${TOKEN}-wrong`)]) {
      for (const path of UNARY_PATHS) expect((await caller.call(path, Buffer.alloc(0))).code, path).toBe(grpc.status.UNAUTHENTICATED);
      for (const path of REFLECTION) expect((await caller.stream(path, Buffer.alloc(0))).code, path).toBe(grpc.status.UNAUTHENTICATED);
      expect((await checkHealth(caller)).code).toBe(grpc.status.OK);
      caller.close();
    }
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${TOKEN}`);
    const listed = await reflect(service.grpcAddress, { listServices: '*' }, metadata);
    expect(listed.listServicesResponse?.service.map((s) => s.name)).toContain('c1.connector.v2.ResourcesService');
    const allowed = new RawClient(service.grpcAddress, TOKEN);
    expect((await allowed.send('ListResourceTypes', {})).code).toBe(grpc.status.OK);
    allowed.close();
  }, 60_000);
});

describe('mutual TLS', () => {
  it('a client without a certificate reaches nothing; one with a certificate from the CA reaches everything', async () => {
    const service = await serve({ tlsCertFile: join(dir, 'cert'), tlsKeyFile: join(dir, 'key'), tlsClientCaFile: join(dir, 'ca') });
    const ca = Buffer.from(pki.caCert);
    const anonymous = new RawClient(service.grpcAddress, undefined, grpc.credentials.createSsl(ca));
    for (const path of [...UNARY_PATHS.slice(0, 3), healthServiceDefinition.check.path]) {
      expect((await anonymous.call(path, Buffer.alloc(0), 3_000)).code, path).not.toBe(grpc.status.OK);
    }
    expect((await anonymous.stream(REFLECTION[0]!, Buffer.alloc(0), 3_000)).code).not.toBe(grpc.status.OK);
    anonymous.close();
    const trusted = new RawClient(service.grpcAddress, undefined, grpc.credentials.createSsl(ca, Buffer.from(pki.clientKey), Buffer.from(pki.clientCert)));
    expect((await trusted.send('ListResourceTypes', {})).code).toBe(grpc.status.OK);
    expect((await checkHealth(trusted)).code).toBe(grpc.status.OK);
    trusted.close();
  }, 60_000);
});

describe('TLS to Tableau', () => {
  it('is verified by default: an untrusted certificate fails at once with a --ca-file hint; --ca-file works', async () => {
    await buildDist();
    const tls = await startSim({ users: 5, groups: 1, memberships: 3, tls: true });
    const args = ['--server-path', tls.url, '--access-token-name', tls.info.pat.name, '--access-token-secret', tls.info.pat.secret, '--log-format', 'json', '--log-level', 'debug'];
    const untrusted = await runCli([...args, '-f', join(dir, 'untrusted.c1z')], { timeoutMs: 60_000 });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/sync failed: Tableau's TLS certificate is not trusted; give its CA certificate with --ca-file \(.*SELF_SIGNED/);
    // Not retried: one attempt only, and nothing reached the simulator's HTTP layer.
    expect(untrusted.stderr.split('\n').filter((l) => l.includes('"tableau request"'))).toHaveLength(1);
    expect(tls.stats().total).toBe(0);
    const trusted = await runCli([...args, '--ca-file', tls.info.caCertFile!, '-f', join(dir, 'trusted.c1z')], { timeoutMs: 60_000 });
    expect(trusted.code, trusted.stderr.slice(-800)).toBe(0);
  }, 180_000);
});
