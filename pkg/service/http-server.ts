/**
 * The HTTP side port: `/healthz` (the process is alive), `/readyz` (signed in to Tableau and not
 * draining) and `/metrics` (Prometheus text format). Plain HTTP on purpose: it carries no secrets
 * and kubelet / Prometheus probe it from inside the cluster.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { formatAddress, type ListenAddress } from './listen-address.js';

export interface HttpSidePortDeps {
  isReady(): boolean;
  isDraining(): boolean;
  registry: Registry;
}

export interface HttpSidePort {
  /** The bound `HOST:PORT`. */
  address: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

async function route(req: IncomingMessage, res: ServerResponse, deps: HttpSidePortDeps): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
  const path = (req.url ?? '/').split('?')[0];
  switch (path) {
    case '/healthz':
      return send(res, 200, 'ok\n');
    case '/readyz':
      if (deps.isReady()) return send(res, 200, 'ready\n');
      return send(res, 503, deps.isDraining() ? 'draining\n' : 'not signed in to Tableau\n');
    case '/metrics':
      return send(res, 200, await deps.registry.metrics(), deps.registry.contentType);
    default:
      return send(res, 404, 'not found\n');
  }
}

export async function startHttpSidePort(listen: ListenAddress, deps: HttpSidePortDeps): Promise<HttpSidePort> {
  const server: Server = createServer((req, res) => {
    route(req, res, deps).catch(() => send(res, 500, 'internal error\n'));
  });
  // Probes are tiny; slow or idle clients must not pin sockets.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 50;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: formatAddress(listen.host, bound.port),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
