import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { TableauClient, type TableauClientOptions } from '../../pkg/tableau/index.js';
import { FAST_RETRY, luid, scenario, site } from './scenario.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function simulator(opts: Parameters<typeof startSimulator>[0]): Promise<RunningSimulator> {
  const sim = await startSimulator(opts);
  cleanups.push(() => sim.close());
  return sim;
}

function patClient(sim: RunningSimulator, extra: Partial<TableauClientOptions> = {}): TableauClient {
  const c = new TableauClient({ serverUrl: sim.url, credentials: { kind: 'pat', ...sim.info.pat }, retry: FAST_RETRY, ...extra });
  cleanups.push(() => c.close());
  return c;
}

describe('Tableau Cloud', () => {
  it('Query Sites → SITES_QUERY_NOT_SUPPORTED; a PAT reaches several sites by signing in again', async () => {
    const sim = await simulator({ cloud: true, data: scenario(site(0, '', 3), site(1, 'east', 4), site(2, 'west', 5)) });
    const c = patClient(sim);
    await expect(c.listSites()).rejects.toMatchObject({ code: 'SITES_QUERY_NOT_SUPPORTED', tableauCode: '403069' });
    const counts = await Promise.all(['east', 'west', 'east', ''].map(async (contentUrl) => (await c.site(contentUrl).listUsers()).pagination.totalAvailable));
    expect(counts).toEqual([5, 6, 5, 4]);
    const stats = sim.stats().byRoute;
    // One failed switchSite teaches the client that this server cannot switch.
    expect(stats['POST /auth/switchSite'] ?? 0).toBeLessThanOrEqual(1);
    expect(stats['POST /auth/signin']).toBeGreaterThanOrEqual(3);
  });
});

describe('version gating', () => {
  it('an older server: gated methods fail with VERSION_UNSUPPORTED before anything is sent', async () => {
    const sim = await simulator({ apiVersion: '3.20', data: scenario(site(0, '', 3)) });
    const c = patClient(sim);
    expect(await c.supports('bulkGroupMembership')).toBe(false);
    expect(await c.supports('identityPools')).toBe(true);
    sim.resetStats();
    await expect(c.site('').addUsersToGroup(luid(2, 1), [luid(1, 1)])).rejects.toMatchObject({ code: 'VERSION_UNSUPPORTED' });
    await expect(c.site('').removeUsersFromGroup(luid(2, 1), [luid(1, 1)])).rejects.toMatchObject({ code: 'VERSION_UNSUPPORTED' });
    expect(sim.stats().total).toBe(0);
  });

  it('a forced apiVersion skips negotiation and is used in URLs', async () => {
    const sim = await simulator({ data: scenario(site(0, '', 3)) });
    const c = patClient(sim, { apiVersion: '3.6' });
    expect(await c.apiVersion()).toBe('3.6');
    await expect(c.site('').groupsForUser(luid(1, 1))).rejects.toMatchObject({ code: 'VERSION_UNSUPPORTED' });
    expect((await c.site('').listUsers()).items).toHaveLength(4);
    expect(sim.stats().byRoute['GET /serverinfo']).toBeUndefined();
  });
});

describe('cancellation', () => {
  it('an AbortSignal cancels a slow request, a pre-aborted call sends nothing, and a listing stops', async () => {
    const sim = await simulator({ data: scenario(site(0, '', 2500)) });
    const c = patClient(sim);
    await c.site('').siteId();
    sim.setFaults({ latencyMs: 5_000 });
    const controller = new AbortController();
    const slow = c.site('').listUsers({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(slow).rejects.toMatchObject({ code: 'ABORTED' });
    sim.setFaults({ latencyMs: 0 });

    sim.resetStats();
    await expect(c.site('').getUser(luid(1, 1), AbortSignal.abort())).rejects.toMatchObject({ code: 'ABORTED' });
    expect(sim.stats().total).toBe(0);

    const stop = new AbortController();
    let seen = 0;
    const drain = async (): Promise<void> => {
      for await (const _user of c.site('').users({ signal: stop.signal })) if (++seen === 1000) stop.abort();
    };
    await expect(drain()).rejects.toMatchObject({ code: 'ABORTED' });
    expect(seen).toBe(1000);
  });
});

describe('TLS', () => {
  it('verifies certificates by default and trusts an extra CA when given', async () => {
    const sim = await simulator({ tls: true, data: scenario(site(0, '', 1)) });
    // Many attempts allowed: a certificate error must still fail on the first one.
    const untrusted = patClient(sim, { retry: { ...FAST_RETRY, maxAttempts: 5 } });
    await expect(untrusted.serverInfo()).rejects.toMatchObject({ code: 'TLS', retryable: false, message: /SELF_SIGNED/ });
    expect(untrusted.stats()).toMatchObject({ requests: 1, retries: 0 });
    const trusted = patClient(sim, { ca: readFileSync(sim.info.caCertFile!) });
    expect((await trusted.site('').listUsers()).items).toHaveLength(2);
  });
});
