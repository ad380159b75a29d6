/**
 * The fake's UploadAsset: metadata, then data chunks of 1 byte to 1 MiB, then eof with the sha256 of
 * all the data. The bytes stream to a file (a large c1z never sits in memory); the stream is refused
 * with INVALID_ARGUMENT on the first broken rule, and the attempt recorded either way.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { BatonServiceUploadAssetRequest } from '../../../proto/baton-service.js';
import { RpcError, type HandlerContext } from './handler-context.js';
import { MAX_CHUNK_BYTES, annotationsProblem, hostIdProblem, taskIdProblem } from './validation.js';

let uploadCounter = 0;

export function receiveUpload(
  ctx: HandlerContext,
  call: grpc.ServerReadableStream<object, object>,
  callback: grpc.sendUnaryData<object>,
): void {
  const hash = createHash('sha256');
  const chunkSizes: number[] = [];
  let size = 0;
  let taskId = '';
  let file: WriteStream | undefined;
  let path: string | undefined;
  let eof: Uint8Array | undefined;
  let done = false;

  const record = (ok: boolean, error?: string): void => {
    ctx.records.uploads.push({ taskId, ok, error, path: ok ? path : undefined, size, chunkSizes, sha256: hash.copy().digest('hex'), at: Date.now() });
    ctx.records.changed();
  };
  const refuse = (code: grpc.status, problem: string): void => {
    if (done) return;
    done = true;
    // The file may still be opening: remove it once the stream has closed.
    const [f, p] = [file, path];
    f?.once('close', () => rmSync(p!, { force: true }));
    f?.destroy();
    record(false, problem);
    callback({ code, details: problem });
  };

  const accept = (msg: BatonServiceUploadAssetRequest): void => {
    if (eof) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'message after eof');
    if (msg.metadata) {
      if (file) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'metadata sent twice');
      const m = msg.metadata;
      const problem = hostIdProblem(m.hostId) ?? taskIdProblem(m.taskId) ?? annotationsProblem(m.annotations);
      if (problem) throw new RpcError(grpc.status.INVALID_ARGUMENT, problem);
      taskId = m.taskId!;
      if (!ctx.queue.byId.has(taskId)) throw new RpcError(grpc.status.NOT_FOUND, `no task ${taskId}`);
      path = join(ctx.uploadDir, `${taskId}-${++uploadCounter}.bin`);
      file = createWriteStream(path);
      file.on('error', (err) => refuse(grpc.status.INTERNAL, `fake could not store the upload: ${err.message}`));
      return;
    }
    if (!file) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'the first message must be metadata');
    if (msg.data) {
      const data = msg.data.data ?? new Uint8Array(0);
      if (data.length < 1 || data.length > MAX_CHUNK_BYTES) {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, `data chunk of ${data.length} bytes (must be 1..${MAX_CHUNK_BYTES})`);
      }
      chunkSizes.push(data.length);
      size += data.length;
      hash.update(data);
      if (!file.write(data)) {
        call.pause();
        file.once('drain', () => call.resume());
      }
      return;
    }
    if (msg.eof) {
      const sum = msg.eof.sha256Checksum ?? new Uint8Array(0);
      if (sum.length !== 32) throw new RpcError(grpc.status.INVALID_ARGUMENT, `sha256_checksum of ${sum.length} bytes (must be 32)`);
      if (annotationsProblem(msg.eof.annotations)) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'too many eof annotations');
      eof = sum;
      return;
    }
    throw new RpcError(grpc.status.INVALID_ARGUMENT, 'message with no metadata, data or eof');
  };

  call.on('data', (msg: BatonServiceUploadAssetRequest) => {
    if (done) return;
    try {
      accept(msg);
    } catch (err) {
      const e = err instanceof RpcError ? err : new RpcError(grpc.status.INTERNAL, String(err));
      refuse(e.code, e.message);
    }
  });
  call.on('error', () => refuse(grpc.status.CANCELLED, 'stream broken by the client'));
  call.on('end', () => {
    if (done) return;
    if (!file || !eof) return refuse(grpc.status.INVALID_ARGUMENT, 'stream ended without metadata and eof');
    if (Buffer.compare(Buffer.from(eof), hash.copy().digest()) !== 0) {
      return refuse(grpc.status.INVALID_ARGUMENT, 'sha256_checksum does not match the data');
    }
    if (ctx.faults.takeUploadFault()) {
      ctx.records.faulted++;
      return refuse(grpc.status.UNAVAILABLE, 'injected upload fault');
    }
    file.end(() => {
      if (done) return;
      done = true;
      record(true);
      callback(null, {});
    });
  });
}
