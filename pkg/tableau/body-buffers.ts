/**
 * Response bodies are read into a few reused buffers rather than with undici's `arrayBuffer()`,
 * which keeps every chunk of a body until its end and then copies them into a fresh buffer. A
 * 200k-user sync reads ~6,400 bodies of up to ~1 MB at full speed: those one-off buffers live outside
 * the V8 heap, survive young collections while other requests are in flight, and wait for a full GC
 * (measured: up to 60 MB at once), leaving the malloc heap, and so the RSS, that much larger for
 * good. Here each chunk is copied as it arrives, so the socket's chunk dies young, into a buffer
 * taken from a small free list and given back as soon as the caller has decoded it.
 */

/** Buffers kept between bodies: the client's concurrency (4 by default) plus a read-ahead fit. */
const MAX_FREE = 8;
/** A buffer this large is not kept (a one-off huge body must not pin its size for the whole run). */
const MAX_KEPT_BYTES = 8 * 1024 * 1024;
/** A Content-Length is only trusted this far before bytes arrive (a bogus header must not allocate GBs). */
const MAX_PREALLOCATED_BYTES = 16 * 1024 * 1024;
const MIN_BYTES = 64 * 1024;

const free: Buffer[] = [];

function take(size: number): Buffer {
  let best = -1;
  for (let i = 0; i < free.length; i++) {
    const length = free[i]?.length ?? 0;
    if (length >= size && (best < 0 || length < (free[best]?.length ?? 0))) best = i;
  }
  if (best >= 0) return free.splice(best, 1)[0] as Buffer;
  return Buffer.allocUnsafeSlow(Math.max(size, MIN_BYTES));
}

function giveBack(buffer: Buffer): void {
  if (buffer.length > MAX_KEPT_BYTES) return;
  if (free.length < MAX_FREE) {
    free.push(buffer);
    return;
  }
  // Full: keep the larger buffers, which are the ones that avoid growing mid-body.
  let smallest = 0;
  for (let i = 1; i < free.length; i++) if ((free[i]?.length ?? 0) < (free[smallest]?.length ?? 0)) smallest = i;
  if ((free[smallest]?.length ?? 0) < buffer.length) free[smallest] = buffer;
}

function grow(buffer: Buffer, used: number, needed: number): Buffer {
  const bigger = Buffer.allocUnsafeSlow(Math.max(needed, buffer.length * 2));
  buffer.copy(bigger, 0, 0, used);
  giveBack(buffer);
  return bigger;
}

/**
 * Reads a body to its end and hands its bytes to `use`, whose result is returned. The bytes are only
 * valid during the call (the buffer is reused afterwards): `use` must copy what it keeps (decoding
 * to a string does). Errors of the body stream (a cut connection, an abort) are thrown as they come.
 */
export async function readBody<T>(body: AsyncIterable<Uint8Array>, lengthHint: number | undefined, use: (bytes: Buffer) => T): Promise<T> {
  let buffer = take(Math.min(lengthHint ?? 0, MAX_PREALLOCATED_BYTES));
  let used = 0;
  try {
    for await (const chunk of body) {
      if (used + chunk.length > buffer.length) buffer = grow(buffer, used, used + chunk.length);
      buffer.set(chunk, used);
      used += chunk.length;
    }
    return use(buffer.subarray(0, used));
  } finally {
    giveBack(buffer);
  }
}

/** Sizes of the buffers kept for reuse (for tests). */
export function freeBodyBufferSizes(): number[] {
  return free.map((b) => b.length);
}
