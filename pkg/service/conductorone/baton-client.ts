/**
 * The connector's client of ConductorOne's BatonService: one TLS channel (always verified), an
 * `authorization: <type> <token>` header on every call, and the SDK's token rule — a call refused
 * with UNAUTHENTICATED gets one fresh token and one more try, then the failure goes to the caller
 * (who backs off). Every call has a deadline; none is retried here otherwise.
 */
import * as grpc from '@grpc/grpc-js';
import { batonMethod, type BatonMethod } from '../../../proto/baton-service.js';
import type { ConductorOneSettings } from '../../config/config.js';
import { TokenSource } from './token-source.js';

/** The SDK's FinishTask timeout, used for every unary call. */
const UNARY_DEADLINE_MS = 30_000;

/** Where the token endpoint and the BatonService are reached: BATON_C1_API_HOST or the client id's host. */
export function apiAddress(settings: ConductorOneSettings): { origin: string; target: string } {
  const hostPort = settings.apiHost ?? settings.clientId.hostPort;
  const target = /:\d+$/.test(hostPort) ? hostPort : `${hostPort}:443`;
  return { origin: `https://${hostPort}`, target };
}

/** A failed call with its gRPC code (`grpc.status`). */
export type CallError = Error & { code?: number; details?: string };

export class BatonClient {
  private readonly client: grpc.Client;

  constructor(
    target: string,
    private readonly tokens: TokenSource,
    userAgent: string,
  ) {
    // createSsl() without roots: Node's trust store, which includes NODE_EXTRA_CA_CERTS.
    this.client = new grpc.Client(target, grpc.credentials.createSsl(), {
      'grpc.primary_user_agent': userAgent,
      'grpc.keepalive_time_ms': 60_000,
    });
  }

  /** One unary call, with the one-refresh-on-UNAUTHENTICATED rule. */
  async unary<Req extends object, Res>(name: BatonMethod, request: Req, signal?: AbortSignal): Promise<Res> {
    try {
      return await this.unaryOnce<Req, Res>(name, request, signal);
    } catch (err) {
      if ((err as CallError).code !== grpc.status.UNAUTHENTICATED) throw err;
      this.tokens.invalidate();
      return this.unaryOnce<Req, Res>(name, request, signal);
    }
  }

  /**
   * A client-streaming UploadAsset call: `write` each message (resolves once it is sent on), then
   * `end()` to get the answer. `cancel()` abandons it.
   */
  async openUpload(signal?: AbortSignal): Promise<UploadCall> {
    const metadata = await this.metadata(signal);
    const method = batonMethod('UploadAsset');
    let settle!: { resolve: () => void; reject: (err: Error) => void };
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    const stream = this.client.makeClientStreamRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      metadata,
      {},
      (err) => (err ? settle.reject(err) : settle.resolve()),
    );
    // Writes still waiting for their callback, told when the call fails (a failed call may never
    // call back). A set, not one `done.then` per write: that would keep every chunk alive until the end.
    const waiting = new Set<(err: Error) => void>();
    let failure: Error | undefined;
    done.catch((err: Error) => {
      failure = err;
      for (const fail of waiting) fail(err);
    });
    const onAbort = (): void => stream.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    return {
      // One message at a time: the promise settles once grpc-js has handed it to HTTP/2, so at most
      // one 512 KiB chunk (and its framed copy) is held here, not the stream's 16-message buffer.
      write: (message) =>
        new Promise<void>((resolve, reject) => {
          if (failure) return reject(failure);
          waiting.add(reject);
          stream.write(message, (err?: Error | null) => {
            waiting.delete(reject);
            if (err) reject(err);
            else resolve();
          });
        }),
      end: async () => {
        stream.end();
        try {
          await done;
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      },
      cancel: () => {
        signal?.removeEventListener('abort', onAbort);
        stream.cancel();
      },
    };
  }

  close(): void {
    this.client.close();
  }

  private async unaryOnce<Req extends object, Res>(name: BatonMethod, request: Req, signal?: AbortSignal): Promise<Res> {
    const metadata = await this.metadata(signal);
    const method = batonMethod(name);
    return new Promise<Res>((resolve, reject) => {
      const onAbort = (): void => call.cancel();
      const call = this.client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        metadata,
        { deadline: Date.now() + UNARY_DEADLINE_MS },
        (err, response) => {
          signal?.removeEventListener('abort', onAbort);
          if (err) reject(err);
          else resolve(response as Res);
        },
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async metadata(signal?: AbortSignal): Promise<grpc.Metadata> {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', await this.tokens.authorization(signal));
    return metadata;
  }
}

/** An open UploadAsset stream. */
export interface UploadCall {
  write(message: object): Promise<void>;
  end(): Promise<void>;
  cancel(): void;
}
