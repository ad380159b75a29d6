import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { TableauClient, type TableauUser } from '../../pkg/tableau/index.js';
import { group, luid, scenario, site } from './scenario.js';

// Sites "s0", "s1", "s1000" hold the admin plus 0 / 1 / 999 users (1, 2, 1000 in all); "big" holds 1001.
// A group on "big" has 1001 members, one has 1000, one has none.
let sim: RunningSimulator;
let tableau: TableauClient;
const SIZES: Record<string, number> = { s0: 0, s1: 1, s1000: 999, big: 1000 };

beforeAll(async () => {
  const big = site(4, 'big', 1000, {
    groups: [group(4, 1, 'Everyone else'), group(4, 2, 'Thousand'), group(4, 3, 'Empty')],
  });
  big.memberships = big.users.flatMap((user, i) => [
    { groupId: luid(4 * 16 + 2, 1), userId: user.id },
    ...(i < 1000 ? [{ groupId: luid(4 * 16 + 2, 2), userId: user.id }] : []),
  ]);
  sim = await startSimulator({ data: scenario(site(0, '', 0), site(1, 's0', 0), site(2, 's1', 1), site(3, 's1000', 999), big) });
  tableau = new TableauClient({ serverUrl: sim.url, credentials: { kind: 'password', username: sim.info.admin.username, password: sim.info.admin.password } });
});

afterAll(async () => {
  await tableau.close();
  await sim.close();
});

async function all<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of gen) out.push(item);
  return out;
}

function stateUsers(contentUrl: string): string[] {
  return sim.state().sites.find((s) => s.contentUrl === contentUrl)!.users.map((u) => u.name).sort();
}

describe('full listings against the simulator', () => {
  for (const [contentUrl, extra] of Object.entries(SIZES)) {
    const total = extra + 1;
    it(`lists ${total} users of site "${contentUrl}" in ${Math.ceil(total / 1000)} request(s), sorted, exactly`, async () => {
      sim.resetStats();
      const users: TableauUser[] = await all(tableau.site(contentUrl).users());
      expect(users.map((u) => u.name)).toEqual(stateUsers(contentUrl));
      expect(sim.stats().byRoute['GET /sites/{}/users']).toBe(Math.ceil(total / 1000));
    });
  }

  it('an empty group is one request; 1000 members one; 1001 members two, in order', async () => {
    const big = tableau.site('big');
    sim.resetStats();
    expect(await all(big.groupUsers(luid(4 * 16 + 2, 3)))).toEqual([]);
    expect(sim.stats().byRoute['GET /sites/{}/groups/{}/users']).toBe(1);
    const thousand = await all(big.groupUserPages(luid(4 * 16 + 2, 2)));
    expect(thousand.map((p) => p.items.length)).toEqual([1000]);
    const pages = await all(big.groupUserPages(luid(4 * 16 + 2, 1)));
    expect(pages.map((p) => [p.pagination.pageNumber, p.items.length])).toEqual([[1, 1000], [2, 1]]);
    const names = pages.flatMap((p) => p.items.map((u) => u.name));
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(1001);
    expect(sim.stats().byRoute['GET /sites/{}/groups/{}/users']).toBe(4);
  });

  it('page methods honour pageNumber/pageSize and report the last page', async () => {
    const page = await tableau.site('big').listUsers({ pageSize: 400, pageNumber: 3, sort: 'name:asc' });
    expect(page.pagination).toEqual({ pageNumber: 3, pageSize: 400, totalAvailable: 1001 });
    expect(page.items).toHaveLength(201);
    expect(page.items.at(-1)!.name).toBe(stateUsers('big').at(-1));
  });

  it('groups() lists every group of the site, All Users included', async () => {
    const groups = await all(tableau.site('big').groups());
    expect(groups.map((g) => g.name).sort()).toEqual(sim.state().sites.find((s) => s.contentUrl === 'big')!.groups.map((g) => g.name).sort());
    expect(groups.find((g) => g.name === 'All Users')?.userCount).toBe(1001);
  });
});
