/**
 * Identity-pool grants over real gRPC against the simulator: add and remove, idempotent both ways and
 * read back; Tableau's 429002/429003 refusals named; the lock-out guard (refused without
 * --allow-pool-lockout, allowed with it, and what the dry run says); CreateAccount into a pool,
 * including a pool step that fails and the account removed again. Budget: ~5 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { toStruct } from '../../proto/index.js';
import type * as pb from '../../proto/types.js';
import { TableauClient } from '../../pkg/tableau/index.js';
import { annotationNames, luid, rejection, scenario, startE2e, user, usersOf, type E2e } from './harness.js';

const PARTNERS = luid(9, 1);
const CONTRACTORS = luid(9, 2);
const CLOSED = luid(9, 3);
const ALICE = user(1);
const BOB = user(2);
const CAROL = user(3);
const DAVE = user(4);
const HANK = user(5);

const data = {
  ...scenario([
    { id: ALICE, name: 'alice', siteRole: 'Viewer' },
    { id: BOB, name: 'bob', siteRole: 'Explorer', identityPoolUuid: PARTNERS },
    { id: CAROL, name: 'carol', siteRole: 'Viewer', identityPoolUuid: CONTRACTORS },
    { id: DAVE, name: 'dave', siteRole: 'Viewer', identityPoolUuid: CONTRACTORS },
    { id: HANK, name: 'hank', siteRole: 'Viewer' },
  ]),
  identityPools: [
    { uuid: PARTNERS, name: 'Partners' },
    { uuid: CONTRACTORS, name: 'Contractors' },
    { uuid: CLOSED, name: 'Closed', enabled: false },
  ],
};

const entitlement = (pool: string): pb.Entitlement => ({ id: `identity_pool:${pool}:member`, resource: { id: { resourceType: 'identity_pool', resource: pool } } });
const principal = (id: string): pb.Resource => ({ id: { resourceType: 'user', resource: id } });
const grantOf = (pool: string, id: string): pb.Grant => ({ id: `identity_pool:${pool}:member:user:${id}`, entitlement: entitlement(pool), principal: principal(id) });
const poolsOf = async (e2e: E2e, id: string): Promise<string[] | undefined> => (await usersOf(e2e)).find((u) => u.id === id)?.identityPoolIds;
const metadataOf = (res: { annotations?: pb.Any[] }): Record<string, unknown>[] =>
  (res.annotations ?? []).filter((a) => a.typeUrl.endsWith('GrantMetadata')).map((a) => a as unknown as Record<string, unknown>);

let live: E2e;
let allowing: E2e;
beforeAll(async () => {
  [live, allowing] = await Promise.all([startE2e(data), startE2e(data, { allowPoolLockout: true })]);
});
afterAll(async () => {
  await Promise.all([live?.close(), allowing?.close()]);
});

describe('pool membership over gRPC', () => {
  it('grant → member (read back) → GrantAlreadyExists; the identity_pool resource is served', async () => {
    const resource = (await live.rpc.getResource({ resourceId: { resourceType: 'identity_pool', resource: PARTNERS } })).resource;
    expect(resource?.displayName).toBe('Partners');
    const granted = await live.rpc.grant({ entitlement: entitlement(PARTNERS), principal: principal(ALICE) });
    expect(annotationNames(granted.annotations)).toEqual([]);
    expect(granted.grants?.map((g) => g.id)).toEqual([`identity_pool:${PARTNERS}:member:user:${ALICE}`]);
    expect(await poolsOf(live, ALICE)).toEqual([PARTNERS]);
    const again = await live.rpc.grant({ entitlement: entitlement(PARTNERS), principal: principal(ALICE) });
    expect(annotationNames(again.annotations)).toEqual(['GrantAlreadyExists']);
    expect(live.audits().at(-1)).toMatchObject({ operation: 'grant', result: 'already-exists', after: PARTNERS });
  });

  it("Tableau's 429001 (already a member) is no error and is never retried as rate limiting", async () => {
    const client = new TableauClient({ serverUrl: live.sim.url, credentials: { kind: 'pat', name: live.sim.info.pat.name, secret: live.sim.info.pat.secret } });
    try {
      const site = client.site('');
      await site.siteId();
      live.sim.resetStats();
      expect(await site.addUserToIdentityPool(BOB, PARTNERS)).toEqual({ added: false });
      expect(live.sim.stats().byRoute['POST /sites/{}/users/identityPool']).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('429002 (in another pool) and 429003 (disabled pool) fail naming the user and the pool', async () => {
    const other = await rejection(live.rpc.grant({ entitlement: entitlement(PARTNERS), principal: principal(CAROL) }));
    expect(other.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(other.details).toMatch(/carol .*'Partners'.*429002/);
    const closed = await rejection(live.rpc.grant({ entitlement: entitlement(CLOSED), principal: principal(HANK) }));
    expect(closed.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(closed.details).toMatch(/hank .*'Closed'.*429003/);
    expect(await poolsOf(live, HANK)).toEqual([]);
    expect(await poolsOf(live, CAROL)).toEqual([CONTRACTORS]);
  });

  it('an unknown pool is NOT_FOUND', async () => {
    const err = await rejection(live.rpc.grant({ entitlement: entitlement(luid(9, 99)), principal: principal(ALICE) }));
    expect(err.code).toBe(grpc.status.NOT_FOUND);
  });
});

describe('the lock-out guard', () => {
  it('refuses to remove the only pool Tableau shows without --allow-pool-lockout, and says so in the audit line', async () => {
    const err = await rejection(live.rpc.revoke({ grant: grantOf(CONTRACTORS, DAVE) }));
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(err.details).toMatch(/lock-out refused: user dave .* could not sign in .*--allow-pool-lockout/);
    expect(await poolsOf(live, DAVE)).toEqual([CONTRACTORS]);
    expect(live.audits().at(-1)).toMatchObject({ operation: 'revoke', result: 'failed', detail: expect.stringMatching(/lock-out/) });
  });

  it('with the switch: removed, read back, audited as a lock-out; then GrantAlreadyRevoked', async () => {
    const res = await allowing.rpc.revoke({ grant: grantOf(CONTRACTORS, DAVE) });
    expect(annotationNames(res.annotations)).toEqual(['GrantMetadata']);
    expect(await poolsOf(allowing, DAVE)).toEqual([]);
    expect(allowing.audits().at(-1)).toMatchObject({ result: 'revoked', before: CONTRACTORS, after: 'none', detail: expect.stringMatching(/^lock-out allowed by --allow-pool-lockout/) });
    const again = await allowing.rpc.revoke({ grant: grantOf(CONTRACTORS, DAVE) });
    expect(annotationNames(again.annotations)).toEqual(['GrantAlreadyRevoked']);
    expect(metadataOf(res)).toHaveLength(1);
  });

  it('a dry run with the switch plans the DELETE, says it locks the user out, and changes nothing', async () => {
    const dry = await startE2e(data, { allowPoolLockout: true, dryRun: true });
    try {
      const res = await dry.rpc.revoke({ grant: grantOf(CONTRACTORS, CAROL) });
      const plan = (res.annotations ?? []).map((a) => a.value).filter(Boolean);
      expect(plan.length).toBe(2);
      const text = JSON.stringify(res.annotations?.map((a) => Buffer.from(a.value ?? new Uint8Array()).toString('latin1')));
      expect(text).toContain(`/users/${CAROL}/identityPool/${CONTRACTORS}`);
      expect(text).toContain('lock-out');
      expect(await poolsOf(dry, CAROL)).toEqual([CONTRACTORS]);
      expect(dry.audits().at(-1)).toMatchObject({ result: 'planned:revoked', dryRun: true, detail: expect.stringMatching(/lock-out/) });
    } finally {
      await dry.close();
    }
  });
});

describe('CreateAccount into a pool', () => {
  const create = (e2e: E2e, username: string, pool: string) =>
    e2e.rpc.createAccount({ accountInfo: { login: username, profile: toStruct({ username, email: `${username}@example.com`, identity_pool: pool }) }, credentialOptions: { noPassword: {} } });

  it('creates the user and adds them to the pool named by name', async () => {
    const res = await create(live, 'erin', 'partners');
    const id = res.success?.resource?.id?.resource ?? '';
    expect(id).not.toBe('');
    expect(await poolsOf(live, id)).toEqual([PARTNERS]);
    expect(live.audits().at(-1)).toMatchObject({ operation: 'create-account', result: 'created', detail: `identity pool ${PARTNERS}` });
  });

  it('an unknown pool creates nothing', async () => {
    const before = (await usersOf(live)).length;
    const err = await rejection(create(live, 'frank', 'Nowhere'));
    expect(err.code).toBe(grpc.status.NOT_FOUND);
    expect(err.details).toMatch(/"Nowhere" .*'Partners'/);
    expect((await usersOf(live)).length).toBe(before);
  });

  it('a failed pool step removes the new account again and says so', async () => {
    const err = await rejection(create(live, 'gina', CLOSED));
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(err.details).toMatch(/created gina .* could not add them to identity pool 'Closed'.*429003.*the new account was removed again/);
    expect((await usersOf(live)).some((u) => u.name === 'gina')).toBe(false);
  });

  it('GetMetadata declares identity_pool and identity_pool_identifier in the account-creation schema', async () => {
    const meta = await live.rpc.getMetadata({});
    const fields = Object.keys(meta.metadata?.accountCreationSchema?.fieldMap ?? {});
    expect(fields).toEqual(expect.arrayContaining(['identity_pool', 'identity_pool_identifier']));
  });
});
