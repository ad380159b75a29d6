/**
 * A raw grpc-js client for hostile-input tests: it sends arbitrary bytes (or an encoded message) to any
 * method path and reports the status, never throwing.
 */
import * as grpc from '@grpc/grpc-js';
import { encode } from '../../proto/index.js';
import { boundMethods, type BoundMethod } from '../../pkg/server/methods.js';

export interface CallResult {
  code: grpc.status;
  details: string;
}

export class RawClient {
  private readonly client: grpc.Client;

  constructor(address: string, private readonly token?: string, credentials = grpc.credentials.createInsecure()) {
    // Our own limit is the server's; let oversized requests reach it.
    this.client = new grpc.Client(address, credentials, { 'grpc.max_send_message_length': 64 * 1024 * 1024 });
  }

  call(path: string, bytes: Buffer, timeoutMs = 15_000): Promise<CallResult> {
    const metadata = new grpc.Metadata();
    if (this.token) metadata.set('authorization', `Bearer ${this.token}`);
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        bytes,
        metadata,
        { deadline: Date.now() + timeoutMs },
        (err) => resolve(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '' }),
      );
    });
  }

  /** Opens a bidi stream on `path`, sends `bytes` once and reports the final status. */
  stream(path: string, bytes: Buffer, timeoutMs = 15_000): Promise<CallResult> {
    const metadata = new grpc.Metadata();
    if (this.token) metadata.set('authorization', `Bearer ${this.token}`);
    return new Promise((resolve) => {
      const call = this.client.makeBidiStreamRequest(path, (b: Buffer) => b, (b: Buffer) => b, metadata, { deadline: Date.now() + timeoutMs });
      call.on('data', () => undefined);
      call.on('error', () => undefined);
      call.on('status', (status: grpc.StatusObject) => resolve({ code: status.code, details: status.details }));
      call.write(bytes);
      call.end();
    });
  }

  /** Encodes `message` as the method's request type and calls it. */
  send(method: string, message: object): Promise<CallResult> {
    const bound = methodNamed(method);
    return this.call(bound.definition.path, Buffer.from(encode(bound.requestType, message)));
  }

  close(): void {
    this.client.close();
  }
}

export function methodNamed(method: string): BoundMethod {
  const found = boundMethods().find((m) => m.method === method);
  if (!found) throw new Error(`no method ${method}`);
  return found;
}
