/**
 * SyncHints.independentGrantTypes: grants of those types are listed during the resources phase, as
 * soon as each resource is stored, and may go on in the background through the later phases. The
 * file written is the same as without the hint; failures of that background work still fail the sync.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { C1zReader, C1zWriter } from '../../pkg/c1z/index.js';
import { ConnectorError } from '../../pkg/connector/errors.js';
import { runSync, type SyncHints, type SyncResult } from '../../pkg/sync/index.js';
import type { FakeConnector } from './fake-connector.js';
import { newScenarioConnector } from './scenario.js';

const log = pino({ level: 'silent' });
let dir: string;
let target: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sync-early-'));
  target = path.join(dir, 'sync.c1z');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const hinted = (api: FakeConnector, hints: SyncHints): FakeConnector & { syncHints: SyncHints } => Object.assign(api, { syncHints: hints });

/** Syncs into `file` and returns the result with every stored record id, sorted. */
async function syncTo(file: string, api: FakeConnector): Promise<{ result: SyncResult; records: string[] }> {
  const writer = await C1zWriter.create(file);
  const result = await runSync({ api, writer, log, signal: AbortSignal.timeout(30_000), concurrency: 4 });
  await writer.finish();
  const reader = await C1zReader.open(file);
  try {
    const records = [
      ...[...reader.resources()].map((r) => `resource ${r.externalId}`),
      ...[...reader.entitlements()].map((e) => `entitlement ${e.externalId}`),
      ...[...reader.grants()].map((g) => `grant ${g.externalId}`),
    ];
    return { result, records: records.sort() };
  } finally {
    reader.close();
  }
}

const callsStarting = (calls: string[], prefix: string): string[] => calls.filter((c) => c.startsWith(prefix));

describe('grants of independent types', () => {
  test('are listed once per resource, before the entitlements phase, and the file is the same', async () => {
    const reference = await syncTo(path.join(dir, 'reference.c1z'), newScenarioConnector(1));
    const api = hinted(newScenarioConnector(1), { independentGrantTypes: ['group'] });
    const early = await syncTo(target, api);

    expect(early.records).toEqual(reference.records);
    expect(early.result.counts).toEqual(reference.result.counts);
    expect(early.result.perType).toEqual(reference.result.perType);
    // g0 carries SkipGrants; every other group's grants are listed exactly once (first pages carry no token).
    expect(callsStarting(api.calls, 'ListGrants group:').filter((c) => !c.includes('token='))).toEqual(
      expect.arrayContaining(['ListGrants group:s1-g1', 'ListGrants group:s1-g2', 'ListGrants group:s2-g1', 'ListGrants group:s2-g2']),
    );
    expect(callsStarting(api.calls, 'ListGrants group:').filter((c) => !c.includes('token='))).toHaveLength(4);
    // Started while resources were still being listed, not after them.
    const firstGroupGrants = api.calls.findIndex((c) => c.startsWith('ListGrants group:'));
    const lastListing = api.calls.map((c) => c.startsWith('ListResources')).lastIndexOf(true);
    expect(firstGroupGrants).toBeLessThan(lastListing);
    // Other types keep the SDK order: their grants come after every entitlement listing.
    const firstSiteGrants = api.calls.findIndex((c) => c.startsWith('ListGrants site:'));
    const lastEntitlements = api.calls.map((c) => c.startsWith('ListEntitlements')).lastIndexOf(true);
    expect(firstSiteGrants).toBeGreaterThan(lastEntitlements);
  });

  test('with one parent at a time, the early grants of a site run before the next site is started', async () => {
    const api = hinted(newScenarioConnector(1), { independentGrantTypes: ['group'], oneParentAtATime: true });
    const siteOf = (call: string): string | undefined => /(s\d)-/.exec(call)?.[1] ?? /parent=site:(s\d)/.exec(call)?.[1];
    await syncTo(target, api);
    // Within the resources phase (up to the first entitlement listing), calls under s1 all precede those under s2.
    const resourcesPhase = api.calls.slice(0, api.calls.findIndex((c) => c.startsWith('ListEntitlements')));
    const sites = resourcesPhase.map(siteOf).filter((s) => s !== undefined);
    expect(sites.indexOf('s2')).toBeGreaterThan(sites.lastIndexOf('s1'));
    expect(callsStarting(resourcesPhase, 'ListGrants group:s1-').length).toBeGreaterThan(0);
  });

  test('NOT_FOUND from an early ListGrants is a warning; the rest is synced', async () => {
    const api = hinted(newScenarioConnector(1), { independentGrantTypes: ['group'] });
    api.hook = (call) => {
      if (call === 'ListGrants group:s1-g2') throw new ConnectorError('NOT_FOUND', 'group not found');
    };
    const { result } = await syncTo(target, api);
    expect(result.warnings).toEqual(['ListGrants group:s1-g2: not found, skipped']);
    expect(result.counts.grants).toBe(21 - 3);
  });

  test('a failure in the background fails the sync with that error and leaves the target untouched', async () => {
    const api = hinted(newScenarioConnector(1), { independentGrantTypes: ['group'] });
    let failedAfterEntitlements = false;
    // s2-g2 has two member pages: its second one waits until the later phases have started, then fails.
    const list = api.listGrants.bind(api);
    api.listGrants = async (req, ctx) => {
      if (req.resource?.id?.resource === 's2-g2' && req.pageToken) {
        for (let i = 0; i < 500 && !api.calls.some((c) => c.startsWith('ListEntitlements')); i++) {
          await new Promise((r) => setTimeout(r, 10));
        }
        failedAfterEntitlements = api.calls.some((c) => c.startsWith('ListEntitlements'));
        throw new ConnectorError('UNAVAILABLE', 'Tableau is down');
      }
      return list(req, ctx);
    };
    await fs.writeFile(target, 'previous sync');
    const writer = await C1zWriter.create(target);
    await expect(runSync({ api, writer, log, signal: AbortSignal.timeout(30_000) })).rejects.toThrow(/Tableau is down/);
    expect(failedAfterEntitlements).toBe(true);
    expect(await fs.readFile(target, 'utf8')).toBe('previous sync');
    expect(await fs.readdir(dir)).toEqual(['sync.c1z']);
    expect(api.calls.at(-1)).toBe('Cleanup');
  });
});
