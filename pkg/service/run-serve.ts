/**
 * `runServe`: the long-lived mode. Binds the gRPC server and the HTTP side port, prints the ready
 * line, proves the Tableau sign-in (health goes SERVING), optionally syncs in the background, and
 * shuts down gracefully: NOT_SERVING, drain in-flight RPCs up to the timeout, sign out.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DEFAULT_PROVISIONING_SETTINGS } from '../config/config.js';
import { createLogger } from '../log/logger.js';
import { secretsOf } from '../tableau/credentials.js';
import { BackgroundSync, type SyncOutcome, type SyncRunner } from './background-sync.js';
import { BearerTokens } from './bearer-tokens.js';
import { serverCredentials } from './grpc-credentials.js';
import { bindGrpcServer, createGrpcServer, shutdownGrpcServer } from './grpc-server.js';
import { ServingStatus } from './health-proto.js';
import type { HealthState } from './health-service.js';
import { startHttpSidePort, type HttpSidePort } from './http-server.js';
import { parseListenAddress, securityProblems, securityWarnings, ServeUsageError } from './listen-address.js';
import { createServiceMetrics, type ServiceMetrics } from './metrics.js';
import { DEFAULT_MAX_INFLIGHT_RPCS, DEFAULT_SHUTDOWN_TIMEOUT_MS, DEFAULT_SYNC_FILE, type ServeOptions } from './options.js';
import { Readiness, type ReadinessTiming } from './readiness.js';
import { runSyncToFile } from './sync-runner.js';
import type { TableauConnection } from './tableau-connection.js';
import { connectTableau } from '../compose/tableau-connection.js';

/** Replaceable parts (tests and the CLI); everything defaults to the real thing. */
export interface ServeDeps {
  log?: Logger;
  /** Builds the Tableau connection; default: TableauClient + buildConnector from `opts.tableau`. */
  connect?: (opts: ServeOptions, log: Logger) => TableauConnection;
  /** Runs one background sync; default: pkg/sync into a c1z. */
  runSync?: SyncRunner;
  /** Where the ready line goes; default process.stdout. */
  stdout?: { write(text: string): unknown };
  readinessTiming?: ReadinessTiming;
}

/** A serving instance. `close()` is idempotent and resolves when everything has stopped. */
export interface RunningService {
  /** Bound gRPC `HOST:PORT`. */
  readonly grpcAddress: string;
  /** Bound HTTP `HOST:PORT`, when `httpListen` was given. */
  readonly httpAddress: string | undefined;
  readonly registry: Registry;
  /** True when signed in to Tableau and not draining. */
  isReady(): boolean;
  /** Runs a background sync now (undefined when background sync is off). */
  syncNow(): Promise<SyncOutcome> | undefined;
  close(): Promise<void>;
}

interface Started {
  tokens?: BearerTokens;
  connection?: TableauConnection;
  server?: grpc.Server;
  http?: HttpSidePort;
}

function openTokens(opts: ServeOptions, log: Logger): BearerTokens | undefined {
  if (!opts.authTokenFile) return undefined;
  try {
    return BearerTokens.open(opts.authTokenFile, log);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ServeUsageError([`--auth-token-file ${opts.authTokenFile} cannot be read (${code})`]);
  }
}

