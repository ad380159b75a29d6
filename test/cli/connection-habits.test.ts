/**
 * The built CLI against simulators playing real servers' connection habits: the site Tableau signs in
 * to (letter case, another site), old servers, something that is not Tableau, and errors sent with
 * status 200. Each habit is tolerated or refused with its exact one-line message, and a refused sync
 * leaves the previous output file as it was.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type SimOptions } from '../../pkg/tableau-sim/index.js';
import { buildDist, runCli, type CliRun } from './run-cli.js';

const SMALL: SimOptions = { seed: 5, sites: 2, users: 12, groups: 2, memberships: 10 };
let dir: string;
let previous: string;
const sims: RunningSimulator[] = [];

beforeAll(async () => {
  await buildDist();
  dir = mkdtempSync(join(tmpdir(), 'baton-habits-'));
  previous = join(dir, 'previous.c1z');
  writeFileSync(previous, 'the output of an earlier sync');
}, 200_000);

afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function sim(opts: SimOptions = {}): Promise<RunningSimulator> {
  const started = await startSimulator({ ...SMALL, ...opts });
  sims.push(started);
  return started;
}

const pat = (s: RunningSimulator): string[] => ['--access-token-name', s.info.pat.name, '--access-token-secret', s.info.pat.secret];

/** A sync into a copy of the previous file; returns the run and whether the file is untouched. */
async function syncOver(s: RunningSimulator, args: string[], serverPath = s.url): Promise<CliRun & { intact: boolean }> {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.c1z`);
  copyFileSync(previous, file);
  const run = await runCli(['--server-path', serverPath, ...args, '-f', file, '--log-format', 'json'], { timeoutMs: 90_000 });
  return { ...run, intact: readFileSync(file, 'utf8') === 'the output of an earlier sync' };
}

/** The one line the CLI prints for a failed sync (log lines are JSON). */
function failureLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((line) => line.startsWith('baton-tableau: sync failed: '));
}

function expectRefused(run: CliRun & { intact: boolean }, line: RegExp): void {
  expect(run.code).toBe(1);
  const lines = failureLines(run);
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(run.intact).toBe(true);
}

describe('the site Tableau signed in to', () => {
  it('labels the site as Tableau spells it, whatever the letter case asked for', async () => {
    const s = await sim();
    const file = join(dir, 'case.c1z');
    const run = await runCli(['--server-path', s.url, ...pat(s), '--site-id', 'SITE2', '-f', file], { timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    const dump = await runCli(['dump', '-f', file], { timeoutMs: 60_000 });
    const site = dump.stdout.split('\n').find((line) => line.startsWith('{"kind":"resource","id":"site:'));
    expect(site).toContain('"content_url":"site2"');
    expect(dump.stdout).toContain('"site_content_url":"site2"');
    expect(dump.stdout).not.toContain('SITE2');
  }, 120_000);

  it('refuses a sign-in answered with another site, naming both', async () => {
    const s = await sim({ signInOtherSite: true });
    const other = s.info.sites[1]!;
    const run = await syncOver(s, pat(s));
    expectRefused(run, new RegExp(
      `^baton-tableau: sync failed: Tableau signed in to site "site2" \\(${other.id}\\) when asked for site the Default site \\(""\\); ` +
        'check --site-id and that the credentials belong to that site$',
    ));
  }, 120_000);
});

describe('old servers', () => {
  it('refuses a personal access token on REST API 2.5 in one line, before signing in', async () => {
    const s = await sim({ apiVersion: '2.5', productVersion: '10.2.0' });
    const run = await syncOver(s, pat(s));
    expectRefused(run, /^baton-tableau: sync failed: Tableau Server 10\.2\.0 \(REST API 2\.5\) does not support personal access tokens; personal access tokens need REST API 3\.6 \(Tableau Server 2019\.4\) or newer: sign in another way or upgrade Tableau Server$/);
    expect(s.stats().byRoute['POST /auth/signin']).toBeUndefined();
  }, 120_000);

  it('refuses a connected app on REST API 3.15', async () => {
    const s = await sim({ apiVersion: '3.15', productVersion: '2022.1.0' });
    const app = s.info.connectedApp;
    const run = await syncOver(s, ['--jwt-client-id', app.clientId, '--jwt-secret-id', app.secretId, '--jwt-secret-value', app.secretValue, '--jwt-username', app.username]);
    expectRefused(run, /^baton-tableau: sync failed: Tableau Server 2022\.1\.0 \(REST API 3\.15\) does not support connected apps \(JWT sign-in\); connected apps \(JWT sign-in\) need REST API 3\.17 \(Tableau Server 2022\.3\) or newer: sign in another way or upgrade Tableau Server$/);
  }, 120_000);

  it('names the release from the table when a forced --api-version is too old', async () => {
    const s = await sim();
    const run = await syncOver(s, [...pat(s), '--api-version', '3.5']);
    expectRefused(run, /^baton-tableau: sync failed: Tableau Server 2019\.3 \(REST API 3\.5\) does not support personal access tokens; /);
  }, 120_000);
});

describe('pointed at something that is not Tableau', () => {
  it('a login page (200 HTML): the URL tried, what came back and the fix', async () => {
    const s = await sim({ notTableau: 'login' });
    const run = await syncOver(s, pat(s));
    expectRefused(run, new RegExp(
      `^baton-tableau: sync failed: ${s.url}/api/2\\.4/serverinfo answered 200 text/html \\("Sign In - Example Corp SSO"\\), not Tableau's REST API; ` +
        'check --server-path: the host, and the path prefix when Tableau is served below one \\(e\\.g\\. https://host/tableau\\)$',
    ));
    expect(s.stats().total).toBe(0);
  }, 120_000);

  it('an HTML 404 page, e.g. a missing path prefix', async () => {
    const s = await sim({ notTableau: '404' });
    const run = await syncOver(s, pat(s), `${s.url}/wrong`);
    expectRefused(run, new RegExp(`^baton-tableau: sync failed: ${s.url}/wrong/api/2\\.4/serverinfo answered 404 text/html \\("404 Not Found"\\), not Tableau's REST API; check --server-path`));
  }, 120_000);

  it("a 404 that is not Tableau's (no Tableau error body)", async () => {
    const s = await sim();
    s.interceptResponses((req) => (req.route === 'GET /serverinfo'
      ? { status: 404, headers: { 'Content-Type': 'application/json' }, body: Buffer.from('{"message":"no route"}') }
      : undefined));
    const run = await syncOver(s, pat(s));
    expectRefused(run, new RegExp(`^baton-tableau: sync failed: ${s.url}/api/2\\.4/serverinfo answered 404 application/json, not Tableau's REST API; check --server-path`));
  }, 120_000);
});

describe('Tableau errors sent with status 200', () => {
  it("keep Tableau's code and summary: a refused sign-in is a refused sign-in", async () => {
    const s = await sim({ errorsWithStatus200: true });
    const run = await syncOver(s, ['--access-token-name', s.info.pat.name, '--access-token-secret', 'wrong-secret']);
    expectRefused(run, /^baton-tableau: sync failed: Tableau rejected the credentials; .*\(Tableau POST \/api\/3\.29\/auth\/signin answered 200 with an error: 401001: Signin Error/);
    expect(run.stderr).not.toContain('wrong-secret');
  }, 120_000);

  it('an expired session sent with 200 is signed in again, and the sync completes', async () => {
    const s = await sim({ errorsWithStatus200: true, sessionKillEvery: 5 });
    const file = join(dir, 'expired-200.c1z');
    const run = await runCli(['--server-path', s.url, ...pat(s), '-f', file], { timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(s.stats().byStatus['401']).toBeUndefined();
    expect(run.stdout + run.stderr).toMatch(/Tableau: \d+ requests, \d+ retries, \d+ rate-limited, ([2-9]|\d\d+) sign-ins/);
  }, 120_000);
});
