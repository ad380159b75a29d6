/**
 * Full listings: page 1 first (it tells how many pages exist), then the remaining pages fetched
 * concurrently within a window and yielded strictly in order. Every page is checked against the total
 * that page 1 promised; a short page or an id seen twice means the listing is wrong → PARSE error.
 */
import { TableauError } from './errors.js';
import type { TableauPage } from './types.js';

/** Options of {@link pagesInOrder}. */
export interface PagesInOrderOptions<T> {
  pageSize: number;
  /** Pages fetched at once after page 1 (≥ 1). */
  concurrency: number;
  signal?: AbortSignal;
  /** When given, an id repeated across pages is reported as a PARSE error. */
  idOf?: (item: T) => string;
  /** Names the listing in error messages. */
  what?: string;
}

/** Tableau: stop when pageNumber·pageSize ≥ totalAvailable; an empty listing is still one page. */
export function lastPageNumber(totalAvailable: number, pageSize: number): number {
  return Math.max(1, Math.ceil(totalAvailable / pageSize));
}

function listingError(what: string, problem: string): TableauError {
  return new TableauError({ code: 'PARSE', message: `Tableau listing ${what}: ${problem}`, retryable: false });
}

/** Checks each page against the total page 1 promised, and ids against those already seen. */
class ListingChecker<T> {
  private readonly seen = new Set<string>();

  constructor(private readonly opts: PagesInOrderOptions<T>, private readonly total: number) {}

  check(page: TableauPage<T>, pageNumber: number): void {
    const { pageSize, idOf, what = 'pages' } = this.opts;
    const expected = Math.max(0, Math.min(pageSize, this.total - (pageNumber - 1) * pageSize));
    if (page.items.length !== expected) {
      throw listingError(what, `page ${pageNumber} has ${page.items.length} items, expected ${expected} of ${this.total}`);
    }
    if (!idOf) return;
    for (const item of page.items) {
      const id = idOf(item);
      if (this.seen.has(id)) throw listingError(what, `id ${id} appears twice (page ${pageNumber})`);
      this.seen.add(id);
    }
  }
}

/** Fetches page 1, then the rest concurrently (bounded), yielding pages strictly in order. */
export async function* pagesInOrder<T>(
  fetchPage: (pageNumber: number, signal: AbortSignal) => Promise<TableauPage<T>>,
  opts: PagesInOrderOptions<T>,
): AsyncGenerator<TableauPage<T>> {
  const window = Math.max(1, Math.floor(opts.concurrency));
  // Our own controller: leaving the loop early cancels the prefetched pages.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const inFlight = new Map<number, Promise<TableauPage<T>>>();
  try {
    const first = await fetchPage(1, controller.signal);
    const checker = new ListingChecker(opts, first.pagination.totalAvailable);
    const last = lastPageNumber(first.pagination.totalAvailable, opts.pageSize);
    checker.check(first, 1);
    yield first;
    let next = 2;
    for (let pageNumber = 2; pageNumber <= last; pageNumber++) {
      for (; next <= last && inFlight.size < window; next++) {
        const promise = fetchPage(next, controller.signal);
        promise.catch(() => undefined); // observed when awaited; avoids unhandled rejections on early exit
        inFlight.set(next, promise);
      }
      const page = await inFlight.get(pageNumber)!;
      inFlight.delete(pageNumber);
      checker.check(page, pageNumber);
      yield page;
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (inFlight.size > 0) controller.abort();
  }
}
