import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { TableauClient, TableauError } from '../../pkg/tableau/index.js';
import { SITE_ID, startTinyServer, tableauError, xml, type SeenRequest } from './tiny-server.js';

type Mode = (req: SeenRequest, res: ServerResponse) => void;
let mode: Mode = (_req, res) => tableauError(res, 404, '404001', 'Not found');
let server: Awaited<ReturnType<typeof startTinyServer>>;

beforeAll(async () => {
  server = await startTinyServer((req, res) => mode(req, res));
});
afterAll(() => server.close());

function client(maxAttempts = 2): TableauClient {
  return new TableauClient({
    serverUrl: server.url,
    credentials: { kind: 'pat', name: 'tok', secret: 'pat-secret-value' },
    retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 5_000 },
  });
}

const PAGE = '<pagination pageNumber="1" pageSize="100" totalAvailable="1"/>';
const USER = '<user id="u1" name="ann" siteRole="Viewer"/>';

/** Bodies that are not complete documents: retried once (transient), then PARSE. */
const MALFORMED: Record<string, Mode> = {
  'truncated XML': (_req, res) => res.writeHead(200).end(`<tsResponse>${PAGE}<users><user id="u1" na`),
  'wrong root': (_req, res) => res.writeHead(200).end(`<tsRequest>${PAGE}</tsRequest>`),
  'invalid JSON': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"pagination":'),
  'body cut by the connection': (_req, res) => {
    res.writeHead(200, { 'content-length': '5000' });
    res.write(`<tsResponse>${PAGE}<users>`);
    setTimeout(() => res.destroy(), 5);
  },
};

/** Complete documents with the wrong shape: a server bug, PARSE at once. */
const WRONG_SHAPE: Record<string, Mode> = {
  'missing pagination': (_req, res) => xml(res, 200, `<users>${USER}</users>`),
  'non-numeric totals': (_req, res) => xml(res, 200, `<pagination pageNumber="1" pageSize="100" totalAvailable="many"/><users>${USER}</users>`),
  'missing ids': (_req, res) => xml(res, 200, `${PAGE}<users><user name="ann" siteRole="Viewer"/></users>`),
};

describe('malformed bodies become typed PARSE errors naming the endpoint', () => {
  for (const [name, respond] of [...Object.entries(MALFORMED), ...Object.entries(WRONG_SHAPE)]) {
    it(name, async () => {
      mode = respond;
      const tableau = client();
      const err = await tableau.site('').listUsers().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TableauError);
      expect((err as TableauError).code).toBe('PARSE');
      expect((err as TableauError).message).toContain(`GET /api/3.29/sites/${SITE_ID}/users`);
      expect((err as TableauError).message).not.toContain('tiny-token');
      // Idempotent GETs get another attempt: a cut body is often a transient network fault.
      expect(tableau.stats().retries).toBe(name in MALFORMED ? 1 : 0);
      await tableau.close();
    });
  }
});

