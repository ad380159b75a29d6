/**
 * Identity-pool changes whose answer was lost after Tableau applied them: the replay meets "already a
 * member" (429001) or "not in the pool" (404), which is then our own change, not somebody else's. The
 * response and the audit line must say the connector changed Tableau (no GrantAlreadyExists /
 * GrantAlreadyRevoked), and a lock-out it caused must be recorded. Real simulator and gRPC.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as pb from '../../proto/types.js';
import { annotationNames, luid, scenario, startE2e, user, usersOf, type E2e } from './harness.js';

const PARTNERS = luid(9, 1);
const ALICE = user(1);
const BOB = user(2);

const data = {
  ...scenario([
    { id: ALICE, name: 'alice', siteRole: 'Viewer' },
    { id: BOB, name: 'bob', siteRole: 'Viewer', identityPoolUuid: PARTNERS },
  ]),
  identityPools: [{ uuid: PARTNERS, name: 'Partners' }],
};

const entitlement: pb.Entitlement = { id: `identity_pool:${PARTNERS}:member`, resource: { id: { resourceType: 'identity_pool', resource: PARTNERS } } };
const principal = (id: string): pb.Resource => ({ id: { resourceType: 'user', resource: id } });

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e(data, { allowPoolLockout: true });
});
afterAll(async () => {
  await e2e?.close();
});
beforeEach(() => e2e.sim.interceptResponses(null));

/** Resets the connection of the first successful request on `route`, after Tableau applied it. */
function loseFirstAnswer(route: string): () => number {
  let lost = 0;
  e2e.sim.interceptResponses((request, response) => {
    if (request.route !== route || lost > 0 || response.status >= 300) return undefined;
    lost++;
    return 'reset';
  });
  return () => lost;
}

describe('identity-pool changes whose answer was lost', () => {
  it('an add replayed into 429001 is our own add', async () => {
    const lost = loseFirstAnswer('POST /sites/{}/users/identityPool');
    const res = await e2e.rpc.grant({ entitlement, principal: principal(ALICE) });
    expect(lost()).toBe(1);
    expect(annotationNames(res.annotations)).toEqual([]);
    expect((await usersOf(e2e)).find((u) => u.id === ALICE)?.identityPoolIds).toEqual([PARTNERS]);
    expect(e2e.audits().at(-1)).toMatchObject({ operation: 'grant', result: 'granted' });
  });

  it('a remove replayed into 404 is our own remove, and the lock-out is recorded', async () => {
    const lost = loseFirstAnswer('DELETE /sites/{}/users/{}/identityPool/{}');
    const res = await e2e.rpc.revoke({ grant: { id: `${entitlement.id}:user:${BOB}`, entitlement, principal: principal(BOB) } });
    expect(lost()).toBe(1);
    expect(annotationNames(res.annotations)).not.toContain('GrantAlreadyRevoked');
    expect((await usersOf(e2e)).find((u) => u.id === BOB)?.identityPoolIds).toEqual([]);
    const audit = e2e.audits().at(-1);
    expect(audit).toMatchObject({ operation: 'revoke', result: 'revoked' });
    expect(JSON.stringify(audit)).toContain('lock-out allowed by --allow-pool-lockout');
  });
});
