import { describe, expect, it } from 'vitest';
import { lastPageNumber, pagesInOrder } from '../../pkg/tableau/pagination.js';
import type { TableauPage } from '../../pkg/tableau/types.js';
import { TableauError } from '../../pkg/tableau/errors.js';
import type { ListingShortfall } from '../../pkg/tableau/listing-end.js';

interface Item { id: string }

/** A listing of `total` items served from memory; records which pages were requested. */
function listing(total: number, pageSize: number, tweak?: (page: TableauPage<Item>, n: number) => TableauPage<Item>) {
  const requested: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchPage = async (pageNumber: number): Promise<TableauPage<Item>> => {
    requested.push(pageNumber);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // Later pages answer first, so ordering is really exercised.
    await new Promise((resolve) => setTimeout(resolve, (10 - pageNumber) % 5));
    inFlight--;
    const start = (pageNumber - 1) * pageSize;
    const items = Array.from({ length: Math.max(0, Math.min(pageSize, total - start)) }, (_, i) => ({ id: `i${start + i}` }));
    const page = { items, pagination: { pageNumber, pageSize, totalAvailable: total } };
    return tweak ? tweak(page, pageNumber) : page;
  };
  return { fetchPage, requested, maxInFlight: () => maxInFlight };
}

async function collect(gen: AsyncGenerator<TableauPage<Item>>): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of gen) ids.push(...page.items.map((item) => item.id));
  return ids;
}

describe('pagesInOrder', () => {
  it('computes the last page from totalAvailable', () => {
    expect([lastPageNumber(0, 1000), lastPageNumber(1, 1000), lastPageNumber(1000, 1000), lastPageNumber(1001, 1000)]).toEqual([1, 1, 1, 2]);
  });

  for (const total of [0, 1, 10, 11, 95]) {
    it(`yields all ${total} items in order without asking past the end`, async () => {
      const src = listing(total, 10);
      const ids = await collect(pagesInOrder(src.fetchPage, { pageSize: 10, concurrency: 3, idOf: (i) => i.id }));
      expect(ids).toEqual(Array.from({ length: total }, (_, i) => `i${i}`));
      expect(src.requested.sort((a, b) => a - b)).toEqual(Array.from({ length: lastPageNumber(total, 10) }, (_, i) => i + 1));
      expect(src.maxInFlight()).toBeLessThanOrEqual(3);
    });
  }

  it('ends the listing at a short page, reporting the shortfall once and cancelling the pages read ahead', async () => {
    const signals = new Map<number, AbortSignal>();
    const src = listing(50, 10, (page, n) => (n === 2 ? { ...page, items: page.items.slice(1) } : page));
    const fetchPage = (n: number, signal: AbortSignal) => {
      signals.set(n, signal);
      return src.fetchPage(n);
    };
    const shortfalls: ListingShortfall[] = [];
    const ids = await collect(pagesInOrder(fetchPage, { pageSize: 10, concurrency: 3, what: 'things', onShortfall: (s) => shortfalls.push(s) }));
    expect(ids).toEqual([...Array.from({ length: 10 }, (_, i) => `i${i}`), ...Array.from({ length: 9 }, (_, i) => `i${11 + i}`)]);
    expect(shortfalls).toEqual([{ listing: 'things', promised: 50, delivered: 19 }]);
    // Pages 3 and 4 were already on their way when page 2 came back short: cancelled, never yielded.
    expect(signals.get(3)?.aborted).toBe(true);
  });

  it('ends the listing at an empty page', async () => {
    const src = listing(30, 10, (page, n) => (n === 3 ? { ...page, items: [] } : page));
    const shortfalls: ListingShortfall[] = [];
    const ids = await collect(pagesInOrder(src.fetchPage, { pageSize: 10, concurrency: 2, onShortfall: (s) => shortfalls.push(s) }));
    expect(ids).toHaveLength(20);
    expect(shortfalls).toEqual([{ listing: 'pages', promised: 30, delivered: 20 }]);
  });

  it('ends the listing at a 400006 past the real end, even for a page read ahead', async () => {
    const src = listing(25, 10);
    const fetchPage = async (n: number): Promise<TableauPage<Item>> => {
      if (n >= 3) throw new TableauError({ code: 'BAD_REQUEST', tableauCode: '400006', message: 'Page number is beyond the final page' });
      return src.fetchPage(n);
    };
    const shortfalls: ListingShortfall[] = [];
    const ids = await collect(pagesInOrder(fetchPage, { pageSize: 10, concurrency: 4, onShortfall: (s) => shortfalls.push(s) }));
    expect(ids).toHaveLength(20);
    expect(shortfalls).toEqual([{ listing: 'pages', promised: 25, delivered: 20 }]);
  });

  it('keeps a 400006 on page 1 an error (there is no listing to end)', async () => {
    const fetchPage = async (): Promise<TableauPage<Item>> => {
      throw new TableauError({ code: 'BAD_REQUEST', tableauCode: '400006', message: 'Page number is beyond the final page' });
    };
    await expect(collect(pagesInOrder(fetchPage, { pageSize: 10, concurrency: 2 }))).rejects.toMatchObject({ tableauCode: '400006' });
  });

  it('refuses a page with more items than page 1 promised', async () => {
    const src = listing(15, 10, (page, n) => (n === 2 ? { ...page, items: [...page.items, { id: 'extra' }] } : page));
    await expect(collect(pagesInOrder(src.fetchPage, { pageSize: 10, concurrency: 2, what: 'things' }))).rejects.toThrow(/things: page 2 has 6 items, more than the 5 of 15/);
  });

  it('refuses pages counted in another page size than page 1', async () => {
    const src = listing(30, 10, (page, n) => (n === 2 ? { ...page, pagination: { ...page.pagination, pageSize: 5 } } : page));
    await expect(collect(pagesInOrder(src.fetchPage, { pageSize: 10, concurrency: 2 }))).rejects.toThrow(/counted in pages of 5/);
  });

  it('reports an id repeated across pages as a PARSE error', async () => {
    const src = listing(20, 10, (page, n) => (n === 2 ? { ...page, items: [{ id: 'i0' }, ...page.items.slice(1)] } : page));
    await expect(collect(pagesInOrder(src.fetchPage, { pageSize: 10, concurrency: 2, idOf: (i) => i.id }))).rejects.toThrow(/i0 appears twice/);
  });

  it('cancels prefetched pages when the consumer stops early', async () => {
    const signals: AbortSignal[] = [];
    const fetchPage = async (pageNumber: number, signal: AbortSignal): Promise<TableauPage<Item>> => {
      signals.push(signal);
      return { items: Array.from({ length: 10 }, (_, i) => ({ id: `${pageNumber}-${i}` })), pagination: { pageNumber, pageSize: 10, totalAvailable: 100 } };
    };
    for await (const page of pagesInOrder(fetchPage, { pageSize: 10, concurrency: 4 })) {
      if (page.pagination.pageNumber === 2) break;
    }
    expect(signals.length).toBeLessThanOrEqual(6);
    expect(signals.at(-1)!.aborted).toBe(true);
  });
});
