/**
 * UploadAsset (PROTOCOL §5.3, §5.5): metadata, the file in 512 KiB chunks read from disk (the c1z
 * is never held in memory), then eof with the sha256 of the whole file. Three attempts, waiting 0 s
 * and then 1 s between them, as the SDK does.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { BatonServiceUploadAssetRequest } from '../../../proto/baton-service.js';
import type { BatonClient } from './baton-client.js';

/** The SDK's chunk size; the protocol allows up to 1 MiB. */
const UPLOAD_CHUNK_BYTES = 512 * 1024;
const WAITS_BEFORE_RETRY_MS = [0, 1_000];

export interface UploadTarget {
  hostId: string;
  taskId: string;
  path: string;
}

/** Uploads `target.path`; throws the last attempt's error when all three failed. Returns the bytes sent. */
export async function uploadAsset(client: BatonClient, target: UploadTarget, log: Logger, signal: AbortSignal): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await uploadOnce(client, target, signal);
    } catch (err) {
      const wait = WAITS_BEFORE_RETRY_MS[attempt - 1];
      if (wait === undefined || signal.aborted) throw err;
      log.warn({ attempt, code: (err as { code?: number }).code, reason: (err as Error).message }, 'upload failed, trying again');
      await sleep(wait, undefined, { signal });
    }
  }
}

async function uploadOnce(client: BatonClient, target: UploadTarget, signal: AbortSignal): Promise<number> {
  const call = await client.openUpload(signal);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await call.write({ metadata: { hostId: target.hostId, taskId: target.taskId, annotations: [] } } satisfies BatonServiceUploadAssetRequest);
    for await (const chunk of createReadStream(target.path, { highWaterMark: UPLOAD_CHUNK_BYTES, signal })) {
      const data = chunk as Buffer;
      hash.update(data);
      bytes += data.length;
      await call.write({ data: { data } } satisfies BatonServiceUploadAssetRequest);
    }
    await call.write({ eof: { sha256Checksum: hash.digest(), annotations: [] } } satisfies BatonServiceUploadAssetRequest);
    await call.end();
    return bytes;
  } catch (err) {
    call.cancel();
    throw err;
  }
}
