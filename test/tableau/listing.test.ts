/**
 * The listing model (pkg/tableau/listing.ts) against the simulator: a listing read a page at a time by
 * `next`, the end rule on over-promising listings (a short page, an empty page, a 400006 past the real
 * end), the drain's read-ahead in order, and the refusal of a listing that shifted while it was read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { Listing, TABLEAU_PAGE_SIZE, TableauClient, type ListedPage, type ListingShortfall, type TableauUser } from '../../pkg/tableau/index.js';
import { scenario, site } from './scenario.js';

const EXACT = { overPromise: 0, overPromiseListings: '', pastEndEmpty: false };
const USERS_ROUTE = 'GET /sites/{}/users';

let sim: RunningSimulator;
let tableau: TableauClient;

beforeAll(async () => {
  // "" holds 2501 users (pages of 1000, 1000, 501), "even" 2000 (two full pages), "shift" 2501 (changed by a test).
  sim = await startSimulator({ data: scenario(site(0, '', 2500), site(1, 'even', 1999), site(2, 'shift', 2500)) });
  tableau = new TableauClient({ serverUrl: sim.url, credentials: { kind: 'password', username: sim.info.admin.username, password: sim.info.admin.password } });
}, 60_000);

afterAll(async () => {
  await tableau?.close();
  await sim?.close();
});

function usersOf(contentUrl: string): Listing<TableauUser> {
  const client = tableau.site(contentUrl);
  return new Listing({ what: 'users', idOf: (u) => u.id, read: (pageNumber, pageSize, signal) => client.listUsers({ pageNumber, pageSize, sort: 'name:asc', signal }) });
}

function sortedNames(contentUrl: string): string[] {
  return sim.state().sites.find((s) => s.contentUrl === contentUrl)!.users.map((u) => u.name).sort();
}

/** Reads page after page as the sync does (the next page number kept between calls), at most 10 pages. */
async function pageByPage(listing: Listing<TableauUser>, onShortfall: (s: ListingShortfall) => void): Promise<ListedPage<TableauUser>[]> {
  const pages: ListedPage<TableauUser>[] = [];
  let next: number | undefined = 1;
  let promisedBefore = 0;
  while (next !== undefined && pages.length < 10) {
    const page: ListedPage<TableauUser> = await listing.readPage(next, { promisedBefore, onShortfall });
    pages.push(page);
    next = page.next;
    promisedBefore = page.promised;
  }
  return pages;
}

describe('a listing read a page at a time', () => {
  it('gives the next page number until the last page, 1000 items a page, one request a page', async () => {
    sim.resetStats();
    const shortfalls: ListingShortfall[] = [];
    const pages = await pageByPage(usersOf(''), (s) => shortfalls.push(s));
    expect(TABLEAU_PAGE_SIZE).toBe(1000);
    expect(pages.map((p) => [p.items.length, p.next, p.promised])).toEqual([[1000, 2, 2501], [1000, 3, 2501], [501, undefined, 2501]]);
    expect(pages.flatMap((p) => p.items.map((u) => u.name))).toEqual(sortedNames(''));
    expect(sim.stats().byRoute[USERS_ROUTE]).toBe(3);
    expect(shortfalls).toEqual([]);
  }, 30_000);

  it('ends an over-promising listing at its short page, with one shortfall', async () => {
    sim.setFaults({ ...EXACT, overPromise: 5, overPromiseListings: 'users' });
    try {
      const shortfalls: ListingShortfall[] = [];
      const pages = await pageByPage(usersOf(''), (s) => shortfalls.push(s));
      expect(pages.map((p) => [p.items.length, p.next])).toEqual([[1000, 2], [1000, 3], [501, undefined]]);
      expect(shortfalls).toEqual([{ listing: 'users', promised: 2506, delivered: 2501 }]);
    } finally {
      sim.setFaults(EXACT);
    }
  }, 30_000);

  for (const pastEndEmpty of [false, true]) {
    it(`ends a listing promising a page past its real end (${pastEndEmpty ? 'an empty page' : '400006'}) with one shortfall`, async () => {
      sim.setFaults({ ...EXACT, overPromise: 3, overPromiseListings: 'users', pastEndEmpty });
      try {
        sim.resetStats();
        const shortfalls: ListingShortfall[] = [];
        const pages = await pageByPage(usersOf('even'), (s) => shortfalls.push(s));
        expect(pages.map((p) => [p.items.length, p.next])).toEqual([[1000, 2], [1000, 3], [0, undefined]]);
        expect(shortfalls).toEqual([{ listing: 'users', promised: 2003, delivered: 2000 }]);
        expect(sim.stats().byRoute[USERS_ROUTE]).toBe(3);
      } finally {
        sim.setFaults(EXACT);
      }
    }, 30_000);
  }
});

describe('a drained listing', () => {
  it('reads ahead and yields every page in order, one request a page', async () => {
    sim.resetStats();
    const names: string[] = [];
    for await (const page of usersOf('').drain({ concurrency: 3 })) names.push(...page.items.map((u) => u.name));
    expect(names).toEqual(sortedNames(''));
    expect(sim.stats().byRoute[USERS_ROUTE]).toBe(3);
  }, 30_000);

  it('refuses a listing that shifted while it was read (an id on two pages)', async () => {
    const client = tableau.site('shift');
    let added = false;
    const shifting = new Listing<TableauUser>({
      what: 'users of shift',
      idOf: (u) => u.id,
      read: async (pageNumber, pageSize, signal) => {
        // A user sorted first, added between page 1 and page 2: page 2 starts with page 1's last user.
        if (pageNumber === 2 && !added) {
          added = true;
          await client.addUser({ name: 'aaa@example.com', siteRole: 'Viewer' }, signal);
        }
        return client.listUsers({ pageNumber, pageSize, sort: 'name:asc', signal });
      },
    });
    const drained = (async () => {
      for await (const _page of shifting.drain({ concurrency: 1 })) void _page;
    })();
    await expect(drained).rejects.toMatchObject({ code: 'PARSE', message: expect.stringMatching(/^Tableau listing users of shift: id \S+ appears twice \(page 2\)$/) });
    expect(added).toBe(true);
  }, 30_000);
});
