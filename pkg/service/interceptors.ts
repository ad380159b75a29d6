/**
 * grpc-js server interceptors (available since 1.10) applied to every service on the server,
 * reflection included. Order matters: the first sees every call and every final status (so rejected
 * calls are logged and counted too), then authentication, then the in-flight limit.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { BearerTokens } from './bearer-tokens.js';
import type { ServiceMetrics } from './metrics.js';

type ServerInterceptor = grpc.ServerInterceptor;

const HEALTH_PREFIX = '/grpc.health.v1.Health/';
const REQUEST_ID_KEY = 'x-request-id';

/** Health checks are probes from the platform: never authenticated, never rate limited. */
const isHealthCheck = (path: string): boolean => path.startsWith(HEALTH_PREFIX);

const codeName = (code: grpc.status | undefined): string => grpc.status[code ?? grpc.status.UNKNOWN] ?? String(code);

/** A caller-supplied id is kept when it is short and printable, else we make one. */
function requestIdFrom(metadata: grpc.Metadata): string {
  const given = metadata.get(REQUEST_ID_KEY)[0];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** One JSON log line and the metrics of every RPC; stamps a request id on request and trailers. */
export function observeCalls(log: Logger, metrics: ServiceMetrics): ServerInterceptor {
  return (method, call) => {
    const startedAt = process.hrtime.bigint();
    let requestId = '';
    let finished = false;
    const finish = (code: grpc.status | undefined): void => {
      if (finished) return;
      finished = true;
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const labels = { method: method.path, code: codeName(code) };
      metrics.rpcHandled.inc(labels);
      metrics.rpcSeconds.observe(labels, seconds);
      const level = code === grpc.status.INTERNAL || code === grpc.status.UNKNOWN ? 'warn' : 'info';
      log[level]({ method: method.path, code: labels.code, durationMs: Math.round(seconds * 1e4) / 10, requestId, peer: call.getPeer() }, 'rpc');
    };
    const listener = new grpc.ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        requestId = requestIdFrom(metadata);
        metadata.set(REQUEST_ID_KEY, requestId);
        next(metadata);
      })
      .withOnCancel(() => finish(grpc.status.CANCELLED))
      .build();
    const responder = new grpc.ResponderBuilder()
      .withStart((next) => next(listener))
      .withSendStatus((status, next) => {
        const trailers = status.metadata ?? new grpc.Metadata();
        if (requestId) trailers.set(REQUEST_ID_KEY, requestId);
        finish(status.code);
        next({ ...status, metadata: trailers });
      })
      .build();
    return new grpc.ServerInterceptingCall(call, responder);
  };
}

/** Bearer-token check for every service except health. Without a token store it lets calls through. */
export function requireBearerToken(tokens: BearerTokens | undefined, metrics: ServiceMetrics): ServerInterceptor {
  return (method, call) => {
    if (!tokens || isHealthCheck(method.path)) return new grpc.ServerInterceptingCall(call);
    const listener = new grpc.ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        const authorization = metadata.get('authorization')[0];
        if (tokens.accepts(typeof authorization === 'string' ? authorization : undefined)) {
          // The token stops here: handlers and their logs never see it.
          metadata.remove('authorization');
          next(metadata);
          return;
        }
        metrics.rpcUnauthenticated.inc({ method: method.path });
        call.sendStatus({ code: grpc.status.UNAUTHENTICATED, details: 'missing or invalid bearer token', metadata: new grpc.Metadata() });
      })
      .build();
    return new grpc.ServerInterceptingCall(call, new grpc.ResponderBuilder().withStart((next) => next(listener)).build());
  };
}

/**
 * At most `limit` RPCs in flight; the rest get RESOURCE_EXHAUSTED at once instead of queueing. A slot
 * is taken when the request message has fully arrived, not at its headers: a client that opens streams
 * and stalls mid-message holds no slot, so it cannot lock other callers out.
 */
export function limitInflight(limit: number, metrics: ServiceMetrics): ServerInterceptor {
  let inflight = 0;
  return (method, call) => {
    if (isHealthCheck(method.path)) return new grpc.ServerInterceptingCall(call);
    let holding = false;
    const release = (): void => {
      if (!holding) return;
      holding = false;
      inflight -= 1;
      metrics.rpcInflight.set(inflight);
    };
    const listener = new grpc.ServerListenerBuilder()
      .withOnReceiveMessage((message, next) => {
        if (holding) return next(message);
        if (inflight >= limit) {
          call.sendStatus({ code: grpc.status.RESOURCE_EXHAUSTED, details: `too many RPCs in flight (limit ${limit})`, metadata: new grpc.Metadata() });
          return;
        }
        holding = true;
        inflight += 1;
        metrics.rpcInflight.set(inflight);
        next(message);
      })
      .withOnCancel(release)
      .build();
    const responder = new grpc.ResponderBuilder()
      .withStart((next) => next(listener))
      .withSendStatus((status, next) => {
        release();
        next(status);
      })
      .build();
    return new grpc.ServerInterceptingCall(call, responder);
  };
}
