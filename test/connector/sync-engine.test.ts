/**
 * The connector under the real sync engine (pkg/sync, 4 workers) writing a real c1z: the record counts
 * match the simulator and Tableau is asked for the minimum: one Query Site per site and each users
 * page once. Budget: ~5 s.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C1zWriter } from '../../pkg/c1z/index.js';
import { runSync } from '../../pkg/sync/index.js';
import { expectedFrom } from './expected.js';
import { startHarness, type Harness } from './harness.js';

const USERS = 2_500;

describe('connector under the sync engine', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    h = await startHarness({ seed: 5, sites: 2, users: USERS, groups: 10, memberships: 3_000 }, { all: true });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'connector-sync-'));
  });
  afterAll(async () => {
    await h?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('syncs every record with one users listing per site', async () => {
    const writer = await C1zWriter.create(path.join(dir, 'sync.c1z'));
    await h.sim.resetStats();
    const result = await runSync({ api: h.connector, writer, log: pino({ level: 'silent' }), signal: AbortSignal.timeout(60_000), concurrency: 4 });
    await writer.finish();
    const expected = expectedFrom(await h.state());
    expect(result.warnings).toEqual([]);
    expect(result.counts).toEqual({
      resourceTypes: 4,
      resources: expected.resources.length,
      entitlements: expected.entitlements.length,
      grants: expected.grants.length,
    });
    const usersPerSite = (await h.state()).sites.map((s) => Math.ceil(s.users.length / 1000));
    expect(await h.requests('GET /sites/{}/users')).toBe(usersPerSite.reduce((a, b) => a + b, 0));
    expect(await h.requests('GET /sites/{}')).toBe(2);
    expect(await h.requests('GET /sites')).toBe(1);
    // One PAT session for both sites: one switchSite per site in Validate, resources and grants at most
    // (working on both sites at once made it switch back and forth, more often the bigger the sites).
    expect(await h.requests('POST /auth/switchSite')).toBeLessThanOrEqual(5);
  });
});
