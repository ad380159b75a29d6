/**
 * The one rule for where a Tableau listing ends, shared by every path that pages through Tableau
 * (the prefetching generators, the sync's page-at-a-time listings, the site listings, provisioning).
 *
 * Real servers over-promise: Tableau Server may report a `totalAvailable` larger than its pages
 * deliver (Tableau's own Python client learned to tolerate it). A page with fewer items than the
 * total implies (down to an empty page), or a `400006 Page number is beyond the final page` answer to
 * a later page, therefore ends the listing normally; the shortfall is reported as a warning. What
 * would make the output wrong (a page longer than the page size, more items than promised, repeated
 * or missing ids, bad totals) stays an error, checked where the page is parsed (normalize.ts).
 */
import { TableauError } from './errors.js';
import type { TableauPage } from './types.js';

/** A listing that delivered fewer items than Tableau promised. */
export interface ListingShortfall {
  /** Names the listing, e.g. `users of site 1b2c…` or `members of group 9f3a…`. */
  listing: string;
  /** totalAvailable of the last page read (for a 400006, of the page before). */
  promised: number;
  /** Items the listing delivered in all. */
  delivered: number;
}

/** What one page says about its listing. */
export interface PageVerdict {
  /** Whether the next page is to be read. */
  more: boolean;
  /** Set when this page ended the listing short of what Tableau promised. */
  shortfall?: { promised: number; delivered: number };
}

/** The warning text of a shortfall (one line, ids kept, nothing secret). */
export function shortfallMessage(s: ListingShortfall): string {
  return `Tableau listing ${s.listing} ended early: Tableau promised ${s.promised} items, delivered ${s.delivered} (a known Tableau Server habit; the listing is complete)`;
}

/** Tableau's answer to a page past the final one. */
function isPastFinalPage(err: unknown): boolean {
  return err instanceof TableauError && err.tableauCode === '400006';
}

/**
 * Reads page `pageNumber`; a 400006 answer to a page after the first resolves to undefined (the
 * listing ended before it). On page 1 it stays an error: there is no listing to end.
 */
export async function pageOrPastEnd<T>(pageNumber: number, read: () => Promise<TableauPage<T>>): Promise<TableauPage<T> | undefined> {
  try {
    return await read();
  } catch (err) {
    if (pageNumber > 1 && isPastFinalPage(err)) return undefined;
    throw err;
  }
}

/**
 * The verdict on page `pageNumber` of a listing. Pages are counted in the page size the page itself
 * reports (a server may cap what was asked for, and pages its listing in its own size); `pageSize` is
 * the size of the earlier pages, for a page that never came. `page` undefined means Tableau answered
 * 400006; `promisedBefore` is then the total the previous page promised. `promised` overrides the
 * page's own total (listings that hold page 1's promise for every page).
 */
export function judgePage<T>(
  pageNumber: number,
  pageSize: number,
  page: TableauPage<T> | undefined,
  promisedBefore = 0,
  promised = page?.pagination.totalAvailable ?? promisedBefore,
): PageVerdict {
  const size = page && page.pagination.pageSize > 0 ? page.pagination.pageSize : pageSize;
  const before = (pageNumber - 1) * size;
  if (page === undefined) return { more: false, shortfall: { promised: Math.max(promised, before), delivered: before } };
  const delivered = before + page.items.length;
  const expected = Math.max(0, Math.min(size, promised - before));
  if (page.items.length < expected) return { more: false, shortfall: { promised, delivered } };
  return { more: page.items.length > 0 && pageNumber * size < promised };
}

/**
 * The duplicate-id check of a listing read across pages: an id on two pages means the listing shifted
 * while it was read, or is corrupt, and is refused (a repeat within one page is refused where the page
 * is parsed).
 */
export class SeenIds<T> {
  private readonly seen = new Set<string>();

  constructor(private readonly idOf: (item: T) => string) {}

  /** The first id of `items` seen on an earlier page, or undefined (the new ids are remembered). */
  repeatedIn(items: readonly T[]): string | undefined {
    for (const item of items) {
      const id = this.idOf(item);
      if (this.seen.has(id)) return id;
      this.seen.add(id);
    }
    return undefined;
  }
}

/** Receives the shortfalls of listings (a warning to count and log once). */
export type ShortfallSink = (shortfall: ListingShortfall) => void;
