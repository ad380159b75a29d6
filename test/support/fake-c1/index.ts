/**
 * A fake ConductorOne for service-mode tests, written from the protocol (PROTOCOL.md §5): one TLS
 * host:port serving both the HTTPS token endpoint and the gRPC BatonService, as BATON_C1_API_HOST
 * expects. Connections are told apart by ALPN: `h2` goes to a grpc-js server (through its
 * connection injector), anything else (HTTP/1.1) to the token endpoint; h2 requests for the token
 * path are taken out before grpc-js sees them (h2-token-route.ts), so the token endpoint answers on
 * both protocols, as ConductorOne's does.
 * Its own tests (test/fake-c1/) show every option, record and fault in use.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { KeyObject } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { batonServiceDefinition, type TaskType } from '../../../proto/baton-service.js';
import { makePki } from '../../service/pki.js';
import { batonHandlers } from './baton-handlers.js';
import { makeTestClient, type TestClient } from './client-credentials.js';
import { Faults } from './faults.js';
import { FakeC1Records } from './records.js';
import { TaskQueue } from './task-queue.js';
import { routeH2Path } from './h2-token-route.js';
import { TokenStore, handleTokenRequest, handleTokenStream } from './token-endpoint.js';

export { makeTestClient, secretWithWrongKey, signAssertion, type TestClient } from './client-credentials.js';
export type { FinishRecord, HeartbeatRecord, HelloRecord, UploadRecord } from './records.js';

/** Start options; every one can be changed later through the fake's setters. */
export interface FakeC1Options {
  /** Lifetime of issued access tokens (default 3600 s); short values exercise refresh. */
  tokenTtlSeconds?: number;
  /** `next_poll` in every GetTask answer (default 100 ms, to keep tests quick). */
  nextPollMs?: number;
  /** `next_heartbeat` in GetTask and Heartbeat answers (default 1000 ms). */
  nextHeartbeatMs?: number;
}

/** A running fake ConductorOne. */
export interface FakeC1 {
  /** `127.0.0.1:<port>`: the value for BATON_C1_API_HOST. */
  readonly address: string;
  readonly port: number;
  /** PEM of the CA that signed the server certificate (SANs: localhost, 127.0.0.1). */
  readonly caCert: string;
  /** The same PEM in a file, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  readonly records: FakeC1Records;
  readonly queue: TaskQueue;
  readonly faults: Faults;
  readonly tokens: TokenStore;
  /** A fresh client known to the fake; its id names `host` (default `localhost:<port>`). */
  newClient(host?: string): TestClient;
  /** Makes a client id + public key known (e.g. one made elsewhere). */
  registerClient(clientId: string, publicKey: KeyObject): void;
  /** Queues a task (payload = the oneof member's message); returns its 27-character id. */
  enqueue(type: TaskType, payload?: object, extra?: { debug?: boolean }): string;
  /** Cancels a task: never handed out if queued; its next Heartbeat answers cancelled if running. */
  cancel(taskId: string): void;
  setNextPollMs(ms: number): void;
  setNextHeartbeatMs(ms: number): void;
  setTokenTtlSeconds(seconds: number): void;
  /** Requires this `aud` instead of the client id's host (undefined restores the default). */
  setExpectedAudience(audience: string | undefined): void;
  /** Checks assertion times as if now were `seconds` later (600 makes a fresh assertion expired). */
  setClockOffsetSeconds(seconds: number): void;
  /** Invalidates every issued token (a mid-run re-authentication test). */
  revokeAllTokens(): void;
  /** Closes the listener and drops every connection; the port stays reserved for comeBack(). */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a fake ConductorOne on 127.0.0.1 (an ephemeral port). */
export async function startFakeC1(options: FakeC1Options = {}): Promise<FakeC1> {
  const settings = {
    tokenTtlSeconds: 3600, nextPollMs: 100, nextHeartbeatMs: 1000, ...options,
    expectedAudience: undefined as string | undefined, clockOffsetSeconds: 0,
  };
  const dir = mkdtempSync(join(tmpdir(), 'fake-c1-'));
  const uploadDir = join(dir, 'uploads');
  mkdirSync(uploadDir);
  const pki = await makePki();
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.caCert);

  const clients = new Map<string, KeyObject>();
  const store = new TokenStore();
  const records = new FakeC1Records();
  const queue = new TaskQueue();
  const faults = new Faults();

  const grpcServer = new grpc.Server();
  grpcServer.addService(batonServiceDefinition(), batonHandlers({
    store, records, queue, faults, uploadDir,
    nextPollMs: () => settings.nextPollMs,
    nextHeartbeatMs: () => settings.nextHeartbeatMs,
  }));
  const injector = grpcServer.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const tokenContext = {
    clients, store,
    tokenTtlSeconds: () => settings.tokenTtlSeconds,
    expectedAudience: () => settings.expectedAudience,
    clockOffsetSeconds: () => settings.clockOffsetSeconds,
    takeTokenFault: () => faults.takeTokenFault(),
  };
  const httpServer = createHttpServer((req, res) => {
    handleTokenRequest(tokenContext, req, res).catch(() => res.destroy());
  });
  routeH2Path(grpcServer, '/auth/v1/token', (stream, headers) => {
    handleTokenStream(tokenContext, stream, headers).catch(() => stream.destroy());
  });

  const sockets = new Set<Socket>();
  const tlsServer = createTlsServer({ key: pki.serverKey, cert: pki.serverCert, ALPNProtocols: ['h2', 'http/1.1'] }, (socket: TLSSocket) => {
    if (socket.alpnProtocol === 'h2') injector.injectConnection(socket);
    else httpServer.emit('connection', socket);
  });
  tlsServer.on('connection', (raw: Socket) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
  });
  // A client that does not trust our CA aborts the handshake: nothing to do here.
  tlsServer.on('tlsClientError', () => undefined);

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      tlsServer.once('error', reject);
      tlsServer.listen(port, '127.0.0.1', () => {
        tlsServer.off('error', reject);
        resolve((tlsServer.address() as { port: number }).port);
      });
    });
  const port = await listen(0);
  let up = true;
  const goDown = async (): Promise<void> => {
    if (!up) return;
    up = false;
    const closed = new Promise<void>((resolve) => tlsServer.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };

  return {
    address: `127.0.0.1:${port}`,
    port,
    caCert: pki.caCert,
    caFile,
    records,
    queue,
    faults,
    tokens: store,
    newClient(host = `localhost:${port}`) {
      const client = makeTestClient(host);
      clients.set(client.clientId, client.publicKey);
      return client;
    },
    registerClient: (clientId, publicKey) => void clients.set(clientId, publicKey),
    enqueue: (type, payload, extra) => queue.enqueue(type, payload, extra),
    cancel: (taskId) => queue.cancel(taskId),
    setNextPollMs: (ms) => void (settings.nextPollMs = ms),
    setNextHeartbeatMs: (ms) => void (settings.nextHeartbeatMs = ms),
    setTokenTtlSeconds: (s) => void (settings.tokenTtlSeconds = s),
    setExpectedAudience: (aud) => void (settings.expectedAudience = aud),
    setClockOffsetSeconds: (s) => void (settings.clockOffsetSeconds = s),
    revokeAllTokens: () => store.revokeAll(),
    goDown,
    async comeBack() {
      if (up) return;
      await listen(port);
      up = true;
    },
    async close() {
      await goDown();
      injector.destroy();
      grpcServer.forceShutdown();
      httpServer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
