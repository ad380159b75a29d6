/**
 * Issue 5 acceptance: the built one-shot CLI (a child process) against the simulator at full size
 * (2 sites, 20,000 users each). The c1z, decoded independently (fzstd + sql.js + protobufjs), equals
 * `/_sim/state`; `dump` and `report --csv` agree with it; SIGKILL mid-sync leaves the earlier file
 * byte-identical; usage errors exit 2 naming every problem; wrong credentials exit 1 with no secret.
 * A PAT sync of 2 sites moves its one session with at most one switchSite per site per phase.
 * Budget: ~70 s after the build.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { buildDist, finished, parseCsv, runCli, startCli } from '../cli/run-cli.js';
import { expectSameModel, type State } from '../connector/expected.js';
import { decodeC1z, type DecodedC1z } from './decode-c1z.js';

const USERS_PER_SITE = 20_000;
const SYNC_TIMEOUT_MS = 120_000;
/** Per-test budget: one or two full syncs plus decoding, on a loaded 2-core host (idle: ~20 s each). */
const TEST_TIMEOUT_MS = 240_000;
/** Sign-in on the first site, then one switchSite per site in Validate, resources and grants. */
const MAX_SWITCHES_FOR_TWO_SITES = 5;

let sim: RunningSimulator;
let state: State;
let dir: string;
let namedSitesFile: string;
/** The decoded file of the first test, shared by the ones that compare other outputs with it. */
let namedSitesDecoded: DecodedC1z | undefined;

