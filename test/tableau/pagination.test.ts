import { describe, expect, it } from 'vitest';
import { lastPageNumber, pagesInOrder } from '../../pkg/tableau/pagination.js';
import type { TableauPage } from '../../pkg/tableau/types.js';

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

  it('reports a short page as a PARSE error', async () => {
    const src = listing(30, 10, (page, n) => (n === 2 ? { ...page, items: page.items.slice(1) } : page));
    await expect(collect(pagesInOrder(src.fetchPage, { pageSize: 10, concurrency: 2 }))).rejects.toMatchObject({ code: 'PARSE' });
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
