/**
 * Counting a user's content before a deprovision follows the listing model: a first page that
 * delivers nothing counts 0 whatever totalAvailable promised (a known Tableau Server habit must not
 * block a deprovision), with the shortfall reported; a page that delivers counts the promise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableauClient, type ListingShortfall } from '../../pkg/tableau/index.js';
import { startTinyServer, tableauError, xml } from './tiny-server.js';

/** What each content listing answers: totalAvailable and the ids its first page delivers. */
const ANSWERS: Record<string, { total: number; ids: string[] }> = {
  workbooks: { total: 2, ids: [] },
  datasources: { total: 3, ids: ['d1'] },
  flows: { total: 0, ids: [] },
};

let server: Awaited<ReturnType<typeof startTinyServer>>;

beforeAll(async () => {
  server = await startTinyServer((req, res) => {
    const kind = /\/sites\/[^/]+\/(workbooks|datasources|flows)\?/.exec(req.url)?.[1];
    if (kind === undefined) return tableauError(res, 404, '404001', 'Not found');
    const { total, ids } = ANSWERS[kind]!;
    const item = kind.slice(0, -1);
    xml(res, 200, `<pagination pageNumber="1" pageSize="1" totalAvailable="${total}"/><${kind}>${ids.map((id) => `<${item} id="${id}" name="n-${id}"/>`).join('')}</${kind}>`);
  });
});
afterAll(() => server.close());

describe('countOwnedContent', () => {
  it('counts an empty first page as 0 with a shortfall, and a delivering one as its promise, in one request per kind', async () => {
    const shortfalls: ListingShortfall[] = [];
    const client = new TableauClient({
      serverUrl: server.url,
      credentials: { kind: 'pat', name: 'tok', secret: 'pat-secret-value' },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 5_000 },
      onShortfall: (s) => shortfalls.push(s),
    });
    try {
      const before = server.seen.length;
      expect(await client.site('').countOwnedContent('olivia')).toEqual({ workbooks: 0, datasources: 3, flows: 0 });
      expect(shortfalls).toEqual([{ listing: 'workbooks owned by olivia', promised: 2, delivered: 0 }]);
      const contentCalls = server.seen.slice(before).filter((r) => /\/(workbooks|datasources|flows)\?/.test(r.url));
      expect(contentCalls).toHaveLength(3);
      for (const call of contentCalls) expect(call.url).toMatch(/pageSize=1&pageNumber=1&filter=ownerName%3Aeq%3Aolivia/);
    } finally {
      await client.close();
    }
  }, 30_000);
});
