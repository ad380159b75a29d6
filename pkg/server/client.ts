/**
 * A promise client of our c1.connector.v2 services, built from the same definitions as the server.
 * Method names match ConnectorApi (`listResources(req)`, `grant(req)`, ...), so tools and tests can
 * drive a remote connector exactly like the in-process one.
 */
import * as grpc from '@grpc/grpc-js';
import type { ConnectorApi } from '../connector/api.js';
import { ConnectorError, type StatusName } from '../connector/errors.js';
import type { CallCtx } from '../connector/types.js';
import { boundMethods } from './methods.js';

/** Per-call options: a deadline and/or an AbortSignal that cancels the call. */
interface ClientCallOptions {
  deadline?: Date | number;
  signal?: AbortSignal;
}

type ClientMethod<K extends keyof ConnectorApi> = (
  req: Parameters<ConnectorApi[K]>[0],
  metadata?: grpc.Metadata,
  options?: ClientCallOptions,
) => ReturnType<ConnectorApi[K]>;

/**
 * One promise method per ConnectorApi method. Failures reject with grpc-js's ServiceError
 * (`code`, `details`, `metadata`; see `statusDetails` / `rateLimitDetail` in status.ts).
 */
export type ConnectorClient = { [K in keyof ConnectorApi]: ClientMethod<K> } & {
  /** The underlying grpc-js client (channel state, waitForReady). */
  readonly grpcClient: grpc.Client;
  close(): void;
};

function callUnary(
  client: grpc.Client,
  definition: grpc.MethodDefinition<object, object>,
  req: object,
  metadata: grpc.Metadata,
  options: ClientCallOptions,
): Promise<object> {
  return new Promise((resolve, reject) => {
    const callOptions: grpc.CallOptions = options.deadline === undefined ? {} : { deadline: options.deadline };
    const { signal } = options;
    // One signal may serve a whole sync: drop our listener when the call ends, or they pile up.
    const cancel = (): void => call.cancel();
    const call = client.makeUnaryRequest(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      req,
      metadata,
      callOptions,
      (err, res) => {
        signal?.removeEventListener('abort', cancel);
        if (err) reject(err);
        else resolve(res ?? {});
      },
    );
    if (signal?.aborted) call.cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
  });
}

/** A client of the connector services at `address` (host:port); insecure unless `creds` are given. */
export function connectorClient(address: string, creds?: grpc.ChannelCredentials): ConnectorClient {
  const grpcClient = new grpc.Client(address, creds ?? grpc.credentials.createInsecure());
  const methods: Record<string, unknown> = {};
  for (const m of boundMethods()) {
    methods[m.api] = (req: object, metadata?: grpc.Metadata, options?: ClientCallOptions) =>
      callUnary(grpcClient, m.definition, req, metadata ?? new grpc.Metadata(), options ?? {});
  }
  return Object.assign(methods as unknown as ConnectorClient, {
    grpcClient,
    close: () => grpcClient.close(),
  });
}

/** A failed call as the ConnectorError the in-process api would have thrown (same status, same message). */
function asConnectorError(err: unknown): unknown {
  const e = err as Partial<grpc.ServiceError>;
  if (typeof e?.code !== 'number') return err;
  const status = (grpc.status[e.code] ?? 'UNKNOWN') as StatusName;
  return new ConnectorError(status, e.details ?? '', { cause: err });
}

/**
 * A remote connector behind the ConnectorApi interface, so the sync engine can drive a connector over
 * gRPC exactly as it drives the in-process one: `ctx.signal` cancels the call, failures become
 * ConnectorError with the status the server sent (the original ServiceError is the `cause`).
 */
export function remoteConnectorApi(client: ConnectorClient): ConnectorApi {
  const api: Record<string, unknown> = {};
  for (const m of boundMethods()) {
    const call = client[m.api] as (req: object, md: undefined, o: ClientCallOptions) => Promise<object>;
    api[m.api] = (req: object, ctx: CallCtx) => call(req, undefined, { signal: ctx.signal }).catch((err: unknown) => Promise.reject(asConnectorError(err)));
  }
  return api as unknown as ConnectorApi;
}
