/**
 * Full listings: page 1 first (it tells how many pages exist), then the remaining pages fetched
 * concurrently within a window and yielded strictly in order. Every page is checked against the total
 * that page 1 promised: more items than promised or an id seen twice means the listing is wrong →
 * PARSE error; fewer (or a 400006 past the real end) ends the listing early (see listing-end.ts), and
 * the pages already requested beyond it are cancelled unread.
 */
import { TableauError } from './errors.js';
import { judgePage, pageOrPastEnd, SeenIds, type ShortfallSink } from './listing-end.js';
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
  /** Told when the listing ends short of page 1's promise (default: nobody; the listing still ends). */
  onShortfall?: ShortfallSink;
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
  private readonly seen: SeenIds<T> | undefined;

  constructor(
    private readonly opts: PagesInOrderOptions<T>,
    private readonly total: number,
    /** The page size of page 1 (Tableau's, should it differ from the one asked for). */
    private readonly pageSize: number,
  ) {
    this.seen = opts.idOf && new SeenIds(opts.idOf);
  }

  /** Whether a page follows; throws on a page that would make the listing wrong. */
  check(page: TableauPage<T> | undefined, pageNumber: number): boolean {
    const { what = 'pages' } = this.opts;
    const pageSize = this.pageSize;
    if (page && page.pagination.pageSize !== pageSize) {
      throw listingError(what, `page ${pageNumber} is counted in pages of ${page.pagination.pageSize}, page 1 in pages of ${pageSize}`);
    }
    const verdict = judgePage(pageNumber, pageSize, page, this.total, this.total);
    if (verdict.shortfall) this.opts.onShortfall?.({ listing: what, ...verdict.shortfall });
    if (page === undefined) return false;
    const expected = Math.max(0, Math.min(pageSize, this.total - (pageNumber - 1) * pageSize));
    if (page.items.length > expected) {
      throw listingError(what, `page ${pageNumber} has ${page.items.length} items, more than the ${expected} of ${this.total} page 1 promised`);
    }
    const repeated = this.seen?.repeatedIn(page.items);
    if (repeated !== undefined) throw listingError(what, `id ${repeated} appears twice (page ${pageNumber})`);
    return verdict.more;
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
  const inFlight = new Map<number, Promise<TableauPage<T> | undefined>>();
  try {
    const first = await fetchPage(1, controller.signal);
    const pageSize = first.pagination.pageSize;
    const checker = new ListingChecker(opts, first.pagination.totalAvailable, pageSize);
    const last = lastPageNumber(first.pagination.totalAvailable, pageSize);
    let more = checker.check(first, 1);
    yield first;
    let next = 2;
    for (let pageNumber = 2; more && pageNumber <= last; pageNumber++) {
      for (; next <= last && inFlight.size < window; next++) {
        const n = next;
        const promise = pageOrPastEnd(n, () => fetchPage(n, controller.signal));
        promise.catch(() => undefined); // observed when awaited; avoids unhandled rejections on early exit
        inFlight.set(n, promise);
      }
      const page = await inFlight.get(pageNumber)!;
      inFlight.delete(pageNumber);
      more = checker.check(page, pageNumber);
      if (page) yield page;
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (inFlight.size > 0) controller.abort();
  }
}

/** Options of {@link pagesOneByOne}. */
export interface OneByOneOptions<T> {
  /** Names the listing in errors and warnings. */
  what: string;
  idOf: (item: T) => string;
  onShortfall?: ShortfallSink;
  /** A listing still going after this many pages is refused (a server that never ends it). */
  maxPages: number;
}

/**
 * A small listing (sites) read one page after another, under the same end rule as every listing
 * ({@link judgePage} on each page's own pagination) and refusing an id seen on two pages.
 */
export async function* pagesOneByOne<T>(
  read: (pageNumber: number) => Promise<TableauPage<T>>,
  opts: OneByOneOptions<T>,
): AsyncGenerator<TableauPage<T>> {
  const seen = new SeenIds(opts.idOf);
  let promised = 0;
  let pageSize = 1;
  for (let pageNumber = 1; pageNumber <= opts.maxPages; pageNumber++) {
    const page = await pageOrPastEnd(pageNumber, () => read(pageNumber));
    pageSize = page?.pagination.pageSize ?? pageSize;
    const verdict = judgePage(pageNumber, pageSize, page, promised);
    if (verdict.shortfall) opts.onShortfall?.({ listing: opts.what, ...verdict.shortfall });
    if (page === undefined) return;
    promised = page.pagination.totalAvailable;
    const repeated = seen.repeatedIn(page.items);
    if (repeated !== undefined) throw listingError(opts.what, `id ${repeated} appears on two pages (page ${pageNumber})`);
    yield page;
    if (!verdict.more) return;
  }
  throw listingError(opts.what, `did not end after ${opts.maxPages} pages`);
}
