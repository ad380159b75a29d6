/**
 * The simulator's outage habit (refused connections, 503 pages, dropped connections; now or after K
 * requests) and the client riding it out within its time budget, or giving up just after it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { TableauClient, TableauError } from '../../pkg/tableau/index.js';
import { buildDist, REPO } from '../cli/run-cli.js';
import { startSim } from './helpers.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSim({ users: 30, groups: 2, memberships: 10 });
});
afterEach(() => sim.endOutage());

/** A client whose backoff stays short, so a few-second outage is ridden out quickly. */
const client = (budgetMs: number): TableauClient =>
  new TableauClient({ serverUrl: sim.url, credentials: { kind: 'pat', ...sim.info.pat }, retry: { budgetMs, baseDelayMs: 50, maxDelayMs: 500 } });

const serverInfoStatus = async (url = sim.url): Promise<number | string> => {
  try {
    return (await fetch(`${url}/api/3.29/serverinfo`)).status;
  } catch (err) {
    return ((err as Error).cause as { code?: string } | undefined)?.code ?? 'error';
  }
};

describe('simulator outage', () => {
  it('refuses connections for N seconds, then listens again on the same port', async () => {
    sim.startOutage({ seconds: 1.5, mode: 'refuse' });
    expect(await serverInfoStatus()).toBe('ECONNREFUSED');
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await serverInfoStatus()).toBe(200);
  });

  it('the tableau-sim process stays up through a refuse outage (--outage-s) and listens again', async () => {
    await buildDist();
    const child = spawn(process.execPath, [join(REPO, 'dist/pkg/tableau-sim/cli.js'), '--users', '5', '--groups', '1', '--memberships', '2',
      '--outage-s', '2', '--outage-mode', 'refuse'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      const line = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
      const { url } = JSON.parse(line) as { url: string };
      expect(await serverInfoStatus(url)).toBe('ECONNREFUSED');
      await new Promise((r) => setTimeout(r, 3_000));
      expect(child.exitCode).toBeNull();
      expect(await serverInfoStatus(url)).toBe(200);
    } finally {
      clearTimeout(killer);
      child.kill('SIGTERM');
    }
  }, 120_000);

  it('answers 503 with an HTML page after K further requests, and can be armed over HTTP', async () => {
    const armed = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ outage: { seconds: 30, afterRequests: 2, mode: '503' } }) });
    expect(armed.status).toBe(200);
    expect(await serverInfoStatus()).toBe(200);
    expect(await serverInfoStatus()).toBe(200);
    const down = await fetch(`${sim.url}/api/3.29/serverinfo`);
    expect([down.status, down.headers.get('content-type')]).toEqual([503, 'text/html; charset=utf-8']);
    expect(await down.text()).toContain('<title>503 Service Unavailable</title>');
    expect(await (await fetch(`${sim.url}/_sim/faults`)).json()).toMatchObject({ outage: { active: true, mode: '503' } });
    await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: '{"outage":null}' });
    expect(await serverInfoStatus()).toBe(200);
    const bad = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: '{"outage":{"seconds":-1}}' });
    expect(bad.status).toBe(400);
  });
});

describe('client through an outage', () => {
  for (const mode of ['refuse', '503', 'reset'] as const) {
    it(`rides out a 3-second ${mode} outage that starts mid-listing`, async () => {
      const tableau = client(20_000);
      try {
        const site = tableau.site('');
        await site.siteId();
        sim.startOutage({ seconds: 3, mode, afterRequests: 1 });
        const started = Date.now();
        const pages: number[] = [];
        for await (const page of site.userPages({ pageSize: 5 })) pages.push(page.items.length);
        expect(pages.reduce((a, b) => a + b, 0)).toBe(30);
        expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
        expect(tableau.stats().retries).toBeGreaterThan(0);
      } finally {
        await tableau.close();
      }
    }, 30_000);
  }

  it('gives up after its budget plus one backoff with "Tableau unreachable for …"', async () => {
    const tableau = client(2_000);
    try {
      sim.startOutage({ seconds: 60, mode: 'refuse' });
      const started = Date.now();
      const err = (await tableau.serverInfo().catch((e: unknown) => e)) as TableauError;
      const took = Date.now() - started;
      expect(err).toBeInstanceOf(TableauError);
      expect(err.message).toMatch(/^Tableau unreachable for 2s: Tableau GET \/api\/2\.4\/serverinfo failed: connection error \(ECONNREFUSED\)$/);
      expect(took).toBeGreaterThanOrEqual(2_000);
      expect(took).toBeLessThan(2_000 + 500 + 1_500);
    } finally {
      await tableau.close();
    }
  }, 30_000);
});
