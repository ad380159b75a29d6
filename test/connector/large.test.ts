/**
 * Two sites of 20,000 users each: the whole model still matches the simulator exactly, every response
 * stays far below gRPC's 4 MiB message limit, and each users page is read from Tableau once.
 * Budget: ~30 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from '../../proto/index.js';
import type { ConnectorApi } from '../../pkg/connector/api.js';
import { expectSameModel } from './expected.js';
import { startHarness, type Harness } from './harness.js';
import { callCtx, walk } from './walk.js';

const USERS_PER_SITE = 20_000;
const GRPC_LIMIT = 4 * 1024 * 1024;

/** The same ConnectorApi, recording the encoded size of every list response. */
function measuring(api: ConnectorApi, sizes: number[]): ConnectorApi {
  const measure = <Req, Res extends object>(fullName: string, call: (req: Req, ctx: Parameters<ConnectorApi['listGrants']>[1]) => Promise<Res>) =>
    async (req: Req, ctx: Parameters<ConnectorApi['listGrants']>[1]) => {
      const res = await call(req, ctx);
      sizes.push(encode(`c1.connector.v2.${fullName}`, res).length);
      return res;
    };
  return {
    ...api,
    listResources: measure('ResourcesServiceListResourcesResponse', api.listResources),
    listEntitlements: measure('EntitlementsServiceListEntitlementsResponse', api.listEntitlements),
    listGrants: measure('GrantsServiceListGrantsResponse', api.listGrants),
  };
}

describe('connector at 20,000 users per site', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: 11, sites: 2, users: USERS_PER_SITE, groups: 20, memberships: 30_000 }, { all: true });
  }, 120_000);
  afterAll(async () => h?.close());

  it('syncs everything exactly, in pages far below 4 MiB, listing users once', async () => {
    await h.sim.resetStats();
    const sizes: number[] = [];
    const result = await walk(measuring(h.connector, sizes), callCtx('large-sync'));
    const state = await h.state();
    expect(state.sites.map((s) => s.users.length)).toEqual([USERS_PER_SITE, USERS_PER_SITE]);
    expectSameModel(result, state);
    expect(Math.max(...sizes)).toBeLessThan(GRPC_LIMIT / 2);
    expect(await h.requests('GET /sites/{}/users')).toBe(2 * Math.ceil(USERS_PER_SITE / 1000));
  }, 240_000); // ~30 s idle (see above); a busy 2-core host takes several times that

});
