/**
 * What keeps provisioning from changing Tableau: the `-p` gate of the gRPC server (FAILED_PRECONDITION
 * for every mutating RPC, even with provisioning built in), `--dry-run` (plans returned, Tableau
 * identical before and after), and `runServe` passing `-p` and its settings through (budget: ~4 s).
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { connectorClient, METHOD_BINDINGS, type ConnectorClient } from '../../pkg/server/index.js';
import { runServe, type RunningService } from '../../pkg/service/run-serve.js';
import { findAnnotation, fromStruct, toStruct } from '../../proto/index.js';
import type { GrantMetadata } from '../../proto/types.js';
import {
  captureLog,
  entitlementOf,
  group,
  rejection,
  roleOf,
  scenario,
  SITE,
  startE2e,
  user,
  userResource,
  type E2e,
} from './harness.js';

const ALICE = user(1);
const OWNER = user(2);
const TEAM = group(1);
const data = scenario(
  [
    { id: ALICE, name: 'alice', siteRole: 'Viewer' },
    { id: OWNER, name: 'olivia', siteRole: 'Creator', ownedContent: 3 },
  ],
  [{ id: TEAM, name: 'Team' }],
  [{ groupId: TEAM, userId: OWNER }],
);

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

/** One request per mutating RPC, each of which would change Tableau if it ran. */
async function mutatingRequests(rpc: ConnectorClient): Promise<Record<string, object>> {
  const team = await entitlementOf(rpc, 'group', TEAM, 'member');
  const alice = await userResource(rpc, ALICE);
  const deleted = { resourceId: { resourceType: 'user', resource: ALICE } };
  return {
    grant: { entitlement: team, principal: alice },
    revoke: { grant: { id: `group:${TEAM}:member:user:${OWNER}`, entitlement: team, principal: await userResource(rpc, OWNER) } },
    createAccount: { accountInfo: { login: 'nina', profile: toStruct({ email: 'nina@example.com' }) }, credentialOptions: { noPassword: {} } },
    deleteResource: deleted,
    deleteResourceV2: deleted,
  };
}

const plan = (annotations: { typeUrl: string; value: Uint8Array }[] | undefined) =>
  fromStruct(findAnnotation<GrantMetadata>(annotations, 'c1.connector.v2.GrantMetadata')?.metadata);

describe('the -p gate', () => {
  it('answers FAILED_PRECONDITION "provisioning is not enabled" to every mutating RPC and changes nothing', async () => {
    const e = await startE2e(data, { gate: false });
    e2e = e;
    const before = await e.state();
    const requests = await mutatingRequests(e.rpc);
    const mutating = METHOD_BINDINGS.filter((b) => b.provisioning);
    expect(mutating.map((b) => b.api).sort()).toEqual(Object.keys(requests).sort());
    for (const binding of mutating) {
      const call = (e.rpc[binding.api] as (req: object) => Promise<unknown>)(requests[binding.api] ?? {});
      const err = await rejection(call);
      expect(err.code, binding.method).toBe(grpc.status.FAILED_PRECONDITION);
      expect(err.details).toBe('provisioning is not enabled');
    }
    expect(await e.state()).toEqual(before);
    expect(e.audits()).toEqual([]);
  });
});

describe('dry run', () => {
  it('plans every mutation, returns the Tableau calls, and leaves Tableau identical', async () => {
    const e = await startE2e(data, { dryRun: true, policy: 'remove', mapAssetsTo: 'alice' });
    e2e = e;
    const before = await e.state();
    const requests = await mutatingRequests(e.rpc);
    const granted = await e.rpc.grant(requests['grant'] ?? {});
    expect(plan(granted.annotations)).toMatchObject({ dryRun: true, calls: [{ method: 'POST', path: `/api/{v}/sites/${SITE}/groups/${TEAM}/users` }] });
    expect(granted.grants ?? []).toEqual([]);
    const revoked = await e.rpc.revoke(requests['revoke'] ?? {});
    expect(plan(revoked.annotations)).toMatchObject({ dryRun: true, calls: [{ method: 'DELETE', path: `/api/{v}/sites/${SITE}/groups/${TEAM}/users/${OWNER}` }] });
    const created = await e.rpc.createAccount(requests['createAccount'] ?? {});
    expect(created.actionRequired?.message).toMatch(/dry run/);
    const removed = await e.rpc.deleteResource({ resourceId: { resourceType: 'user', resource: OWNER } });
    expect(plan(removed.annotations)).toMatchObject({ calls: [{ method: 'DELETE', path: `/api/{v}/sites/${SITE}/users/${OWNER}?mapAssetsTo=${ALICE}` }] });
    const role = await e.rpc.grant({ entitlement: await entitlementOf(e.rpc, 'site', SITE, 'creator'), principal: await userResource(e.rpc, ALICE) });
    expect(plan(role.annotations)).toMatchObject({ calls: [{ method: 'PUT', body: 'siteRole=Creator' }] });
    expect(await e.state()).toEqual(before);
    expect(e.audits().map((a) => a['result'])).toEqual(['planned:granted', 'planned:revoked', 'planned:created', 'planned:deleted', 'planned:granted']);
  });
});

describe('runServe wiring', () => {
  const services: RunningService[] = [];
  afterEach(async () => {
    for (const service of services.splice(0)) await service.close();
  });

  async function serve(e: E2e, provisioning: boolean): Promise<ConnectorClient> {
    const settings = { policy: 'unlicense', dryRun: false } as const;
    const tableau = {
      serverUrl: e.sim.url,
      credentials: { kind: 'pat', name: e.sim.info.pat.name, secret: e.sim.info.pat.secret } as const,
      sites: { contentUrls: [''] },
    };
    const service = await runServe(
      { tableau, listen: '127.0.0.1:0', provisioning, provisioningSettings: settings, shutdownTimeoutMs: 2000 },
      { log: captureLog().log, stdout: { write: () => true } },
    );
    services.push(service);
    return connectorClient(service.grpcAddress);
  }

  it('serves provisioning with the configured policy under -p, and the gate without it', async () => {
    e2e = await startE2e(data);
    const open = await serve(e2e, true);
    const gated = await serve(e2e, false);
    try {
      const err = await rejection(gated.deleteResource({ resourceId: { resourceType: 'user', resource: OWNER } }));
      expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
      expect(await roleOf(e2e, OWNER)).toBe('Creator');
      // The unlicense policy: the owner stays, as Unlicensed.
      await open.deleteResource({ resourceId: { resourceType: 'user', resource: OWNER } });
      expect(await roleOf(e2e, OWNER)).toBe('Unlicensed');
    } finally {
      open.close();
      gated.close();
    }
  });
});
