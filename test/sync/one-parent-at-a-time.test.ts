/**
 * SyncOptions.oneParentAtATime (or the connector's syncHints): child listings, entitlements and
 * grants under one parent finish before those under the next start, still concurrent within one
 * parent, with the same records as the default order. Budget: ~1 s.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type * as pb from '../../proto/types.js';
import type { ConnectorApi } from '../../pkg/connector/api.js';
import type { CallCtx } from '../../pkg/connector/types.js';
import { C1zWriter } from '../../pkg/c1z/index.js';
import { runSync, type SyncHints, type SyncResult } from '../../pkg/sync/index.js';
import { newScenarioConnector } from './scenario.js';

const log = pino({ level: 'silent' });
let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sync-parent-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const idKey = (id: pb.ResourceId | undefined): string => `${id?.resourceType ?? ''}:${id?.resource ?? ''}`;

/** Which subtrees have calls in flight; `mixed` records whether two were ever in flight together. */
interface SubtreeWatch {
  mixed: boolean;
  maxInOneSubtree: number;
}

/** The scenario connector, watching the subtree (parent, or the root itself) of every listing. */
function watched(watch: SubtreeWatch, hints?: SyncHints): ConnectorApi & { syncHints?: SyncHints } {
  const api = newScenarioConnector(3);
  const inFlight = new Map<string, number>();
  const around = async <T>(subtree: string, call: () => Promise<T>): Promise<T> => {
    inFlight.set(subtree, (inFlight.get(subtree) ?? 0) + 1);
    if (inFlight.size > 1) watch.mixed = true;
    watch.maxInOneSubtree = Math.max(watch.maxInOneSubtree, inFlight.get(subtree) ?? 0);
    try {
      return await call();
    } finally {
      const left = (inFlight.get(subtree) ?? 1) - 1;
      if (left === 0) inFlight.delete(subtree);
      else inFlight.set(subtree, left);
    }
  };
  const subtreeOf = (r: pb.Resource | undefined): string => idKey(r?.parentResourceId ?? r?.id);
  return {
    getResource: () => api.getResource(),
    grant: () => api.grant(),
    revoke: () => api.revoke(),
    createAccount: () => api.createAccount(),
    deleteResource: () => api.deleteResource(),
    deleteResourceV2: () => api.deleteResourceV2(),
    validate: (req, ctx) => api.validate(req, ctx),
    cleanup: (req, ctx) => api.cleanup(req, ctx),
    getMetadata: () => api.getMetadata(),
    listResourceTypes: (req, ctx) => api.listResourceTypes(req, ctx),
    listStaticEntitlements: (req, ctx) => api.listStaticEntitlements(req, ctx),
    listResources: (req, ctx: CallCtx) =>
      req.parentResourceId ? around(idKey(req.parentResourceId), () => api.listResources(req, ctx)) : api.listResources(req, ctx),
    listEntitlements: (req, ctx) => around(subtreeOf(req.resource), () => api.listEntitlements(req, ctx)),
    listGrants: (req, ctx) => around(subtreeOf(req.resource), () => api.listGrants(req, ctx)),
    ...(hints ? { syncHints: hints } : {}),
  };
}

async function syncWith(api: ConnectorApi, oneParentAtATime?: boolean): Promise<SyncResult> {
  const writer = await C1zWriter.create(path.join(dir, `sync-${Math.random().toString(36).slice(2)}.c1z`));
  try {
    return await runSync({ api, writer, log, signal: AbortSignal.timeout(30_000), concurrency: 4, ...(oneParentAtATime === undefined ? {} : { oneParentAtATime }) });
  } finally {
    await writer.abort();
  }
}

describe('one parent at a time', () => {
  test('by default, listings under different parents overlap', async () => {
    const watch: SubtreeWatch = { mixed: false, maxInOneSubtree: 0 };
    await syncWith(watched(watch));
    expect(watch.mixed).toBe(true);
  });

  test('with the option, one parent subtree at a time, still concurrent inside it, same records', async () => {
    const free: SubtreeWatch = { mixed: false, maxInOneSubtree: 0 };
    const reference = await syncWith(watched(free));
    const watch: SubtreeWatch = { mixed: false, maxInOneSubtree: 0 };
    const result = await syncWith(watched(watch), true);
    expect(watch.mixed).toBe(false);
    expect(watch.maxInOneSubtree).toBeGreaterThan(1);
    expect(result.counts).toEqual(reference.counts);
    expect(result.perType).toEqual(reference.perType);
  });

  test("the connector's syncHints switch it on; an explicit option wins", async () => {
    const hinted: SubtreeWatch = { mixed: false, maxInOneSubtree: 0 };
    await syncWith(watched(hinted, { oneParentAtATime: true }));
    expect(hinted.mixed).toBe(false);
    const overridden: SubtreeWatch = { mixed: false, maxInOneSubtree: 0 };
    await syncWith(watched(overridden, { oneParentAtATime: true }), false);
    expect(overridden.mixed).toBe(true);
  });
});