function wireReadiness(readiness: Readiness, health: HealthState, metrics: ServiceMetrics, sync: BackgroundSync | undefined): void {
  let firstReady = true;
  readiness.onChange((ready) => {
    health.set(ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    metrics.ready.set(ready ? 1 : 0);
    if (ready && firstReady && sync) void sync.runOnce();
    if (ready) firstReady = false;
  });
}

/**
 * Starts `serve`: checks the security settings (refusing an unauthenticated non-loopback listener),
 * opens the gRPC server and the HTTP side port, and starts background sync when configured. Resolves
 * once listening; {@link RunningService} reports the bound addresses and shuts down (draining first).
 */
export async function runServe(opts: ServeOptions, deps: ServeDeps = {}): Promise<RunningService> {
  const problems = securityProblems(opts);
  if (problems.length > 0) throw new ServeUsageError(problems);
  // Library callers without a logger still get the CLI's redaction of the Tableau secrets.
  const log = deps.log ?? createLogger({ level: 'info', secrets: secretsOf(opts.tableau.credentials) });
  for (const warning of securityWarnings(opts)) log.warn(warning);
  const credentials = serverCredentials(opts);
  const started: Started = {};
  try {
    return await start(opts, deps, log, credentials, started);
  } catch (err) {
    started.server?.forceShutdown();
    started.tokens?.close();
    await started.http?.close();
    await started.connection?.close().catch(() => undefined);
    throw err;
  }
}

/** Everything one serving instance owns, built before anything listens. */
interface Parts {
  connection: TableauConnection;
  metrics: ServiceMetrics;
  server: grpc.Server;
  health: HealthState;
  readiness: Readiness;
  sync: BackgroundSync | undefined;
}

function connectFromOptions(opts: ServeOptions, log: Logger): TableauConnection {
  const provisioning = opts.provisioning ? (opts.provisioningSettings ?? DEFAULT_PROVISIONING_SETTINGS) : undefined;
  return connectTableau(opts.tableau, log, provisioning ? { provisioning } : {});
}

function buildParts(opts: ServeOptions, deps: ServeDeps, log: Logger, started: Started): Parts {
  started.tokens = openTokens(opts, log);
  const connection = (deps.connect ?? connectFromOptions)(opts, log);
  started.connection = connection;
  const metrics = createServiceMetrics(connection.stats ? { stats: () => connection.stats!() } : undefined);
  const { server, health } = createGrpcServer({
    api: connection.api,
    log,
    metrics,
    tokens: started.tokens,
    maxInflightRpcs: opts.maxInflightRpcs || DEFAULT_MAX_INFLIGHT_RPCS,
    provisioning: opts.provisioning ?? false,
  });
  started.server = server;
  const runSync = deps.runSync ?? runSyncToFile;
  const file = opts.file ?? DEFAULT_SYNC_FILE;
  const sync = opts.syncIntervalMs ? new BackgroundSync({ api: connection.api, file, intervalMs: opts.syncIntervalMs, log, metrics, runSync }) : undefined;
  const readiness = new Readiness(connection.api, log, deps.readinessTiming);
  wireReadiness(readiness, health, metrics, sync);
  return { connection, metrics, server, health, readiness, sync };
}

/** The drain sequence; NOT_SERVING first so load balancers stop sending before the server stops. */
async function shutdown(parts: Parts, started: Started, opts: ServeOptions, log: Logger): Promise<void> {
  log.info('draining: health NOT_SERVING, finishing in-flight RPCs');
  parts.readiness.drain();
  parts.health.endWatches();
  await parts.sync?.stop();
  await shutdownGrpcServer(parts.server, opts.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS, log);
  await parts.connection.close().catch((err: unknown) => log.warn({ error: (err as Error).message }, 'Tableau sign-out failed'));
  started.tokens?.close();
  await started.http?.close();
  log.info('stopped');
}

async function start(opts: ServeOptions, deps: ServeDeps, log: Logger, credentials: grpc.ServerCredentials, started: Started): Promise<RunningService> {
  const parts = buildParts(opts, deps, log, started);
  const { readiness, metrics, sync } = parts;
  const grpcAddress = await bindGrpcServer(parts.server, parseListenAddress(opts.listen, '--listen'), credentials);
  if (opts.httpListen) {
    const probes = { isReady: () => readiness.ready, isDraining: () => readiness.isDraining, registry: metrics.registry };
    started.http = await startHttpSidePort(parseListenAddress(opts.httpListen, '--http-listen'), probes);
  }
  const httpAddress = started.http?.address;
  (deps.stdout ?? process.stdout).write(`${JSON.stringify({ grpc: grpcAddress, http: httpAddress ?? null })}\n`);
  const security = { tls: Boolean(opts.tlsCertFile), mtls: Boolean(opts.tlsClientCaFile), tokenAuth: Boolean(started.tokens) };
  log.info({ grpc: grpcAddress, http: httpAddress, ...security }, 'serving');
  void readiness.start();
  sync?.start();
  let closing: Promise<void> | undefined;
  return {
    grpcAddress,
    httpAddress,
    registry: metrics.registry,
    isReady: () => readiness.ready,
    syncNow: () => sync?.runOnce(),
    close: () => (closing ??= shutdown(parts, started, opts, log)),
  };
}
