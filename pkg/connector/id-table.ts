/**
 * A set of ids, each with a small number (the page that listed it first), sized for a whole site's
 * users: Tableau ids are lowercase UUIDs, kept as their 16 bytes in one open-addressing table (one
 * typed array, 20 bytes a slot, ~5 MB at 200k ids) outside the V8 heap. A `Map` keyed by the id
 * strings costs ~35 bytes an entry inside the heap, plus the strings, and V8 sizes its old space at a
 * multiple of what is live. Any other id (uppercase, not a UUID) goes to a `Map`, so equality stays
 * exact string equality.
 */

/** Words per slot: four for the UUID, one for the value plus one (0 = empty slot). */
const STRIDE = 5;
const INITIAL_SLOTS = 1024;
/** Linear probing stays short up to this load; 200k ids fit in 2^18 slots. */
const MAX_LOAD = 0.8;

/** Value of each lowercase hex digit by char code; -1 for every other code below 128. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = i;

function hexValue(code: number): number {
  return code < 128 ? (HEX[code] ?? -1) : -1;
}

/** The value of `count` lowercase hex digits of `id` from `at`, or -1. */
function hexRun(id: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = hexValue(id.charCodeAt(i));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** Writes the 4 words of a canonical lowercase UUID into `out` at `at`; false for any other string. */
export function parseUuid(id: string, out: Uint32Array, at = 0): boolean {
  if (id.length !== 36 || id.charCodeAt(8) !== 45 || id.charCodeAt(13) !== 45 || id.charCodeAt(18) !== 45 || id.charCodeAt(23) !== 45) return false;
  const a = hexRun(id, 0, 8);
  const b = hexRun(id, 9, 4);
  const c = hexRun(id, 14, 4);
  const d = hexRun(id, 19, 4);
  const e = hexRun(id, 24, 4);
  const f = hexRun(id, 28, 8);
  if (a < 0 || b < 0 || c < 0 || d < 0 || e < 0 || f < 0) return false;
  out[at] = a;
  out[at + 1] = b * 65536 + c;
  out[at + 2] = d * 65536 + e;
  out[at + 3] = f;
  return true;
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const uuidText = Buffer.alloc(36);

/** The UUID string of the 4 words at `at` (the inverse of parseUuid). */
export function formatUuid(words: Uint32Array, at: number): string {
  let p = 0;
  for (let k = 0; k < 4; k++) {
    const word = words[at + k] ?? 0;
    for (let shift = 28; shift >= 0; shift -= 4) {
      if (p === 8 || p === 13 || p === 18 || p === 23) uuidText[p++] = 45;
      uuidText[p++] = HEX_CODES[(word >>> shift) & 15] ?? 48;
    }
  }
  return uuidText.toString('latin1', 0, 36);
}

/** A 32-bit hash of the 4 words of a UUID at `at` (see parseUuid). */
export function uuidHash(w: Uint32Array, at = 0): number {
  let h = Math.imul(w[at] ?? 0, 0x9e3779b1) ^ Math.imul(w[at + 1] ?? 0, 0x85ebca77) ^ Math.imul(w[at + 2] ?? 0, 0xc2b2ae3d) ^ (w[at + 3] ?? 0);
  h = Math.imul(h ^ (h >>> 15), 0x27d4eb2f);
  return (h ^ (h >>> 13)) >>> 0;
}

export class IdTable {
  private slots = new Uint32Array(INITIAL_SLOTS * STRIDE);
  private mask = INITIAL_SLOTS - 1;
  private used = 0;
  private readonly others = new Map<string, number>();
  private readonly key = new Uint32Array(4);

  /** The value stored for `id`, or `value` after storing it when the id is new (0 ≤ value ≤ 2^32 - 2). */
  getOrSet(id: string, value: number): number {
    if (!parseUuid(id, this.key)) {
      const known = this.others.get(id);
      if (known !== undefined) return known;
      this.others.set(id, value);
      return value;
    }
    const at = this.find(this.key);
    const known = this.slots[at + 4] ?? 0;
    if (known !== 0) return known - 1;
    const slots = this.slots;
    slots[at] = this.key[0] ?? 0;
    slots[at + 1] = this.key[1] ?? 0;
    slots[at + 2] = this.key[2] ?? 0;
    slots[at + 3] = this.key[3] ?? 0;
    slots[at + 4] = value + 1;
    if (++this.used > (this.mask + 1) * MAX_LOAD) this.grow();
    return value;
  }

  /** Whether `id` is stored. */
  has(id: string): boolean {
    if (this.used + this.others.size === 0) return false;
    if (!parseUuid(id, this.key)) return this.others.has(id);
    return (this.slots[this.find(this.key) + 4] ?? 0) !== 0;
  }

  get size(): number {
    return this.used + this.others.size;
  }

  /** Offset of the slot holding `key`, or of the empty slot where it belongs. */
  private find(key: Uint32Array, slots = this.slots, mask = this.mask): number {
    for (let slot = uuidHash(key) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * STRIDE;
      if (slots[at + 4] === 0) return at;
      if (slots[at] === key[0] && slots[at + 1] === key[1] && slots[at + 2] === key[2] && slots[at + 3] === key[3]) return at;
    }
  }

  private grow(): void {
    const old = this.slots;
    const mask = this.mask * 2 + 1;
    const slots = new Uint32Array((mask + 1) * STRIDE);
    const key = new Uint32Array(4);
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at + 4] === 0) continue;
      key.set(old.subarray(at, at + 4));
      slots.set(old.subarray(at, at + STRIDE), this.find(key, slots, mask));
    }
    this.slots = slots;
    this.mask = mask;
  }
}
