/**
 * Transport security of `serve`: TLS with a bearer token, and mutual TLS, with certificates made
 * in the test by a throw-away CA (selfsigned). A real grpc-js client lists resources through each.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorClient } from '../../pkg/server/index.js';
import { ServingStatus } from '../../pkg/service/health-proto.js';
import { runServe, type RunningService } from '../../pkg/service/run-serve.js';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { bearer, captureStdout, capturingLogger, healthCheck, serveOptions, waitFor } from './helpers.js';
import { makePki, type Pki } from './pki.js';

describe('serve over TLS', () => {
  let sim: RunningSimulator;
  let dir: string;
  let pki: Pki;
  const files: Record<string, string> = {};
  const started: RunningService[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ users: 10, groups: 2, memberships: 10 });
    dir = mkdtempSync(join(tmpdir(), 'baton-tls-'));
    pki = await makePki();
    for (const [name, pem] of Object.entries({ ca: pki.caCert, cert: pki.serverCert, key: pki.serverKey, token: 'tls-token-5d1e\n' })) {
      files[name] = join(dir, name);
      writeFileSync(files[name]!, pem);
    }
  });

  afterAll(async () => {
    for (const s of started) await s.close();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function serve(extra: Parameters<typeof serveOptions>[1]): Promise<RunningService> {
    const service = await runServe(serveOptions(sim, extra), { log: capturingLogger().log, stdout: captureStdout().stdout });
    started.push(service);
    return service;
  }

  it('serves TLS with a bearer token; plaintext clients and tokenless calls are refused', async () => {
    const service = await serve({ tlsCertFile: files['cert'], tlsKeyFile: files['key'], authTokenFile: files['token'] });
    const tls = grpc.credentials.createSsl(Buffer.from(pki.caCert));
    await waitFor(async () => (await healthCheck(service.grpcAddress, tls)).status === ServingStatus.SERVING);
    const client = connectorClient(service.grpcAddress, tls);
    try {
      const types = await client.listResourceTypes({}, bearer('tls-token-5d1e'));
      expect(types.list?.map((t) => t.id)).toContain('user');
      await expect(client.listResourceTypes({})).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    } finally {
      client.close();
    }
    const plain = connectorClient(service.grpcAddress);
    try {
      await expect(plain.listResourceTypes({}, bearer('tls-token-5d1e'), { deadline: Date.now() + 2_000 })).rejects.toMatchObject({
        code: grpc.status.UNAVAILABLE,
      });
    } finally {
      plain.close();
    }
  });

  it('serves mutual TLS: a client certificate from the CA works, none or a foreign one does not', async () => {
    const service = await serve({ tlsCertFile: files['cert'], tlsKeyFile: files['key'], tlsClientCaFile: files['ca'] });
    const withCert = grpc.credentials.createSsl(Buffer.from(pki.caCert), Buffer.from(pki.clientKey), Buffer.from(pki.clientCert));
    await waitFor(async () => (await healthCheck(service.grpcAddress, withCert)).status === ServingStatus.SERVING);
    const client = connectorClient(service.grpcAddress, withCert);
    try {
      const sites = await client.listResources({ resourceTypeId: 'site' });
      expect(sites.list?.[0]?.id?.resource).toBe(sim.info.sites[0]!.id);
    } finally {
      client.close();
    }
    const refused = [
      grpc.credentials.createSsl(Buffer.from(pki.caCert)),
      grpc.credentials.createSsl(Buffer.from(pki.caCert), Buffer.from(pki.strangerKey), Buffer.from(pki.strangerCert)),
    ];
    for (const creds of refused) {
      const other = connectorClient(service.grpcAddress, creds);
      try {
        await expect(other.listResourceTypes({}, undefined, { deadline: Date.now() + 2_000 })).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
      } finally {
        other.close();
      }
    }
  });
});
