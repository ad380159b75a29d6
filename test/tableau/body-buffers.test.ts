/**
 * Response bodies are read into reused buffers: every byte arrives whatever the chunking (declared
 * length, chunked, bodies larger than any buffer kept so far, bodies read concurrently), multi-byte
 * UTF-8 split across chunks decodes intact, and the buffers kept between responses stay few.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { TableauClient } from '../../pkg/tableau/index.js';
import { freeBodyBufferSizes } from '../../pkg/tableau/body-buffers.js';
import { startTinyServer, type SeenRequest } from './tiny-server.js';

type Mode = (req: SeenRequest, res: ServerResponse) => void;
let mode: Mode;
let server: Awaited<ReturnType<typeof startTinyServer>>;

beforeAll(async () => {
  server = await startTinyServer((req, res) => mode(req, res));
});
afterAll(() => server.close());

function client(): TableauClient {
  return new TableauClient({ serverUrl: server.url, credentials: { kind: 'pat', name: 'tok', secret: 'pat-secret-value' } });
}

/** A users page of `count` users whose names carry multi-byte characters. */
function usersPage(count: number, pageSize = count): string {
  const users = Array.from({ length: count }, (_, i) => ({ id: `u${i}`, name: `Zoë-${i}-${'é'.repeat(i % 7)}`, siteRole: 'Viewer' }));
  return JSON.stringify({ pagination: { pageNumber: '1', pageSize: String(pageSize), totalAvailable: String(count) }, users: { user: users } });
}

/** Sends `body` in pieces of `piece` bytes (cutting through multi-byte characters), chunked or with a length. */
function sendInPieces(res: ServerResponse, body: string, piece: number, declareLength: boolean): void {
  const bytes = Buffer.from(body, 'utf8');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (declareLength) headers['content-length'] = String(bytes.length);
  res.writeHead(200, headers);
  let at = 0;
  const next = (): void => {
    if (at >= bytes.length) return void res.end();
    res.write(bytes.subarray(at, (at += piece)));
    setImmediate(next);
  };
  next();
}

describe('response bodies read into reused buffers', () => {
  for (const [name, declareLength] of [['with a Content-Length', true], ['chunked', false]] as const) {
    it(`reads every byte ${name}, across many chunks and growing past the buffers kept so far`, async () => {
      const tableau = client();
      for (const count of [3, 2_000, 9_000]) {
        mode = (_req, res) => sendInPieces(res, usersPage(count), 4_093, declareLength);
        const page = await tableau.site('').listUsers({ pageSize: count });
        expect(page.items).toHaveLength(count);
        expect(page.items[count - 1]).toEqual({ id: `u${count - 1}`, name: `Zoë-${count - 1}-${'é'.repeat((count - 1) % 7)}`, siteRole: 'Viewer' });
      }
      await tableau.close();
    });
  }

  it('keeps bodies of concurrent requests apart and keeps only a few buffers afterwards', async () => {
    mode = (req, res) => {
      const count = Number(new URL(req.url, 'http://x').searchParams.get('pageSize'));
      sendInPieces(res, usersPage(count), 1_000 + count, count % 2 === 0);
    };
    const tableau = client();
    const sizes = Array.from({ length: 24 }, (_, i) => 50 + i * 37);
    const pages = await Promise.all(sizes.map((n) => tableau.site('').listUsers({ pageSize: n })));
    pages.forEach((page, i) => {
      expect(page.items).toHaveLength(sizes[i] ?? -1);
      expect(page.items.at(-1)?.id).toBe(`u${(sizes[i] ?? 0) - 1}`);
    });
    expect(freeBodyBufferSizes().length).toBeGreaterThan(0);
    expect(freeBodyBufferSizes().length).toBeLessThanOrEqual(8);
    await tableau.close();
  });
});
