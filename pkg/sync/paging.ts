/** Page-by-page iteration of one Baton list call. */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { SyncError } from './errors.js';

/**
 * Longest stretch one listing runs before letting I/O callbacks in. Several listings run at once and
 * each may take this long per turn of the event loop, and a response that arrives meanwhile holds
 * back the next request: at 5 ms a turn took 15-20 ms while users were stored, and member requests
 * averaged 43 ms against Tableau's 28 (20,000 users, 25 ms latency).
 */
const YIELD_AFTER_MS = 2;

/** The part of every Baton list response the pager needs. */
export interface ListPage<T> {
  list?: T[];
  nextPageToken?: string;
}

/**
 * Records handed to `onPage` at once: the yield check runs between chunks, and a 1,000-user page takes
 * ~40 ms to store (25 users ~1 ms).
 */
const CHUNK_ITEMS = 25;

/**
 * Call `fetchPage` from the empty token until `next_page_token` is "", handing each page to
 * `onPage` (in chunks of up to CHUNK_ITEMS) before the next request, so only one page is ever held.
 * A token that comes back a second time would loop forever: the SDK treats it as a connector bug,
 * and so do we.
 */
export async function forEachPage<T>(
  label: string,
  fetchPage: (pageToken: string) => Promise<ListPage<T>>,
  onPage: (items: T[]) => void,
): Promise<void> {
  const seen = new Set<string>();
  let token = '';
  let ranSince = performance.now();
  for (;;) {
    const page = await fetchPage(token);
    const items = page.list ?? [];
    for (let start = 0; start === 0 || start < items.length; start += CHUNK_ITEMS) {
      onPage(items.length <= CHUNK_ITEMS ? items : items.slice(start, start + CHUNK_ITEMS));
      // Let other listings' responses in now and then: storing a large page is CPU work, and a
      // connector answering from memory resolves at once, so without this the loop would run on
      // microtasks alone (member responses waited up to 280 ms at 20k users).
      if (performance.now() - ranSince > YIELD_AFTER_MS) {
        await yieldToIo();
        ranSince = performance.now();
      }
    }
    const next = page.nextPageToken ?? '';
    if (next === '') return;
    if (next === token || seen.has(next)) {
      throw new SyncError(`${label}: the connector returned a page token it had already returned (connector bug)`);
    }
    seen.add(next);
    token = next;
  }
}
