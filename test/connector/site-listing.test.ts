/**
 * Resolving the synced sites is work shared by concurrent calls: one caller giving up must not fail the
 * others, a failure must not stick, and a site listing that never ends must stop. A tiny server plays
 * Tableau so the test decides when (and whether) each answer arrives.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import pino from 'pino';
import { buildConnector, type TableauConnector } from '../../pkg/connector/builder.js';
import { classifyError } from '../../pkg/connector/errors.js';
import type { SiteSelection } from '../../pkg/tableau/types.js';
import type { CallCtx } from '../../pkg/connector/types.js';
import { TableauClient } from '../../pkg/tableau/index.js';
import { RunWarnings } from '../../pkg/log/warnings.js';
import { SITE_ID, startTinyServer, tableauError, xml, type SeenRequest } from '../tableau/tiny-server.js';

const SITE = `<site id="${SITE_ID}" name="Default" contentUrl=""/>`;
const answerSite = (res: ServerResponse): void => xml(res, 200, SITE);

interface Setup {
  connector: TableauConnector;
  seen: SeenRequest[];
  /** Responses the handler holds back until the test answers them. */
  held: ServerResponse[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(sites: SiteSelection, respond: (req: SeenRequest, res: ServerResponse, held: ServerResponse[]) => void): Promise<Setup> {
  const held: ServerResponse[] = [];
  const server = await startTinyServer((req, res) => respond(req, res, held));
  const client = new TableauClient({
    serverUrl: server.url,
    credentials: { kind: 'pat', name: 'tok', secret: 'pat-secret-value' },
    retry: { maxAttempts: 1 },
  });
  cleanups.push(async () => {
    await client.close();
    await server.close();
  });
  return { connector: buildConnector({ client, sites, log: pino({ level: 'silent' }) }), seen: server.seen, held };
}

function ctx(syncId: string, signal = AbortSignal.timeout(30_000)): CallCtx {
  return { signal, log: pino({ level: 'silent' }), syncId };
}

async function listSites(connector: TableauConnector, callCtx: CallCtx): Promise<string[]> {
  const response = await connector.listResources({ resourceTypeId: 'site' }, callCtx);
  return (response.list ?? []).map((r) => r.id?.resource ?? '');
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

const isSiteListing = (req: SeenRequest): boolean => /\/sites\?/.test(req.url);
const isGetSite = (req: SeenRequest): boolean => req.url.includes(`/sites/${SITE_ID}?`);

describe('shared site resolution', () => {
  it('a cancelled call does not fail another call waiting for the same --all-sites listing', async () => {
    const s = await setup({ all: true }, (req, res, held) => {
      if (isSiteListing(req)) return void held.push(res);
      answerSite(res);
    });
    const cancelled = new AbortController();
    const first = listSites(s.connector, ctx('sync-a', cancelled.signal)).then(() => 'resolved', (err: unknown) => classifyError(err).status);
    const second = listSites(s.connector, ctx('sync-a'));
    await until(() => s.held.length === 1);
    cancelled.abort();
    expect(await first).toBe('CANCELLED');
    xml(s.held[0]!, 200, `<pagination pageNumber="1" pageSize="1000" totalAvailable="1"/><sites>${SITE}</sites>`);
    expect(await second).toEqual([SITE_ID]);
  });

  it('a cancelled call does not fail another call waiting for a named site to resolve', async () => {
    const s = await setup({ contentUrls: [''] }, (req, res, held) => {
      if (isGetSite(req) && held.length === 0) return void held.push(res);
      answerSite(res);
    });
    const cancelled = new AbortController();
    const first = listSites(s.connector, ctx('sync-b', cancelled.signal)).then(() => 'resolved', (err: unknown) => classifyError(err).status);
    const second = listSites(s.connector, ctx('sync-b'));
    await until(() => s.held.length === 1);
    cancelled.abort();
    expect(await first).toBe('CANCELLED');
    answerSite(s.held[0]!);
    expect(await second).toEqual([SITE_ID]);
  });

  it('does not keep a failed resolution of a named site', async () => {
    let refuse = true;
    const s = await setup({ contentUrls: [''] }, (req, res) => {
      if (isGetSite(req) && refuse) return tableauError(res, 503, '503000', 'Unavailable');
      answerSite(res);
    });
    const failed = await listSites(s.connector, ctx('sync-c')).catch((err: unknown) => classifyError(err).status);
    expect(failed).toBe('UNAVAILABLE');
    refuse = false;
    expect(await listSites(s.connector, ctx('sync-c'))).toEqual([SITE_ID]);
  });

  it('stops a site listing that never ends, with an error instead of a partial list', async () => {
    const s = await setup({ all: true }, (req, res) => {
      if (!isSiteListing(req)) return answerSite(res);
      // A server that ignores pageSize: one new site per page, and the same huge total every time.
      const pageNumber = new URL(req.url, 'http://x').searchParams.get('pageNumber') ?? '1';
      const site = `<site id="00000000-0000-4000-8000-${pageNumber.padStart(12, '0')}" name="s${pageNumber}" contentUrl="s${pageNumber}"/>`;
      xml(res, 200, `<pagination pageNumber="${pageNumber}" pageSize="1" totalAvailable="100000000"/><sites>${site}</sites>`);
    });
    const failure = await listSites(s.connector, ctx('sync-d')).then(() => undefined, (err: unknown) => err as Error);
    expect(failure?.message).toMatch(/sites: did not end after 100 pages/);
    expect(s.seen.filter(isSiteListing)).toHaveLength(100);
  });

  it('refuses a site listed on two pages', async () => {
    const s = await setup({ all: true }, (req, res) => {
      if (!isSiteListing(req)) return answerSite(res);
      const pageNumber = new URL(req.url, 'http://x').searchParams.get('pageNumber') ?? '1';
      xml(res, 200, `<pagination pageNumber="${pageNumber}" pageSize="1" totalAvailable="3"/><sites>${SITE}</sites>`);
    });
    const failure = await listSites(s.connector, ctx('sync-e')).then(() => undefined, (err: unknown) => err as Error);
    expect(failure?.message).toMatch(new RegExp(`sites: id ${SITE_ID} appears on two pages \\(page 2\\)`));
  });

  it('ends a site listing that over-promises at its short page, with one counted warning', async () => {
    const s = await setup({ all: true }, (req, res) => {
      if (!isSiteListing(req)) return answerSite(res);
      xml(res, 200, `<pagination pageNumber="1" pageSize="1000" totalAvailable="3"/><sites>${SITE}</sites>`);
    });
    const warnings = new RunWarnings();
    expect(await listSites(s.connector, { ...ctx('sync-f'), warnings })).toEqual([SITE_ID]);
    expect(s.seen.filter(isSiteListing)).toHaveLength(1);
    expect(warnings.messages()).toEqual([expect.stringMatching(/^Tableau listing sites ended early: Tableau promised 3 items, delivered 1/)]);
  });
});
