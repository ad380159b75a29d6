/**
 * The listing model: how every Tableau listing is read, in one place. A {@link Listing} knows how to
 * read page N, what the listing is called in messages and the id of an item; it asks for
 * {@link TABLEAU_PAGE_SIZE} items a page and applies the one end rule (listing-end.ts) whether it is
 * read a page at a time (the sync: one Baton page per Tableau page, the next page number carried in a
 * page token) or drained (full listings, provisioning). Drains also refuse an id listed twice; the
 * sync's page-at-a-time reads leave that check to the sync cache, which sees every page.
 */
import { judgePage, pageOrPastEnd, type ShortfallSink } from './listing-end.js';
import { pagesInOrder, pagesOneByOne } from './pagination.js';
import type { TableauPage } from './types.js';

/** Tableau's largest page size (above it: 403014); every listing asks for it (fewest requests). */
export const TABLEAU_PAGE_SIZE = 1000;

/** What a listing is: how to read a page, its name in messages, the id of an item. */
export interface ListingSource<T> {
  /** Names the listing in warnings and errors, e.g. `users of site "sales" (1b2c…)`. */
  what: string;
  /** Reads page `pageNumber` (1-based) of `pageSize` items. */
  read(pageNumber: number, pageSize: number, signal?: AbortSignal): Promise<TableauPage<T>>;
  /** The id of an item (an id on two pages makes the listing wrong). */
  idOf(item: T): string;
  /** Items a page asks for; {@link TABLEAU_PAGE_SIZE} unless a caller needs fewer. */
  pageSize?: number;
}

/** One page of a listing as its readers see it. */
export interface ListedPage<T> {
  items: T[];
  /** The page to read next; undefined when this page ended the listing. */
  next: number | undefined;
  /** The total this page promised (a later page's shortfall is named against it). */
  promised: number;
}

/** How a page is read: the caller's signal, the previous page's promise, who hears of a shortfall. */
export interface ReadPageOptions {
  signal?: AbortSignal;
  /** totalAvailable of the previous page (0 for page 1, or when not known). */
  promisedBefore?: number;
  onShortfall?: ShortfallSink;
}

/** How a whole listing is read. */
export interface DrainOptions {
  signal?: AbortSignal;
  /** Pages requested at once after page 1 (read-ahead); 1 reads one page after another. */
  concurrency?: number;
  onShortfall?: ShortfallSink;
}

/** A Tableau listing under the common rules; see the module comment. */
export class Listing<T> {
  readonly what: string;
  readonly pageSize: number;

  constructor(private readonly source: ListingSource<T>) {
    this.what = source.what;
    this.pageSize = source.pageSize ?? TABLEAU_PAGE_SIZE;
  }

  /** Page `pageNumber` as Tableau sent it; undefined when a page after the first is past the end (400006). */
  fetch(pageNumber: number, signal?: AbortSignal): Promise<TableauPage<T> | undefined> {
    return pageOrPastEnd(pageNumber, () => this.source.read(pageNumber, this.pageSize, signal));
  }

  /**
   * The one next-page rule: what page `pageNumber` (as {@link fetch} returned it) says about the
   * listing. A page that ends it short of what Tableau promised is told to `onShortfall`.
   */
  judge(pageNumber: number, page: TableauPage<T> | undefined, promisedBefore = 0, onShortfall?: ShortfallSink): ListedPage<T> {
    const verdict = judgePage(pageNumber, this.pageSize, page, promisedBefore);
    if (verdict.shortfall) onShortfall?.({ listing: this.what, ...verdict.shortfall });
    return {
      items: page?.items ?? [],
      next: verdict.more ? pageNumber + 1 : undefined,
      promised: page?.pagination.totalAvailable ?? promisedBefore,
    };
  }

  /** Reads and judges page `pageNumber` (a page-at-a-time reader keeps `next` and `promised` for later). */
  async readPage(pageNumber: number, opts: ReadPageOptions): Promise<ListedPage<T>> {
    return this.judge(pageNumber, await this.fetch(pageNumber, opts.signal), opts.promisedBefore, opts.onShortfall);
  }

  /**
   * Every page in order: page 1, then the rest read ahead `concurrency` at a time, each checked
   * against page 1's promise and for ids already seen (pagination.ts).
   */
  drain(opts: DrainOptions = {}): AsyncGenerator<TableauPage<T>> {
    return pagesInOrder((pageNumber, signal) => this.source.read(pageNumber, this.pageSize, signal), {
      pageSize: this.pageSize,
      concurrency: opts.concurrency ?? 1,
      signal: opts.signal,
      onShortfall: opts.onShortfall,
      idOf: this.source.idOf,
      what: this.what,
    });
  }

  /** Every item, in order (see {@link drain}). */
  async *items(opts: DrainOptions = {}): AsyncGenerator<T> {
    for await (const page of this.drain(opts)) yield* page.items;
  }

  /**
   * A small listing whose pages are each judged by their own pagination, one after another, refused
   * when still going after `maxPages` pages (a server that never ends it): the sites of a server.
   */
  oneByOne(opts: { maxPages: number; signal?: AbortSignal; onShortfall?: ShortfallSink }): AsyncGenerator<TableauPage<T>> {
    return pagesOneByOne((pageNumber) => this.source.read(pageNumber, this.pageSize, opts.signal), {
      what: this.what,
      idOf: this.source.idOf,
      onShortfall: opts.onShortfall,
      maxPages: opts.maxPages,
    });
  }
}
