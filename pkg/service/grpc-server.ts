/**
 * Assembling the gRPC server: interceptors (observe → auth → in-flight limit), the c1.connector.v2
 * services (pkg/server), grpc.health.v1 and server reflection, with bounded message sizes and
 * per-connection memory so a slow or hostile client cannot make the process grow without limit.
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { ConnectorApi } from '../connector/api.js';
import { addConnectorServices, METHOD_BINDINGS } from '../server/index.js';
import type { BearerTokens } from './bearer-tokens.js';
import { HealthState } from './health-service.js';
import { limitInflight, observeCalls, requireBearerToken } from './interceptors.js';
import { formatAddress, type ListenAddress } from './listen-address.js';
import type { ServiceMetrics } from './metrics.js';
import { MAX_MESSAGE_BYTES } from './options.js';
import { addReflection } from './reflection.js';

/** What the gRPC server is assembled from. */
export interface GrpcServerParts {
  api: ConnectorApi;
  log: Logger;
  metrics: ServiceMetrics;
  tokens: BearerTokens | undefined;
  maxInflightRpcs: number;
  provisioning: boolean;
}

/** Concurrent streams per HTTP/2 connection; the in-flight limit is the global bound. */
const MAX_STREAMS_PER_CONNECTION = 100;
/** grpc-js per-connection session memory cap (MB); past it new streams are refused. */
const MAX_SESSION_MEMORY_MB = 10;

const connectorServiceNames = (): Set<string> => new Set(METHOD_BINDINGS.map((b) => `c1.connector.v2.${b.service}`));

/** The gRPC server with every service and interceptor registered, not yet bound; and its health state. */
export function createGrpcServer(parts: GrpcServerParts): { server: grpc.Server; health: HealthState } {
  const rpcLog = parts.log.child({ component: 'grpc' });
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_concurrent_streams': MAX_STREAMS_PER_CONNECTION,
    'grpc-node.max_session_memory': MAX_SESSION_MEMORY_MB,
    interceptors: [
      observeCalls(rpcLog, parts.metrics),
      requireBearerToken(parts.tokens, parts.metrics),
      limitInflight(parts.maxInflightRpcs, parts.metrics),
    ],
  });
  addConnectorServices(server, parts.api, { log: rpcLog, provisioning: parts.provisioning });
  const health = new HealthState(connectorServiceNames());
  health.register(server);
  addReflection(server);
  return { server, health };
}

/** Binds and returns the real `HOST:PORT` (port 0 becomes the chosen port). */
export function bindGrpcServer(server: grpc.Server, listen: ListenAddress, credentials: grpc.ServerCredentials): Promise<string> {
  return new Promise((resolve, reject) => {
    server.bindAsync(formatAddress(listen.host, listen.port), credentials, (err, port) => {
      if (err) reject(err);
      else resolve(formatAddress(listen.host, port));
    });
  });
}

/** Graceful stop: wait for in-flight calls up to `timeoutMs`, then cancel what is left. */
export function shutdownGrpcServer(server: grpc.Server, timeoutMs: number, log: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      log.warn({ timeoutMs }, 'shutdown timeout reached; cancelling the RPCs still running');
      server.forceShutdown();
      resolve();
    }, timeoutMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
