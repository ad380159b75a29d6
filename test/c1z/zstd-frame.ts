/** Reads a zstd frame's header and length by the format (RFC 8878), to check the compressed c1z independently. */
import { expect } from 'vitest';

/** Frame_Content_Size from a zstd frame header (RFC 8878 §3.1.1.1), or undefined when absent. */
export function zstdFrameContentSize(frame: Buffer): number | undefined {
  expect(frame.readUInt32LE(0)).toBe(0xfd2fb528);
  const descriptor = frame[4]!;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictIdBytes = [0, 1, 2, 4][descriptor & 3]!;
  const at = 5 + (singleSegment ? 0 : 1) + dictIdBytes;
  const size = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag]!;
  if (size === 0) return undefined;
  if (size === 1) return frame[at]!;
  if (size === 2) return frame.readUInt16LE(at) + 256;
  if (size === 4) return frame.readUInt32LE(at);
  return Number(frame.readBigUInt64LE(at));
}

/** Bytes from the start of `frame` to the end of its zstd frame (header, blocks, optional checksum). */
export function zstdFrameLength(frame: Buffer): number {
  const descriptor = frame[4]!;
  const singleSegment = (descriptor >> 5) & 1;
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6]!;
  let at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]! + fcsBytes;
  for (;;) {
    const header = frame.readUIntLE(at, 3);
    const type = (header >> 1) & 3;
    at += 3 + (type === 1 ? 1 : header >>> 3);
    if (header & 1) break;
  }
  return at + ((descriptor >> 2) & 1 ? 4 : 0);
}
