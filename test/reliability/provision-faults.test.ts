/**
 * One-shot provisioning through the CLI while responses get lost: Tableau applies the write, the
 * connection is reset before the answer arrives, and the connector must retry safely — success, no
 * duplicate membership, never a role other than the one asked for.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimState } from '../../pkg/tableau-sim/index.js';
import { group, scenario, SITE, user } from '../provision/harness.js';
import { buildDist, runCli } from '../cli/run-cli.js';
import { startSim } from './helpers.js';

const ANALYSTS = group(1);
const ALICE = user(1);
const BOB = user(2);

let sim: RunningSimulator;

beforeAll(async () => {
  await buildDist();
  sim = await startSim({
    data: scenario(
      [
        { id: ALICE, name: 'alice', siteRole: 'Viewer' },
        { id: BOB, name: 'bob', siteRole: 'Viewer' },
      ],
      [{ id: ANALYSTS, name: 'Analysts' }],
    ),
  });
}, 300_000); // buildDist may wait for the other worker's compile, then compile: minutes on a busy host

beforeEach(() => {
  sim.interceptResponses(null);
  sim.setFaults({ fault429Rate: 0, fault5xxRate: 0, faultResetRate: 0, sessionKillEvery: 0 });
  sim.resetStats();
});

function grant(entitlementId: string, principalId: string): Promise<Awaited<ReturnType<typeof runCli>>> {
  return runCli([
    '--server-path', sim.url, '--access-token-name', sim.info.pat.name, '--access-token-secret', sim.info.pat.secret,
    '--log-format', 'json', '-p', '--grant-entitlement', entitlementId, '--grant-principal', principalId,
    '--grant-principal-type', 'user',
  ], { timeoutMs: 90_000 });
}

/** Drops the response of the first `count` requests on `route` after Tableau applied them. */
function loseResponses(route: string, count: number): () => number {
  let lost = 0;
  sim.interceptResponses((request, response) => {
    if (request.route !== route || lost >= count || response.status >= 300) return undefined;
    lost++;
    return 'reset';
  });
  return () => lost;
}

const site = (state: SimState): SimState['sites'][number] => state.sites[0]!;
const memberships = (userId: string): number =>
  site(sim.state()).memberships.filter((m) => m.groupId === ANALYSTS && m.userId === userId).length;
const roleOf = (userId: string): string | undefined => site(sim.state()).users.find((u) => u.id === userId)?.siteRole;

describe('provisioning when Tableau applied the write but the answer was lost', () => {
  it('group member grant: the replay sees "already a member" and reports success; one membership', async () => {
    const lost = loseResponses('POST /sites/{}/groups/{}/users', 1);
    const run = await grant(`group:${ANALYSTS}:member`, ALICE);
    expect(run.code, run.stderr).toBe(0);
    expect(lost()).toBe(1);
    expect(sim.stats().byRoute['POST /sites/{}/groups/{}/users']).toBeGreaterThanOrEqual(2);
    expect(memberships(ALICE)).toBe(1);
    expect(roleOf(ALICE)).toBe('Viewer');
  });

  it('site role grant: the PUT is replayed and the user ends with exactly the asked role', async () => {
    const lost = loseResponses('PUT /sites/{}/users/{}', 2);
    const run = await grant(`site:${SITE}:explorer`, ALICE);
    expect(run.code, run.stderr).toBe(0);
    expect(lost()).toBe(2);
    expect(roleOf(ALICE)).toBe('Explorer');
    expect(site(sim.state()).users.filter((u) => u.name === 'alice')).toHaveLength(1);
  });

  it('under a storm of 429s, 5xx and resets both grants still end as success with the right state', async () => {
    sim.setFaults({ fault429Rate: 0.2, fault5xxRate: 0.1, faultResetRate: 0.1 });
    const lost = loseResponses('POST /sites/{}/groups/{}/users', 1);
    const member = await grant(`group:${ANALYSTS}:member`, BOB);
    const role = await grant(`site:${SITE}:creator`, BOB);
    sim.setFaults({ fault429Rate: 0, fault5xxRate: 0, faultResetRate: 0 });
    expect(member.code, member.stderr).toBe(0);
    expect(role.code, role.stderr).toBe(0);
    expect(lost()).toBe(1);
    expect(memberships(BOB)).toBe(1);
    expect(roleOf(BOB)).toBe('Creator');
    expect(roleOf(ALICE)).not.toBe('Creator');
  });
});
