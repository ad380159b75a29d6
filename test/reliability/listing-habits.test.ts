/**
 * Real Tableau servers' listing habits, played by the simulator and met by the real CLI: listings that
 * promise more than they deliver (a short page, an empty page, or a 400006 past the real end) and
 * group members missing from the users listing complete the sync, equal to the simulator's state, with
 * counted warnings on the summary's `Warnings:` line. What would make the output wrong still fails
 * with one line, exit 1, and the previous file intact.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../pkg/tableau-sim/index.js';
import type { FaultOptions } from '../../pkg/tableau-sim/types.js';
import { decodeC1z } from '../acceptance/decode-c1z.js';
import { buildDist, runCli, type CliRun } from '../cli/run-cli.js';
import { expectSameModel, type State } from '../connector/expected.js';
import { sha256, startSim, syncArgs, tempDir, tempFilesIn } from './helpers.js';

const SYNC_TIMEOUT_MS = 120_000;
/** Exact habits: what every test goes back to. */
const EXACT: Partial<FaultOptions> = { overPromise: 0, overPromiseListings: '', pastEndEmpty: false, unlistedUsers: '' };

let sim: RunningSimulator;
let dir: string;
let state: State;

beforeAll(async () => {
  await buildDist();
  // Two full users pages (a users listing that over-promises asks for a third), "All Users" on two pages.
  sim = await startSim({ seed: 5, users: 2_000, groups: 6, memberships: 300 });
  state = sim.state() as unknown as State;
  dir = tempDir('baton-listing-habits-');
}, 180_000);

async function syncWith(habits: Partial<FaultOptions>, file: string): Promise<CliRun> {
  sim.setFaults({ ...EXACT, ...habits });
  try {
    return await runCli(syncArgs(sim, file), { timeoutMs: SYNC_TIMEOUT_MS });
  } finally {
    sim.setFaults(EXACT);
  }
}

/** The summary's warning count and the warning lines the log printed (level warn). */
function warningsOf(run: CliRun): { count: number; logged: string[] } {
  const count = Number(/^ {2}Warnings: (\d+)$/m.exec(run.stderr)?.[1] ?? NaN);
  const logged = run.stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: string; msg: string })
    .filter((line) => line.level === 'warn').map((line) => line.msg);
  return { count, logged };
}

