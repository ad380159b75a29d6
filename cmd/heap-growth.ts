/**
 * Caps how far V8 lets the old generation grow past its live data. V8 picks a growing factor from the
 * allocation rate (up to 4x for allocation-heavy work such as a sync), so at 200,000 users ~100 MB of
 * garbage piled up between full collections and peak memory grew with the site. A fixed factor keeps the
 * peak near the live data (bench/README.md has the measurements). V8 reads this flag whenever it
 * recomputes the heap limit, so setting it at start-up is enough (unlike the heap size flags).
 */
import v8 from 'node:v8';

/** Old generation limit = live size after a full collection + this percentage. */
export const HEAP_GROWING_PERCENT = 50;

export function limitHeapGrowth(percent: number = HEAP_GROWING_PERCENT): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