describe('a web page instead of Tableau', () => {
  it('HTML with 200 is NOT_TABLEAU at once, naming the URL and what came back', async () => {
    mode = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Login</title></head><body>Login</body></html>');
    const tableau = client();
    const err = (await tableau.site('').listUsers().catch((e: unknown) => e)) as TableauError;
    expect(err).toBeInstanceOf(TableauError);
    expect(err.code).toBe('NOT_TABLEAU');
    expect(err.message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/3\.29\/sites\/\S+\/users\?\S+ answered 200 text\/html \("Login"\), not Tableau's REST API$/);
    expect(tableau.stats().retries).toBe(0);
    await tableau.close();
  });
});

describe('error responses and retries', () => {
  it('retries 503 then succeeds, and does not retry a 404', async () => {
    let calls = 0;
    mode = (_req, res) => (++calls === 1 ? tableauError(res, 503, '503000', 'Unavailable') : xml(res, 200, `<user id="u1" name="ann" siteRole="Viewer"/>`));
    const tableau = client(3);
    expect((await tableau.site('').getUser('u1')).name).toBe('ann');
    expect(tableau.stats()).toMatchObject({ retries: 1, signIns: 1 });
    mode = (_req, res) => tableauError(res, 404, '404002', 'User not found', 'no such user');
    await expect(tableau.site('').getUser('nope')).rejects.toMatchObject({ code: 'NOT_FOUND', tableauCode: '404002', detail: 'no such user' });
    expect(tableau.stats().retries).toBe(1);
    await tableau.close();
  });

  it('honours Retry-After on 429 and counts it', async () => {
    let calls = 0;
    mode = (_req, res) => {
      if (++calls === 1) {
        res.setHeader('retry-after', '0');
        return tableauError(res, 429, '429000', 'Too Many Requests', 'Please retry after 0 minutes.');
      }
      xml(res, 200, USER);
    };
    const tableau = client(3);
    await tableau.site('').getUser('u1');
    expect(tableau.stats()).toMatchObject({ rateLimited: 1, retries: 1 });
    await tableau.close();
  });

  it('gives up at once when Tableau asks to wait longer than the retry budget', async () => {
    mode = (_req, res) => tableauError(res, 429, '429000', 'Too Many Requests', "Too many requests for 'x'. Please retry after 29 minutes.");
    const tableau = client(5);
    await expect(tableau.site('').getUser('u1')).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1740 });
    expect(tableau.stats().retries).toBe(0);
    await tableau.close();
  });

  it('re-signs in on 401002 and replays; a token that keeps being refused stops at maxAttempts', async () => {
    // The first token the client uses is declared expired; only the newest token is accepted after that.
    let expired: string | undefined;
    mode = (req, res) => {
      const token = req.headers['x-tableau-auth'] as string;
      expired ??= token;
      if (token === expired || token !== server.tokens.at(-1)) return tableauError(res, 401, '401002', 'Unauthorized Access');
      xml(res, 200, USER);
    };
    const tableau = client();
    await tableau.site('').getUser('u1');
    expect(tableau.stats()).toMatchObject({ reauths: 1, signIns: 2 });
    mode = (_req, res) => tableauError(res, 401, '401002', 'Unauthorized Access');
    const requestsBefore = server.seen.length;
    await expect(tableau.site('').getUser('u1')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // maxAttempts 2: the free refresh plus one more, then the error (3 GETs, 2 sign-ins).
    expect(tableau.stats().reauths).toBe(3);
    expect(server.seen.slice(requestsBefore).map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'POST', 'GET']);
    await tableau.close();
  });
});

describe('non-idempotent calls after a lost response', () => {
  it('add to group: replay answered 409011 counts as added', async () => {
    let posts = 0;
    mode = (req, res) => {
      if (req.method !== 'POST') return tableauError(res, 404, '404001', 'Not found');
      // First POST is applied but its response is lost; the replay finds the membership.
      if (++posts === 1) return void res.destroy();
      tableauError(res, 409, '409011', 'Conflict', 'already a member');
    };
    const tableau = client(3);
    await expect(tableau.site('').addUserToGroup('g1', 'u1')).resolves.toEqual({ added: true });
    expect(posts).toBe(2);
    mode = (_req, res) => tableauError(res, 409, '409011', 'Conflict');
    await expect(tableau.site('').addUserToGroup('g1', 'u1')).resolves.toEqual({ added: false });
    await tableau.close();
  });

  it('add user: a 409017 is resolved by a case-insensitive lookup', async () => {
    mode = (req, res) => {
      if (req.method === 'POST') return tableauError(res, 409, '409017', 'Conflict', 'name exists');
      expect(decodeURIComponent(req.url)).toContain('filter=name:cieq:Ann@Example.com');
      xml(res, 200, `${PAGE}<users><user id="u9" name="ann@example.com" siteRole="Explorer"/></users>`);
    };
    const tableau = client();
    const result = await tableau.site('').addUser({ name: 'Ann@Example.com', siteRole: 'Viewer' });
    expect(result).toEqual({ user: { id: 'u9', name: 'ann@example.com', siteRole: 'Explorer' }, created: false });
    await tableau.close();
  });
});
