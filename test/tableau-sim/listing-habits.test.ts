/**
 * The simulator's real-server listing habits, switched at run time through `POST /_sim/faults` and
 * checked with plain fetch calls (not the client under test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { call, signInPat, type Signed } from './helpers.js';

let sim: RunningSimulator;
let me: Signed;

beforeAll(async () => {
  sim = await startSimulator({ seed: 4, users: 30, groups: 3, memberships: 20 });
  me = await signInPat(sim);
});
afterAll(async () => {
  await sim?.close();
});

const faults = (change: object) => call(sim, 'POST', '/_sim/faults', { body: change });
const EXACT = { overPromise: 0, overPromiseListings: '', pastEndEmpty: false, groupShape: 'standard', unlistedUsers: '' };

describe('tableau-sim: listing habits', () => {
  it('over-promises only the listings asked for, and answers past the real end with 400006 or an empty page', async () => {
    expect((await faults({ overPromise: 15, overPromiseListings: 'users' })).status).toBe(200);
    const users = (page: number) => call(sim, 'GET', `/sites/${me.siteId}/users?pageSize=20&pageNumber=${page}`, { token: me.token });
    const first = await users(1);
    expect(first.json.pagination).toEqual({ pageNumber: '1', pageSize: '20', totalAvailable: '45' });
    expect((await users(2)).json.users.user).toHaveLength(10);
    expect((await users(3)).json.error.code).toBe('400006');
    const groups = await call(sim, 'GET', `/sites/${me.siteId}/groups`, { token: me.token });
    expect(groups.json.pagination.totalAvailable).toBe('4');
    await faults({ pastEndEmpty: true });
    const past = await users(3);
    expect([past.status, past.json.pagination.totalAvailable, past.json.users]).toEqual([200, '45', {}]);
    expect((await users(4)).json.error.code).toBe('400006');
    await faults(EXACT);
  });

  it('leaves unlisted users out of the users listing but not out of their groups', async () => {
    const state = sim.state();
    const allUsers = state.sites[0]!.groups.find((g) => g.name === 'All Users')!;
    const gone = state.sites[0]!.users[3]!.id;
    await faults({ unlistedUsers: gone });
    const listed = await call(sim, 'GET', `/sites/${me.siteId}/users?pageSize=1000`, { token: me.token });
    expect(listed.json.pagination.totalAvailable).toBe(String(state.sites[0]!.users.length - 1));
    expect(listed.json.users.user.map((u: { id: string }) => u.id)).not.toContain(gone);
    const members = await call(sim, 'GET', `/sites/${me.siteId}/groups/${allUsers.id}/users?pageSize=1000`, { token: me.token });
    expect(members.json.users.user.map((u: { id: string }) => u.id)).toContain(gone);
    await faults(EXACT);
  });

  it('refuses unknown listing kinds and group shapes', async () => {
    expect(await faults({ overPromiseListings: 'users,projects' })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/unknown listing projects/) } });
    expect(await faults({ groupShape: 'round' })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/groupShape must be one of/) } });
    expect(await faults({ overPromise: -1 })).toMatchObject({ status: 400 });
  });
});
