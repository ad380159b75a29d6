/**
 * pkg/service: the long-lived `serve` mode — gRPC (c1.connector.v2 + grpc.health.v1 + reflection)
 * with TLS / mTLS / bearer-token auth, an HTTP side port for probes and metrics, and an optional
 * background sync.
 */
export { runServe, type RunningService, type ServeDeps } from './run-serve.js';
export type { ServeOptions } from './options.js';
export { DEFAULT_MAX_INFLIGHT_RPCS, DEFAULT_SHUTDOWN_TIMEOUT_MS } from './options.js';
export { ServeUsageError, securityProblems, parseListenAddress, isLoopbackHost } from './listen-address.js';
export { parseDurationMs } from './duration.js';
export { healthServiceDefinition, ServingStatus } from './health-proto.js';
export type { TableauConnection } from './tableau-connection.js';
export type { SyncRunner, SyncOutcome } from './background-sync.js';
export type { TableauStats } from './tableau-stats.js';