function credentials(secret = sim.info.pat.secret): string[] {
  return ['--server-path', sim.url, '--access-token-name', sim.info.pat.name, '--access-token-secret', secret];
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

async function syncInto(file: string, siteArgs: string[]): Promise<void> {
  const run = await runCli([...credentials(), ...siteArgs, '-f', file, '--log-format', 'json'], { timeoutMs: SYNC_TIMEOUT_MS });
  if (run.code !== 0) throw new Error(`sync failed (${run.code}): ${run.stderr.slice(-2000)}`);
}

/** Every user decoded from the file carries the login, email, site and status of the simulator's user. */
function expectSameUsers(decoded: DecodedC1z): void {
  const mismatches: string[] = [];
  for (const site of state.sites) {
    for (const user of site.users) {
      const got = decoded.users.get(user.id);
      const disabled = user.siteRole === 'Unlicensed' || user.siteRole === 'UnlicensedWithPublish';
      const want = { login: user.name, emails: user.email.includes('@') ? [user.email] : [], status: disabled ? 2 : 1, parentSite: site.id };
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${user.id}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
    }
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
}

/** Dump lines start `{"kind":"…","id":"…"`; reading just that keeps a ~150 MB dump cheap to check. */
const DUMP_LINE_START = /^\{"kind":"([a-z_]+)","id":("(?:[^"\\]|\\.)*")/;

/** `kind id` of every line `dump` prints, read as a stream. */
async function dumpedIds(file: string): Promise<{ ids: Set<string>; code: number | null }> {
  const child = startCli(['dump', '-f', file]);
  const ids = new Set<string>();
  const lines = createInterface({ input: child.stdout! });
  const done = finished(child, SYNC_TIMEOUT_MS);
  for await (const line of lines) {
    const start = DUMP_LINE_START.exec(line);
    if (!start) throw new Error(`unexpected dump line: ${line.slice(0, 200)}`);
    ids.add(`${start[1]} ${JSON.parse(start[2] ?? '""') as string}`);
  }
  return { ids, code: (await done).code };
}

beforeAll(async () => {
  await buildDist();
  sim = await startSimulator({ seed: 21, sites: 2, users: USERS_PER_SITE, groups: 100, memberships: 15_000 });
  state = sim.state() as unknown as State;
  dir = mkdtempSync(join(tmpdir(), 'acceptance-cli-'));
  namedSitesFile = join(dir, 'named.c1z');
}, 300_000);

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('one-shot sync of 2 sites × 20,000 users', () => {
  it('--site-id "" --site-id site2: the independently decoded c1z equals the simulator state', async () => {
    expect(state.sites.map((s) => [s.contentUrl, s.users.length])).toEqual([['', USERS_PER_SITE], ['site2', USERS_PER_SITE]]);
    sim.resetStats();
    await syncInto(namedSitesFile, ['--site-id', '', '--site-id', 'site2']);
    const switches = sim.stats().byRoute['POST /auth/switchSite'] ?? 0;
    const decoded = await decodeC1z(namedSitesFile);
    namedSitesDecoded = decoded;
    expect(decoded.syncRuns).toBe(1);
    expectSameModel(decoded.walk, state);
    expectSameUsers(decoded);
    expect(switches).toBeGreaterThanOrEqual(1);
    expect(switches).toBeLessThanOrEqual(MAX_SWITCHES_FOR_TWO_SITES);
  }, TEST_TIMEOUT_MS);

  it('dump prints exactly the records of the decoded file', async () => {
    const decoded = namedSitesDecoded ?? (await decodeC1z(namedSitesFile));
    const dump = await dumpedIds(namedSitesFile);
    expect(dump.code).toBe(0);
    expect(dump.ids.size).toBe(decoded.recordIds.size);
    expect([...decoded.recordIds].filter((id) => !dump.ids.has(id)).slice(0, 5)).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it('report --csv has one row per user and site, matching the state', async () => {
    const csvPath = join(dir, 'access.csv');
    const run = await runCli(['report', '-f', namedSitesFile, '--csv', csvPath], { timeoutMs: SYNC_TIMEOUT_MS });
    expect(run.code).toBe(0);
    const [header, ...rows] = parseCsv(readFileSync(csvPath, 'utf8'));
    const column = (name: string): number => header?.indexOf(name) ?? -1;
    expect(rows).toHaveLength(2 * USERS_PER_SITE);
    const rowOf = new Map(rows.map((r) => [`${r[column('site_id')]} ${r[column('user_id')]}`, r]));
    const mismatches: string[] = [];
    for (const site of state.sites) {
      const groupName = new Map(site.groups.map((g) => [g.id, g.name]));
      const groupsOf = new Map<string, string[]>();
      for (const m of site.memberships) groupsOf.set(m.userId, [...(groupsOf.get(m.userId) ?? []), groupName.get(m.groupId) ?? '?']);
      for (const user of site.users) {
        const row = rowOf.get(`${site.id} ${user.id}`);
        const got = row && [row[column('user')], row[column('email')], row[column('site')], row[column('site_role')], row[column('last_login')],
          (row[column('groups')] ?? '').split(';').filter((g) => g !== '').sort().join(';')];
        const want = [user.name, user.email, site.name, user.siteRole, user.lastLogin ?? '', (groupsOf.get(user.id) ?? []).sort().join(';')];
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${user.id}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it('SIGKILL mid-sync leaves the earlier file byte-identical; the next --all-sites run cleans up and equals the state', async () => {
    const sub = mkdtempSync(join(dir, 'kill-'));
    const target = join(sub, 'sync.c1z');
    copyFileSync(namedSitesFile, target);
    const before = sha256(target);
    sim.resetStats();
    const child = startCli([...credentials(), '--all-sites', '-f', target]);
    const done = finished(child, SYNC_TIMEOUT_MS);
    // Kill it in the middle of the users listing (40 pages in all), bounded by a deadline.
    const deadline = Date.now() + 60_000;
    while ((sim.stats().byRoute['GET /sites/{}/users'] ?? 0) < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    expect(sha256(target)).toBe(before);

    sim.resetStats();
    await syncInto(target, ['--all-sites']);
    expect(readdirSync(sub)).toEqual(['sync.c1z']);
    expect(sim.stats().byRoute['POST /auth/switchSite'] ?? 0).toBeLessThanOrEqual(MAX_SWITCHES_FOR_TWO_SITES);
    const decoded = await decodeC1z(target);
    expectSameModel(decoded.walk, state);
    expectSameUsers(decoded);
  }, TEST_TIMEOUT_MS);
});

describe('failures at full size', () => {
  it('bad flags exit 2 naming each one, before any request to Tableau', async () => {
    sim.resetStats();
    const run = await runCli([...credentials(), '--site-id', 'site2', '--all-sites', '--log-level', 'loud', '--log-format', 'yaml', '--no-such-flag']);
    expect(run.code).toBe(2);
    for (const named of ['mutually exclusive', '--log-level "loud"', '--log-format "yaml"', 'unknown flag --no-such-flag']) {
      expect(run.stderr).toContain(named);
    }
    expect(run.stderr).toMatch(/usage error \(4 problems\)/);
    expect(run.stdout + run.stderr).not.toContain(sim.info.pat.secret);
    expect(sim.stats().total).toBe(0);
  });

  it('wrong credentials exit 1 with a clear message and no secret, leaving no file', async () => {
    const wrong = `${sim.info.pat.secret.slice(0, -4)}0000`;
    const target = join(dir, 'never.c1z');
    const run = await runCli([...credentials(wrong), '--all-sites', '-f', target, '--log-level', 'debug', '--log-format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/rejected the credentials/);
    for (const secret of [wrong, sim.info.pat.secret, wrong.split(':')[1] ?? wrong]) expect(run.stdout + run.stderr).not.toContain(secret);
    expect(readdirSync(dir)).not.toContain('never.c1z');
  });
});
