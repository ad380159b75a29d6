/**
 * gRPC face of the connector: the c1.connector.v2 services, each RPC delegating to one ConnectorApi.
 * `addConnectorServices` registers them on a server the caller owns (pkg/service adds health,
 * reflection and interceptors); `startGrpcServer` is the self-contained variant for tools and tests.
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { ConnectorApi } from '../connector/api.js';
import { unaryHandler } from './adapter.js';
import { boundMethods, fullServiceName } from './methods.js';

export { connectorClient, remoteConnectorApi, type ConnectorClient } from './client.js';
export { METHOD_BINDINGS } from './methods.js';
export { rateLimitDetail, statusDetails } from './status.js';

/** Registers every c1.connector.v2 service we serve on `server`. */
export function addConnectorServices(
  server: grpc.Server,
  api: ConnectorApi,
  opts: { log: Logger; provisioning: boolean },
): void {
  type Methods = Record<string, grpc.MethodDefinition<object, object>>;
  const services = new Map<string, { definition: Methods; handlers: grpc.UntypedServiceImplementation }>();
  for (const method of boundMethods()) {
    const name = fullServiceName(method.service);
    let service = services.get(name);
    if (!service) {
      service = { definition: {}, handlers: {} };
      services.set(name, service);
    }
    service.definition[method.method] = method.definition;
    service.handlers[method.method] = unaryHandler(api, method, opts);
  }
  for (const { definition, handlers } of services.values()) server.addService(definition, handlers);
}

/** A running server; `close` drains in-flight calls for up to `graceMs`, then cuts the rest. */
export interface RunningGrpcServer {
  /** `host:port` with the real port when `listen` asked for port 0. */
  address: string;
  server: grpc.Server;
  close(graceMs?: number): Promise<void>;
}

function bind(server: grpc.Server, listen: string, credentials: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(listen, credentials, (err, port) => (err ? reject(err) : resolve(port)));
  });
}

/** `listen` with its port replaced by the bound one (`127.0.0.1:0` → `127.0.0.1:41234`). */
function boundAddress(listen: string, port: number): string {
  const colon = listen.lastIndexOf(':');
  return `${colon < 0 ? listen : listen.slice(0, colon)}:${port}`;
}

function closer(server: grpc.Server): (graceMs?: number) => Promise<void> {
  return (graceMs = 5000) =>
    new Promise((resolve) => {
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
}

/** Starts a gRPC server of the connector services on `listen` (e.g. `127.0.0.1:0`). */
export async function startGrpcServer(opts: {
  api: ConnectorApi;
  listen: string;
  log: Logger;
  provisioning: boolean;
  credentials?: grpc.ServerCredentials;
}): Promise<RunningGrpcServer> {
  const server = new grpc.Server();
  addConnectorServices(server, opts.api, { log: opts.log, provisioning: opts.provisioning });
  try {
    const port = await bind(server, opts.listen, opts.credentials ?? grpc.ServerCredentials.createInsecure());
    return { address: boundAddress(opts.listen, port), server, close: closer(server) };
  } catch (err) {
    server.forceShutdown();
    throw err;
  }
}
