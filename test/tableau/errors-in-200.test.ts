/**
 * Tableau errors sent with status 200 in XML (the CLI suite covers the JSON the connector asks for):
 * never a success, never a shapeless parse error; the code decides what happens next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableauClient, TableauError } from '../../pkg/tableau/index.js';
import { startTinyServer, tableauError, xml, type TinyHandler } from './tiny-server.js';

let handler: TinyHandler = (_req, res) => tableauError(res, 404, '404001', 'Not found');
let server: Awaited<ReturnType<typeof startTinyServer>>;
beforeAll(async () => {
  server = await startTinyServer((req, res) => handler(req, res));
});
afterAll(() => server.close());

const client = (): TableauClient =>
  new TableauClient({ serverUrl: server.url, credentials: { kind: 'pat', name: 'tok', secret: 'pat-secret-value' }, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });

describe('an XML error with status 200', () => {
  it("keeps Tableau's code and summary and is classified by the code", async () => {
    handler = (_req, res) => tableauError(res, 200, '400006', 'Bad Request', 'Page number is beyond the final page');
    const tableau = client();
    const err = (await tableau.site('').getUser('u1').catch((e: unknown) => e)) as TableauError;
    expect(err).toBeInstanceOf(TableauError);
    expect(err).toMatchObject({ code: 'BAD_REQUEST', tableauCode: '400006', summary: 'Bad Request' });
    expect(err.message).toMatch(/^Tableau GET \/api\/3\.29\/sites\/\S+\/users\/u1 answered 200 with an error: 400006: Bad Request: Page number is beyond the final page$/);
    expect(tableau.stats().retries).toBe(0);
    await tableau.close();
  });

  it('an expired session (401002) is signed in again and the call replayed', async () => {
    const first = server.tokens.length;
    handler = (req, res) => (req.headers['x-tableau-auth'] === server.tokens[first]
      ? tableauError(res, 200, '401002', 'Unauthorized Access')
      : xml(res, 200, '<user id="u1" name="ann" siteRole="Viewer"/>'));
    const tableau = client();
    expect((await tableau.site('').getUser('u1')).name).toBe('ann');
    expect(tableau.stats()).toMatchObject({ signIns: 2, reauths: 1 });
    await tableau.close();
  });

  it('a server error (500000) is retried like a 500', async () => {
    let calls = 0;
    handler = (_req, res) => (++calls === 1 ? tableauError(res, 200, '500000', 'Internal Server Error') : xml(res, 200, '<user id="u1" name="ann" siteRole="Viewer"/>'));
    const tableau = client();
    expect((await tableau.site('').getUser('u1')).name).toBe('ann');
    expect(tableau.stats().retries).toBe(1);
    await tableau.close();
  });
});
