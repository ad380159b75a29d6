import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { decode } from '../../proto/index.js';
import type * as pb from '../../proto/types.js';
import { C1zReader, C1zWriter } from '../../pkg/c1z/index.js';
import { ConnectorError } from '../../pkg/connector/errors.js';
import { runSync, SyncError, type SyncProgress } from '../../pkg/sync/index.js';
import { Trait } from '../../proto/index.js';
import { anno, FakeConnector, grant, key, listOf, resource } from './fake-connector.js';
import { newScenarioConnector } from './scenario.js';

const log = pino({ level: 'silent' });
let dir: string;
let target: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sync-'));
  target = path.join(dir, 'sync.c1z');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const firstIndex = (calls: string[], prefix: string): number => calls.findIndex((c) => c.startsWith(prefix));
const lastIndex = (calls: string[], prefix: string): number => calls.map((c) => c.startsWith(prefix)).lastIndexOf(true);

describe('runSync over the scenario', () => {
  test('calls the connector in the SDK order with the writer sync id', async () => {
    const api = newScenarioConnector();
    const writer = await C1zWriter.create(target);
    const progress: SyncProgress[] = [];
    await runSync({ api, writer, log, signal: new AbortController().signal, onProgress: (p) => progress.push(p) });
    const phases = progress.map((p) => p.phase);
    await writer.abort();
    const calls = api.calls;
    expect(calls.slice(0, 2)).toEqual(['Validate', 'ListResourceTypes']);
    // Every type is listed once with no parent, in type order, before any child listing.
    const listings = calls.filter((c) => c.startsWith('ListResources') && !c.includes('token='));
    expect(listings.slice(0, 4)).toEqual(['ListResources site', 'ListResources user', 'ListResources group', 'ListResources license']);
    expect(listings.slice(4).sort()).toEqual([
      'ListResources group parent=site:s1',
      'ListResources group parent=site:s2',
      'ListResources user parent=site:s1',
      'ListResources user parent=site:s2',
    ]);
    expect(lastIndex(calls, 'ListResources')).toBeLessThan(firstIndex(calls, 'ListStaticEntitlements'));
    expect(lastIndex(calls, 'ListEntitlements')).toBeLessThan(firstIndex(calls, 'ListGrants'));
    expect(lastIndex(calls, 'ListStaticEntitlements')).toBeLessThan(firstIndex(calls, 'ListGrants'));
    expect(calls.at(-1)).toBe('Cleanup');
    expect([...api.syncIds]).toEqual([writer.syncId]);
    expect([...new Set(phases)]).toEqual(['resource-types', 'resources', 'entitlements', 'grants', 'done']);
    // Pending work: the site listings still to do show up while grants run; nothing is left at the end.
    const grantsPhase = progress.filter((p) => p.phase === 'grants');
    expect(Math.max(...grantsPhase.map((p) => p.pendingActions))).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', pendingActions: 0, counts: { grants: 21 } });
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.counts.grants).toBeGreaterThanOrEqual(progress[i - 1]!.counts.grants);
    }
  });

  test('honours skip annotations on types and resources', async () => {
    const api = newScenarioConnector();
    const writer = await C1zWriter.create(target);
    await runSync({ api, writer, log, signal: new AbortController().signal });
    await writer.abort();
    const calls = api.calls.filter((c) => !c.includes('token='));
    // user type: SkipEntitlementsAndGrants.
    expect(calls.filter((c) => / user:/.test(c) && !c.startsWith('ListResources'))).toEqual([]);
    // g0: SkipGrants, g1: SkipEntitlements.
    expect(calls.filter((c) => c.startsWith('ListEntitlements group:')).sort()).toEqual([
      'ListEntitlements group:s1-g0',
      'ListEntitlements group:s1-g2',
      'ListEntitlements group:s2-g0',
      'ListEntitlements group:s2-g2',
    ]);
    expect(calls.filter((c) => c.startsWith('ListGrants group:')).sort()).toEqual([
      'ListGrants group:s1-g1',
      'ListGrants group:s1-g2',
      'ListGrants group:s2-g1',
      'ListGrants group:s2-g2',
    ]);
  });

  test('writes every record with SDK columns, readable back from the finished c1z', async () => {
    const api = newScenarioConnector();
    const writer = await C1zWriter.create(target);
    const result = await runSync({ api, writer, log, signal: new AbortController().signal });
    await writer.finish();
    expect(result.syncId).toBe(writer.syncId);
    expect(result.counts).toEqual({ resourceTypes: 4, resources: 20, entitlements: 12, grants: 21 });
    expect(result.perType).toEqual({
      site: { resources: 2, entitlements: 6, grants: 10 },
      user: { resources: 10, entitlements: 0, grants: 0 },
      group: { resources: 6, entitlements: 4, grants: 10 },
      license: { resources: 2, entitlements: 2, grants: 1 },
    });
    expect(result.warnings).toEqual([]);

    const reader = await C1zReader.open(target);
    try {
      expect(reader.latestSync()?.syncId).toBe(writer.syncId);
      const types = [...reader.resourceTypes()].map((t) => decode<pb.ResourceType>('c1.connector.v2.ResourceType', t.data).id);
      expect(types).toEqual(['site', 'user', 'group', 'license']);

      const resources = [...reader.resources()];
      expect(resources).toHaveLength(20);
      for (const row of resources) {
        const r = decode<pb.Resource>('c1.connector.v2.Resource', row.data);
        expect(row.externalId).toBe(key(r));
        expect([row.parentResourceTypeId, row.parentResourceId]).toEqual(
          r.parentResourceId ? [r.parentResourceId.resourceType, r.parentResourceId.resource] : [null, null],
        );
      }
      const users = resources.filter((r) => r.resourceTypeId === 'user').map((r) => r.externalId).sort();
      expect(users).toEqual(['s1', 's2'].flatMap((s) => [0, 1, 2, 3, 4].map((i) => `user:${s}-u${i}`)));

      const entitlements = [...reader.entitlements()];
      expect(entitlements.map((e) => e.externalId).sort()).toEqual(
        [
          ...['s1', 's2'].flatMap((s) => ['viewer', 'creator', 'explorer'].map((slug) => `site:${s}:${slug}`)),
          'group:s1-g0:member', 'group:s1-g2:member', 'group:s2-g0:member', 'group:s2-g2:member',
          'license:creator:member', 'license:viewer:member',
        ].sort(),
      );
      const stamped = entitlements.find((e) => e.externalId === 'license:creator:member')!;
      const stampedMsg = decode<pb.Entitlement>('c1.connector.v2.Entitlement', stamped.data);
      expect([stamped.resourceTypeId, stamped.resourceId]).toEqual(['license', 'creator']);
      expect(stampedMsg).toMatchObject({ id: 'license:creator:member', slug: 'member', resource: { displayName: 'license creator' } });

      const grants = [...reader.grants()];
      expect(grants).toHaveLength(21);
      for (const row of grants) {
        const g = decode<pb.Grant>('c1.connector.v2.Grant', row.data);
        expect(row.externalId).toBe(g.id);
        expect(row.entitlementId).toBe(g.entitlement?.id);
        expect([row.resourceTypeId, row.resourceId]).toEqual([g.entitlement?.resource?.id?.resourceType, g.entitlement?.resource?.id?.resource]);
        expect([row.principalResourceTypeId, row.principalResourceId]).toEqual([g.principal?.id?.resourceType, g.principal?.id?.resource]);
      }
      expect(grants.map((g) => g.externalId)).toContain('group:s2-g2:member:user:s2-u2');
    } finally {
      reader.close();
    }
  });
});