describe('listings that over-promise end normally, with a counted warning', () => {
  it('a group member listing that over-promises: the sync completes and equals the simulator state', async () => {
    const file = join(dir, 'members.c1z');
    const run = await syncWith({ overPromise: 7, overPromiseListings: 'group-users' }, file);
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    expectSameModel((await decodeC1z(file)).walk, state);
    const { count, logged } = warningsOf(run);
    // Every group's member listing over-promises: one warning each, logged once.
    const groups = state.sites[0]!.groups;
    expect(count).toBe(groups.length);
    expect(logged).toHaveLength(groups.length);
    const allUsers = groups.find((g) => g.name === 'All Users')!;
    expect(logged).toContainEqual(`Tableau listing members of group "All Users" (${allUsers.id}) ended early: Tableau promised 2007 items, delivered 2000 (a known Tableau Server habit; the listing is complete)`);
    expect(run.stderr).toMatch(/^ {4}- Tableau listing members of group "/m);
  }, SYNC_TIMEOUT_MS);

  it('every listing over-promises and answers past its end with an empty page', async () => {
    const file = join(dir, 'empty-pages.c1z');
    const run = await syncWith({ overPromise: 3, pastEndEmpty: true }, file);
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    expectSameModel((await decodeC1z(file)).walk, state);
    const { count, logged } = warningsOf(run);
    const site = state.sites[0]!;
    // The users listing, the groups listing and each group's members.
    expect(count).toBe(2 + site.groups.length);
    expect(logged).toContainEqual(expect.stringMatching(/^Tableau listing users of site "" \(.+\) ended early: Tableau promised 2003 items, delivered 2000/));
    expect(logged).toContainEqual(expect.stringMatching(/^Tableau listing groups of site "" \(.+\) ended early: Tableau promised 10 items, delivered 7/));
  }, SYNC_TIMEOUT_MS);

  it('a 400006 past the real end of the users listing ends it, without reading any page twice', async () => {
    const file = join(dir, 'past-end.c1z');
    sim.resetStats();
    const run = await syncWith({ overPromise: 5, overPromiseListings: 'users' }, file);
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    expectSameModel((await decodeC1z(file)).walk, state);
    expect(sim.stats().byRoute['GET /sites/{}/users']).toBe(3);
    expect(warningsOf(run).logged).toEqual([expect.stringMatching(/^Tableau listing users of site "" \(.+\) ended early: Tableau promised 2005 items, delivered 2000/)]);
    expect(warningsOf(run).count).toBe(1);
  }, SYNC_TIMEOUT_MS);
});

describe('group members missing from the users listing', () => {
  it('get no grant, and each of their groups one warning', async () => {
    const site = state.sites[0]!;
    const allUsers = site.groups.find((g) => g.name === 'All Users')!;
    const gone = site.memberships.find((m) => m.groupId !== allUsers.id)!.userId;
    const file = join(dir, 'missing-members.c1z');
    const run = await syncWith({ unlistedUsers: gone }, file);
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    // What the sync must hold: the state without that user and its memberships (no dangling grant).
    const expected: State = { sites: [{ ...site, users: site.users.filter((u) => u.id !== gone), memberships: site.memberships.filter((m) => m.userId !== gone) }] };
    expectSameModel((await decodeC1z(file)).walk, expected);
    const groupsOfGone = site.memberships.filter((m) => m.userId === gone).map((m) => m.groupId);
    const { count, logged } = warningsOf(run);
    expect(count).toBe(groupsOfGone.length);
    expect(logged).toContainEqual(`group "All Users" (${allUsers.id}): 1 members are not in the users listing of site "" (removed or added during the sync?); no grants emitted for them`);
  }, SYNC_TIMEOUT_MS);
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const users = (doc: Json): Json[] => doc['users']['user'] as Json[];

/** Refused answers: each rewrites one page of the users listing (JSON, as the CLI asks for). */
const REFUSED: { name: string; page: number; problem: RegExp; edit: (doc: Json, firstUser: string) => void }[] = [
  { name: 'duplicate ids across pages', page: 2, problem: /is on page 1 and page 2/, edit: (d, first) => (users(d)[0]!['id'] = first) },
  { name: 'a page longer than its page size', page: 1, problem: /more than its page size 1000/, edit: (d) => users(d).push({ ...users(d)[0], id: '11111111-2222-4333-8444-555555555555' }) },
  { name: 'a non-numeric total', page: 1, problem: /totalAvailable is not a non-negative integer/, edit: (d) => (d['pagination']['totalAvailable'] = 'many') },
  { name: 'a negative total', page: 2, problem: /totalAvailable is not a non-negative integer/, edit: (d) => (d['pagination']['totalAvailable'] = '-1') },
  { name: 'a user without an id', page: 2, problem: /user without id/, edit: (d) => delete users(d)[3]!['id'] },
];

describe('answers that would make the output wrong still fail, leaving the previous file intact', () => {
  it.each(REFUSED.map((c) => [c.name, c] as const))('%s', async (_name, refused) => {
    const file = join(dir, 'previous.c1z');
    let firstUser = '';
    const clean = await runCli(syncArgs(sim, file), { timeoutMs: SYNC_TIMEOUT_MS });
    expect(clean.code, clean.stderr.slice(-800)).toBe(0);
    const before = sha256(file);
    sim.interceptResponses((request, response) => {
      if (request.route !== 'GET /sites/{}/users' || response.status !== 200) return undefined;
      const page = Number(request.url.searchParams.get('pageNumber') ?? '1');
      const doc = JSON.parse(response.body.toString('utf8')) as Json;
      if (page === 1) firstUser = String(users(doc)[0]!['id']);
      if (page !== refused.page) return undefined;
      refused.edit(doc, firstUser);
      return { ...response, body: Buffer.from(JSON.stringify(doc)) };
    });
    // Over-promising groups at the same time: tolerating one habit must not hide another's refusal.
    const run = await syncWith({ overPromise: 2, overPromiseListings: 'groups' }, file).finally(() => sim.interceptResponses(null));
    expect(run.code, run.stderr.slice(-1500)).toBe(1);
    const failures = run.stderr.split('\n').filter((line) => line.startsWith('baton-tableau: sync failed:'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(refused.problem);
    expect(sha256(file)).toBe(before);
    expect(tempFilesIn(dir)).toEqual([]);
  }, 2 * SYNC_TIMEOUT_MS);
});
