/**
 * Which gRPC status a Tableau failure becomes decides whether Baton retries: failures that come back the
 * same on every try must not be UNAVAILABLE. The errors come from a real client talking to a tiny server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { TableauClient } from '../../pkg/tableau/index.js';
import { classifyError } from '../../pkg/connector/errors.js';
import { startTinyServer, tableauError, xml, type SeenRequest } from '../tableau/tiny-server.js';

type Mode = (req: SeenRequest, res: ServerResponse) => void;
let mode: Mode = (_req, res) => tableauError(res, 404, '404001', 'Not found');
let server: Awaited<ReturnType<typeof startTinyServer>>;

beforeAll(async () => {
  server = await startTinyServer((req, res) => mode(req, res));
});
afterAll(() => server.close());

async function statusOfListing(respond: Mode): Promise<{ status: string; listingRequests: number }> {
  mode = respond;
  const before = server.seen.length;
  const tableau = new TableauClient({
    serverUrl: server.url,
    credentials: { kind: 'pat', name: 'tok', secret: 'pat-secret-value' },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 5_000 },
  });
  try {
    const err = await tableau.site('').listUsers().then(() => undefined, (caught: unknown) => caught);
    const listingRequests = server.seen.slice(before).filter((r) => r.url.includes('/users')).length;
    return { status: classifyError(err).status, listingRequests };
  } finally {
    await tableau.close();
  }
}

const PAGE = '<pagination pageNumber="1" pageSize="100" totalAvailable="1"/>';

describe('Tableau failures as connector statuses', () => {
  it('a complete document of the wrong shape is INTERNAL, not retried', async () => {
    const result = await statusOfListing((_req, res) => xml(res, 200, '<users><user id="u1" name="ann" siteRole="Viewer"/></users>'));
    expect(result).toEqual({ status: 'INTERNAL', listingRequests: 1 });
  });

  it('a body cut short stays UNAVAILABLE (worth another try)', async () => {
    const result = await statusOfListing((_req, res) => res.writeHead(200).end(`<tsResponse>${PAGE}<users><user id="u1" na`));
    expect(result).toEqual({ status: 'UNAVAILABLE', listingRequests: 3 });
  });

  it('HTTP 501 is UNIMPLEMENTED, not retried', async () => {
    const result = await statusOfListing((_req, res) => tableauError(res, 501, '501000', 'Not Implemented'));
    expect(result).toEqual({ status: 'UNIMPLEMENTED', listingRequests: 1 });
  });

  it('HTTP 503 stays UNAVAILABLE', async () => {
    const result = await statusOfListing((_req, res) => tableauError(res, 503, '503000', 'Unavailable'));
    expect(result).toEqual({ status: 'UNAVAILABLE', listingRequests: 3 });
  });
});
