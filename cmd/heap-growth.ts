/**
 * Caps how far V8 lets the old generation grow past what was live after a full GC. With a large heap
 * limit (any machine with a few GB) V8 allows up to 4x, and a sync allocates fast (every Tableau page
 * is parsed, turned into Baton records and encoded), so it takes about that: at 200k users ~25 MB
 * live became ~100 MB of heap and the largest part of the peak RSS. At 2x the L200k peak RSS measured
 * ~60-70 MB lower at the same CPU time (more, shorter full GCs; 1.3x cost ~10% more CPU). Set from
 * inside because `node` flags cannot be given to an installed bin; V8 reads this one at every GC.
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 100;

export function capHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
