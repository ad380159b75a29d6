/**
 * KSUID (K-Sortable Unique IDentifier), the Baton SDK's sync id format (segmentio/ksuid):
 * 4 bytes of big-endian seconds since the KSUID epoch followed by 16 random bytes,
 * rendered as 27 base62 characters so that string order equals time order.
 */
import { randomBytes } from 'node:crypto';

/** KSUID epoch: 2014-05-13T16:53:20Z. */
const KSUID_EPOCH_SECONDS = 1_400_000_000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ENCODED_LENGTH = 27;

/** A new KSUID for the given time (default: now). */
export function newKsuid(now: Date = new Date()): string {
  const bytes = Buffer.alloc(20);
  const seconds = Math.floor(now.getTime() / 1000) - KSUID_EPOCH_SECONDS;
  bytes.writeUInt32BE(seconds >>> 0, 0);
  randomBytes(16).copy(bytes, 4);
  return encodeBase62(bytes);
}

/** The timestamp embedded in a KSUID (seconds precision). */
export function ksuidTime(id: string): Date {
  if (id.length !== ENCODED_LENGTH) throw new Error(`not a KSUID: wrong length ${id.length}`);
  let value = 0n;
  for (const ch of id) {
    const digit = BASE62.indexOf(ch);
    if (digit < 0) throw new Error('not a KSUID: invalid character');
    value = value * 62n + BigInt(digit);
  }
  const seconds = Number(value >> 128n);
  return new Date((seconds + KSUID_EPOCH_SECONDS) * 1000);
}

function encodeBase62(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (value > 0n) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  // Fixed width: leading zero digits keep lexical order equal to numeric order.
  return out.padStart(ENCODED_LENGTH, '0');
}
