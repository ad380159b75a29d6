/**
 * File-to-file zstd with flat memory, on zstd-napi's low-level streaming binding (the high-level
 * CompressStream cannot pledge the source size, and the Go writer records the frame content size).
 */
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import type * as ZstdBinding from 'zstd-napi/binding.js';

const require = createRequire(import.meta.url);
const binding = require('zstd-napi/binding') as typeof ZstdBinding;

const CHUNK_BYTES = 1 << 20;
/**
 * Level 1: on c1z databases (mostly UUID text) it is faster than zstd's default level 3 and the file
 * came out no larger (bench, 650k grants: 70.2 MB at level 1, 73.8 MB at level 3).
 */
const COMPRESSION_LEVEL = 1;
/**
 * zstd's own worker threads for large files: compression overlaps the file reads and uses the second
 * core, which is idle at finish() (2.8 GB at L200k: ~2.3-2.8 s instead of ~3.4-3.7 s wall on 2
 * cores; 116 MB at 20,000 users: ~0.18 s instead of ~0.25 s). Still one frame with the content size.
 * The workers' buffers cost ~5 MB of RSS, which a small file would pay for nothing (at S5k, ~30 MB,
 * compression takes ~0.1 s), hence the threshold. Capped at 2: more threads buy little at level 1
 * and each holds its own buffers.
 */
const PARALLEL_FROM_BYTES = 64 << 20;
/** 1 MB jobs (zstd's default at level 1 is 2 MB): +5 MB of peak RSS instead of +14 MB, same speed. */
const COMPRESSION_JOB_BYTES = 1 << 20;

/** zstd worker threads for a source of `size` bytes (0 = compress on the calling thread). */
export function compressionWorkersFor(size: number): number {
  return size >= PARALLEL_FROM_BYTES ? Math.min(2, os.availableParallelism()) : 0;
}

/**
 * Compress `srcPath` into `dstPath` as one zstd frame with the content size set, after writing
 * `prefix` verbatim. The destination is fsynced before returning. Returns the bytes written.
 * `workers` overrides {@link compressionWorkersFor} (tests).
 */
export async function compressFileTo(
  srcPath: string,
  dstPath: string,
  prefix: Uint8Array,
  opts: { workers?: number } = {},
): Promise<number> {
  const src = await fs.open(srcPath, 'r');
  let dst: fs.FileHandle | undefined;
  try {
    dst = await fs.open(dstPath, 'wx', 0o600);
    const { size } = await src.stat();
    const cctx = new binding.CCtx();
    cctx.setParameter(binding.CParameter.compressionLevel, COMPRESSION_LEVEL);
    cctx.setParameter(binding.CParameter.contentSizeFlag, 1);
    const workers = opts.workers ?? compressionWorkersFor(size);
    if (workers > 0) {
      cctx.setParameter(binding.CParameter.nbWorkers, workers);
      cctx.setParameter(binding.CParameter.jobSize, COMPRESSION_JOB_BYTES);
    }
    cctx.setPledgedSrcSize(size);
    await dst.write(prefix);
    let written = prefix.length;
    const input = Buffer.allocUnsafe(CHUNK_BYTES);
    const output = Buffer.allocUnsafe(binding.cStreamOutSize());
    let offset = 0;
    for (;;) {
      const { bytesRead } = await src.read(input, 0, CHUNK_BYTES, offset);
      offset += bytesRead;
      const last = offset >= size || bytesRead === 0;
      written += await compressChunk(cctx, input.subarray(0, bytesRead), output, last, dst);
      if (last) break;
    }
    await dst.sync();
    return written;
  } finally {
    await src.close();
    await dst?.close();
  }
}

async function compressChunk(
  cctx: ZstdBinding.CCtx,
  chunk: Buffer,
  output: Buffer,
  last: boolean,
  dst: fs.FileHandle,
): Promise<number> {
  const directive = last ? binding.EndDirective.end : binding.EndDirective.continue;
  let rest = chunk;
  let written = 0;
  for (;;) {
    const [remaining, produced, consumed] = cctx.compressStream2(output, rest, directive);
    rest = rest.subarray(consumed);
    if (produced > 0) {
      await dst.write(output, 0, produced);
      written += produced;
    }
    // Not ending: done once the input is consumed. Ending: done once zstd has nothing left to flush.
    if (last ? remaining === 0 : rest.length === 0) return written;
  }
}

/**
 * Decompress the zstd stream that starts at byte `skip` of `srcPath` into `dstPath`
 * (created exclusively, mode 0600).
 */
export async function decompressFileTo(srcPath: string, dstPath: string, skip: number): Promise<void> {
  const src = await fs.open(srcPath, 'r');
  let dst: fs.FileHandle | undefined;
  try {
    dst = await fs.open(dstPath, 'wx', 0o600);
    const dctx = new binding.DCtx();
    const input = Buffer.allocUnsafe(CHUNK_BYTES);
    const output = Buffer.allocUnsafe(binding.dStreamOutSize());
    let offset = skip;
    let frameDone = false;
    for (;;) {
      const { bytesRead } = await src.read(input, 0, CHUNK_BYTES, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      let rest = input.subarray(0, bytesRead);
      while (rest.length > 0) {
        const [hint, produced, consumed] = dctx.decompressStream(output, rest);
        rest = rest.subarray(consumed);
        if (produced > 0) await dst.write(output, 0, produced);
        frameDone = hint === 0;
      }
    }
    await drainDecompressor(dctx, output, dst, frameDone);
  } finally {
    await src.close();
    await dst?.close();
  }
}

async function drainDecompressor(
  dctx: ZstdBinding.DCtx,
  output: Buffer,
  dst: fs.FileHandle,
  frameDone: boolean,
): Promise<void> {
  // zstd may still hold decoded bytes after the last input; keep calling with empty input.
  for (let i = 0; i < 1_000_000 && !frameDone; i++) {
    const [hint, produced] = dctx.decompressStream(output, Buffer.alloc(0));
    if (produced > 0) await dst.write(output, 0, produced);
    if (hint === 0) return;
    if (produced === 0) throw new Error('c1z: truncated zstd stream');
  }
}
