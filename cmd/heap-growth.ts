/**
 * Caps how far V8 lets the old generation grow past its live data. V8 picks a growing factor from the
 * allocation rate (up to 4x for allocation-heavy work such as a sync), so at 200,000 users ~25 MB live
 * became ~100 MB of heap, the largest part of the peak RSS. At 2x the L200k peak measured 60-70 MB lower
 * at about the same CPU time (more, shorter full collections). 1.7x: another ~8 MB lower (L200k 174-178
 * against 183-185 MB, interleaved runs), CPU time within the noise; 1.6x saved ~5 MB more but cost CPU.
 * S5k's peak does not change: its heap never reaches the limit.
 * Set from inside because `node` flags cannot be given to an installed bin; V8 reads this flag whenever
 * it recomputes the heap limit, so setting it at start-up is enough (unlike the heap size flags).
 */
import v8 from 'node:v8';

/** Old generation limit = live size after a full collection + this percentage. */
const HEAP_GROWING_PERCENT = 70;

export function limitHeapGrowth(percent: number = HEAP_GROWING_PERCENT): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
