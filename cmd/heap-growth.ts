/**
 * Caps how far V8 lets the old generation grow past its live data. V8 picks a growing factor from the
 * allocation rate (up to 4x for allocation-heavy work such as a sync), so at 200,000 users ~25 MB live
 * became ~100 MB of heap, the largest part of the peak RSS. At 2x the L200k peak measured 60-70 MB lower
 * at about the same CPU time (more, shorter full collections); 1.5x saved little more for 5-15% more CPU.
 * Set from inside because `node` flags cannot be given to an installed bin; V8 reads this flag whenever
 * it recomputes the heap limit, so setting it at start-up is enough (unlike the heap size flags).
 */
import v8 from 'node:v8';

/** Old generation limit = live size after a full collection + this percentage. */
export const HEAP_GROWING_PERCENT = 100;

export function limitHeapGrowth(percent: number = HEAP_GROWING_PERCENT): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