test('a resource returned twice (root and child listing) is stored and fanned out once', async () => {
  const group = resource('group', 'g1', { annotations: [anno('ChildResourceType', { resourceTypeId: 'group' })] });
  const api = new FakeConnector({
    types: [{ id: 'group' }],
    resources: () => listOf([group]),
    grants: (r) => listOf([grant(r, 'member', { resourceType: 'user', resource: 'u1' })]),
  });
  const writer = await C1zWriter.create(target);
  const result = await runSync({ api, writer, log, signal: new AbortController().signal });
  await writer.abort();
  expect(api.calls.filter((c) => c.startsWith('ListResources'))).toEqual(['ListResources group', 'ListResources group parent=group:g1']);
  expect(api.calls.filter((c) => c.startsWith('ListGrants'))).toEqual(['ListGrants group:g1']);
  expect(result.counts).toMatchObject({ resources: 1, grants: 1 });
});

describe('runSync failures', () => {
  test('NOT_FOUND from one ListGrants is a warning; the rest is still synced', async () => {
    const api = newScenarioConnector();
    api.hook = (call) => {
      if (call === 'ListGrants group:s1-g2') throw new ConnectorError('NOT_FOUND', 'group not found');
    };
    const writer = await C1zWriter.create(target);
    const result = await runSync({ api, writer, log, signal: new AbortController().signal });
    await writer.abort();
    expect(result.warnings).toEqual(['ListGrants group:s1-g2: not found, skipped']);
    expect(result.counts.grants).toBe(21 - 3);
  });

  test('a gRPC NOT_FOUND status (code 5) from a remote connector is also only a warning', async () => {
    const api = newScenarioConnector();
    api.hook = (call) => {
      if (call === 'ListEntitlements site:s2') throw Object.assign(new Error('5 NOT_FOUND: gone'), { code: 5 });
    };
    const writer = await C1zWriter.create(target);
    const result = await runSync({ api, writer, log, signal: new AbortController().signal });
    await writer.abort();
    expect(result.warnings).toEqual(['ListEntitlements site:s2: not found, skipped']);
    expect(result.perType.site!.entitlements).toBe(3);
  });

  async function expectFailureLeavesTarget(api: FakeConnector, matcher: RegExp | (new (...a: never[]) => Error), signal = new AbortController().signal) {
    await fs.writeFile(target, 'previous sync');
    const writer = await C1zWriter.create(target);
    const run = runSync({ api, writer, log, signal });
    await expect(run).rejects.toThrow(matcher as RegExp);
    expect(await fs.readFile(target, 'utf8')).toBe('previous sync');
    expect(await fs.readdir(dir)).toEqual(['sync.c1z']);
    await expect(writer.finish()).rejects.toThrow(/finished or aborted/);
  }

  test('a repeated page token fails the sync and leaves the previous file untouched', async () => {
    const api = newScenarioConnector();
    // Page 2 of the site's entitlements points back to page 2.
    api.hook = (call, _r, token) => (call === 'ListEntitlements site:s1' && token ? token : undefined);
    await expectFailureLeavesTarget(api, /already returned \(connector bug\)/);
    expect(api.calls.filter((c) => c.startsWith('ListEntitlements site:s1'))).toHaveLength(2);
  });

  test('a page token that cycles back to an earlier one is caught too', async () => {
    const api = newScenarioConnector();
    api.hook = (call, _r, token) => (call === 'ListGrants site:s1' && token === '{"o":4}' ? '{"o":2}' : undefined);
    await expectFailureLeavesTarget(api, SyncError);
  });

  test('a resource without the trait annotation its type requires fails the sync (SDK rule)', async () => {
    const api = new FakeConnector({
      types: [{ id: 'user', traits: [Trait.TRAIT_USER] }],
      resources: (typeId) =>
        listOf(typeId === 'user' ? [resource('user', 'ok', { annotations: [anno('UserTrait')] }), resource('user', 'bare')] : []),
    });
    await expectFailureLeavesTarget(api, /resource user:bare was missing expected trait c1\.connector\.v2\.UserTrait/);
  });

  test('any other error fails the sync and aborts the writer', async () => {
    const api = newScenarioConnector();
    api.hook = (call) => {
      if (call === 'ListGrants group:s2-g1') throw new ConnectorError('UNAVAILABLE', 'Tableau is down');
    };
    await expectFailureLeavesTarget(api, /Tableau is down/);
    expect(api.calls.at(-1)).toBe('Cleanup');
  });

  test('aborting the signal mid-sync rejects and leaves the target untouched', async () => {
    const api = newScenarioConnector(1);
    const controller = new AbortController();
    api.hook = (call) => {
      if (call.startsWith('ListGrants')) controller.abort();
    };
    await expectFailureLeavesTarget(api, /aborted/i, controller.signal);
  });
});

