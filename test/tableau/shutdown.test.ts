/**
 * close() must not wait for an unreachable Tableau: a pending sign-in or version negotiation is
 * cancelled, and sign-out gets one short attempt. The servers here answer the routes a test names and
 * leave every other request hanging (never answered), which is what an unreachable Tableau looks like
 * from behind a load balancer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TableauClient, TableauError } from '../../pkg/tableau/index.js';
import { SITE_ID, xml } from './tiny-server.js';

type Answer = (res: ServerResponse) => void;

interface HangingServer {
  url: string;
  paths: string[];
  /** Resolves once a request whose path ends with `suffix` has arrived. */
  arrived(suffix: string): Promise<void>;
  close(): Promise<void>;
}

const servers: HangingServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startHangingServer(answers: Record<string, Answer>): Promise<HangingServer> {
  const paths: string[] = [];
  const waiters: { suffix: string; resolve: () => void }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    paths.push(path);
    for (const waiter of waiters.filter((w) => path.endsWith(w.suffix))) waiter.resolve();
    req.resume();
    const suffix = Object.keys(answers).find((key) => path.split('?')[0]!.endsWith(key));
    if (suffix !== undefined) req.on('end', () => answers[suffix]!(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hanging: HangingServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    arrived: (suffix) => paths.some((p) => p.endsWith(suffix))
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ suffix, resolve })),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  servers.push(hanging);
  return hanging;
}

const signedIn: Answer = (res) => xml(res, 200, `<credentials token="tok-1"><site id="${SITE_ID}" contentUrl=""/><user id="u-admin"/></credentials>`);
const users: Answer = (res) => xml(res, 200, '<pagination pageNumber="1" pageSize="100" totalAvailable="0"/><users/>');

function client(url: string, apiVersion?: string): TableauClient {
  return new TableauClient({
    serverUrl: url,
    credentials: { kind: 'pat', name: 'tok', secret: 'pat-secret-value' },
    ...(apiVersion ? { apiVersion } : {}),
    signOutTimeoutMs: 300,
  });
}

/** Settles at once (so an early rejection is never unhandled) with the error, or undefined. */
function failureOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(() => undefined, (caught: unknown) => caught);
}

async function expectAborted(failure: Promise<unknown>): Promise<void> {
  const err = await failure;
  expect(err).toBeInstanceOf(TableauError);
  expect((err as TableauError).code).toBe('ABORTED');
}

describe('closing a client while Tableau does not answer', () => {
  it('cancels a pending sign-in instead of waiting through its retries', async () => {
    const server = await startHangingServer({});
    const tableau = client(server.url, '3.29');
    const listing = failureOf(tableau.site('').listUsers());
    await server.arrived('/auth/signin');
    await tableau.close();
    await expectAborted(listing);
    expect(server.paths.filter((p) => p.endsWith('/auth/signin'))).toHaveLength(1);
  });

  it('cancels a pending version negotiation that a sign-in waits for', async () => {
    const server = await startHangingServer({});
    const tableau = client(server.url);
    const listing = failureOf(tableau.site('').listUsers());
    await server.arrived('/serverinfo');
    await tableau.close();
    await expectAborted(listing);
    expect(server.paths.some((p) => p.endsWith('/auth/signin'))).toBe(false);
  });

  it('gives a hanging sign-out one short attempt', async () => {
    const server = await startHangingServer({ '/auth/signin': signedIn, '/users': users });
    const tableau = client(server.url, '3.29');
    await tableau.site('').listUsers();
    await tableau.close();
    expect(server.paths.filter((p) => p.endsWith('/auth/signout'))).toHaveLength(1);
  });

  it('does not retry a sign-out that fails', async () => {
    const unavailable: Answer = (res) => xml(res, 503, '<error code="503000"><summary>Unavailable</summary><detail/></error>');
    const server = await startHangingServer({ '/auth/signin': signedIn, '/users': users, '/auth/signout': unavailable });
    const tableau = client(server.url, '3.29');
    await tableau.site('').listUsers();
    await tableau.close();
    expect(server.paths.filter((p) => p.endsWith('/auth/signout'))).toHaveLength(1);
  });
});
