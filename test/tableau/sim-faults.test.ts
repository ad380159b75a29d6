import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { Agent } from 'undici';
import { TableauClient } from '../../pkg/tableau/index.js';
import { FAST_RETRY } from './scenario.js';

// Budget: ~15 s (the 429 storm waits the simulator's Retry-After of 1 s several times).
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, users: 20_000, groups: 5, memberships: 3_000 });
});

afterAll(() => sim.close());

function patClient(): TableauClient {
  return new TableauClient({
    serverUrl: sim.url,
    credentials: { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret },
    retry: { ...FAST_RETRY, maxAttempts: 10 },
  });
}

describe('listing under faults', () => {
  it('a 30% 429 storm plus session kills still yields exactly the 20,000 users', async () => {
    const truth = sim.state().sites[0]!.users.map((u) => `${u.id}|${u.siteRole}`).sort();
    expect(truth).toHaveLength(20_000);
    const tableau = patClient();
    sim.setFaults({ fault429Rate: 0.3, sessionKillEvery: 5 });
    const seen: string[] = [];
    try {
      for await (const user of tableau.site('').users()) seen.push(`${user.id}|${user.siteRole}`);
    } finally {
      sim.setFaults({ fault429Rate: 0, sessionKillEvery: 0 });
      await tableau.close();
    }
    expect(seen.sort()).toEqual(truth);
    const stats = tableau.stats();
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(stats.reauths).toBeGreaterThan(0);
    expect(stats.byRoute['GET /sites/{}/users']).toBeGreaterThanOrEqual(20);
  }, 180_000); // ~15 s idle, most of it Retry-After waits; room for a busy host

  it('resets, truncated bodies and 5xx on a group listing: exact members, in order', async () => {
    const site = sim.state().sites[0]!;
    const biggest = [...new Set(site.memberships.map((m) => m.groupId))]
      .map((id) => ({ id, members: site.memberships.filter((m) => m.groupId === id).map((m) => m.userId) }))
      .sort((a, b) => b.members.length - a.members.length)[0]!;
    const tableau = patClient();
    sim.setFaults({ faultResetRate: 0.1, faultTruncateRate: 0.1, fault5xxRate: 0.1 });
    const names: string[] = [];
    const ids: string[] = [];
    try {
      for await (const user of tableau.site('').groupUsers(biggest.id)) {
        names.push(user.name);
        ids.push(user.id);
      }
    } finally {
      sim.setFaults({ faultResetRate: 0, faultTruncateRate: 0, fault5xxRate: 0 });
      await tableau.close();
    }
    expect(ids.sort()).toEqual([...biggest.members].sort());
    expect(tableau.stats().retries).toBeGreaterThan(0);
  });

  it('writes under truncation: a lost add-user response is replayed and resolved by lookup', async () => {
    // The first POST is truncated (its write lands, its answer is lost); the interceptor turns the fault
    // off as soon as the client sends anything else, so the replay and the lookup get clean answers.
    let postSeen = false;
    const agent = new Agent();
    const dispatcher = agent.compose((dispatch) => (opts, handler) => {
      if (postSeen) sim.setFaults({ faultTruncateRate: 0 });
      if (opts.method === 'POST' && opts.path.endsWith('/users')) postSeen = true;
      return dispatch(opts, handler);
    });
    const tableau = new TableauClient({
      serverUrl: sim.url, dispatcher, retry: FAST_RETRY,
      credentials: { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret },
    });
    const site = tableau.site('');
    await site.siteId();
    sim.setFaults({ faultTruncateRate: 1 });
    try {
      const result = await site.addUser({ name: 'late.answer@example.com', siteRole: 'Viewer' });
      expect(result).toMatchObject({ created: true, user: { name: 'late.answer@example.com', siteRole: 'Viewer' } });
    } finally {
      sim.setFaults({ faultTruncateRate: 0 });
      await tableau.close();
      await agent.close();
    }
    expect(sim.state().sites[0]!.users.filter((u) => u.name === 'late.answer@example.com')).toHaveLength(1);
    expect(tableau.stats().retries).toBe(1);
  });
});
