/**
 * ConductorOne answers its token endpoint over HTTP/2 as well as HTTP/1.1 (the Go SDK fetches its
 * token over h2 when the server offers it). The fake sends every h2 connection to grpc-js, so the
 * token path is taken out before grpc-js sees the stream, by wrapping the 'stream' listeners of
 * grpc-js's HTTP/2 servers. This reaches into grpc-js's private `http2Servers` map (grpc-js 1.14);
 * the fake's h2 token test fails loudly if that ever changes.
 */
import type { Http2Server, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type * as grpc from '@grpc/grpc-js';

type StreamListener = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, ...rest: unknown[]) => void;

/** Makes h2 requests for `path` reach `handle` instead of grpc-js, on every HTTP/2 server `grpcServer` has now. */
export function routeH2Path(grpcServer: grpc.Server, path: string, handle: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void): void {
  const servers = (grpcServer as unknown as { http2Servers?: Map<Http2Server, unknown> }).http2Servers;
  if (!(servers instanceof Map) || servers.size === 0) throw new Error('fake ConductorOne: grpc-js keeps its HTTP/2 servers elsewhere now');
  for (const server of servers.keys()) {
    const grpcListeners = server.listeners('stream') as StreamListener[];
    server.removeAllListeners('stream');
    server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, ...rest: unknown[]) => {
      if (headers[':path']?.split('?')[0] === path) handle(stream, headers);
      else for (const listener of grpcListeners) listener.call(server, stream, headers, ...rest);
    });
  }
}
