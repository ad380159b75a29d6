/**
 * Read-ahead of a users listing within one sync: a site's users, or one group's members (both are
 * pages of users). The sync engine lists such a listing one page after another and stores each
 * before asking for the next, so without read-ahead every page waits for a full Tableau round trip on
 * top of that work. Once page p is read and Tableau says a page follows, page p+1 is requested at
 * once and handed to the next call for it. One page ahead per listing (keyed by site or group id),
 * and only pages that exist: the same requests are made, just earlier.
 */
import type { TableauPage, TableauUser } from '../tableau/types.js';

/** A page of users, or undefined when Tableau answered that the page is past the end of the listing. */
type UsersPage = TableauPage<TableauUser> | undefined;

export class UserReadAhead {
  private readonly pages = new Map<string, Promise<UsersPage>>();
  // Not a call's signal: over gRPC the ListResources call has ended before the next page is asked for.
  private readonly abort = new AbortController();

  /** The read-ahead of (listing, page), handed over once; undefined when that page was not read ahead. */
  take(listing: string, page: number): Promise<UsersPage> | undefined {
    const key = `${listing}/${page}`;
    const pending = this.pages.get(key);
    this.pages.delete(key);
    return pending;
  }

  /** Starts reading (listing, page) unless it is already on its way or the sync's state was dropped. */
  start(listing: string, page: number, read: (signal: AbortSignal) => Promise<UsersPage>): void {
    const key = `${listing}/${page}`;
    if (this.abort.signal.aborted || this.pages.has(key)) return;
    const pending = read(this.abort.signal);
    // A failure is reported to whoever takes the page; until then it must not count as unhandled.
    pending.catch(() => undefined);
    this.pages.set(key, pending);
  }

  /** Cancels pages still on their way (the sync ended or its state was evicted). */
  close(): void {
    this.abort.abort();
    this.pages.clear();
  }
}