describe('runSync concurrency', () => {
  test.each([1, 3])('never runs more than %i per-resource listings at once (and does reach it)', async (concurrency) => {
    const api = newScenarioConnector(3);
    const writer = await C1zWriter.create(target);
    await runSync({ api, writer, log, signal: new AbortController().signal, concurrency });
    await writer.abort();
    expect(api.maxInFlight).toBe(concurrency);
  });
});

/** One group with `members` member grants, answered from memory `pageSize` at a time. */
function oneGroupConnector(members: number, pageSize: number): FakeConnector {
  const group = resource('group', 'g');
  return new FakeConnector(
    {
      types: [{ id: 'group', displayName: 'Group' }],
      resources: (typeId, parent) => listOf(typeId === 'group' && !parent ? [group] : []),
      grants: () => ({ count: members, item: (i) => grant(group, 'member', { resourceType: 'user', resource: `u${i}` }) }),
    },
    pageSize,
  );
}

test('a connector answering from memory still lets I/O callbacks run between its pages', async () => {
  const api = oneGroupConnector(20_000, 10);
  const writer = await C1zWriter.create(target);
  let callsWhenTimerRan = -1;
  const run = runSync({ api, writer, log, signal: new AbortController().signal });
  setImmediate(() => (callsWhenTimerRan = api.calls.length));
  await run;
  await writer.abort();
  const grantPages = api.calls.filter((c) => c.startsWith('ListGrants')).length;
  expect(grantPages).toBe(2000);
  // The callback ran while the 2,000 pages were still being listed, not after all of them.
  expect(callsWhenTimerRan).toBeGreaterThan(0);
  expect(callsWhenTimerRan).toBeLessThan(api.calls.length - 1000);
});

test('a large page is stored in chunks, letting I/O callbacks in between them', async () => {
  const api = oneGroupConnector(50_000, 50_000);
  const writer = await C1zWriter.create(target);
  let grantsStored = 0;
  let grantsWhenTimerRan = -1;
  const run = runSync({ api, writer, log, signal: new AbortController().signal, onProgress: (p) => (grantsStored = p.counts.grants) });
  setImmediate(() => (grantsWhenTimerRan = grantsStored));
  const result = await run;
  await writer.abort();
  expect(api.calls.filter((c) => c.startsWith('ListGrants'))).toHaveLength(1);
  expect(result.counts.grants).toBe(50_000);
  // One page of 50,000 grants, and the callback still ran while it was being stored.
  expect(grantsWhenTimerRan).toBeGreaterThan(0);
  expect(grantsWhenTimerRan).toBeLessThan(50_000);
});
