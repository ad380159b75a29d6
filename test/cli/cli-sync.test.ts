/**
 * The built CLI against the in-process Tableau simulator: one-shot sync, dump, report, wrong
 * credentials, SIGKILL mid-sync and the demo. Budget: ~25 s after the build.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type SimState } from '../../pkg/tableau-sim/index.js';
import { DEMO, buildDist, finished, parseCsv, runCli, startCli, type CliRun } from './run-cli.js';

let sim: RunningSimulator;
let state: SimState;
let dir: string;
let file: string;
let firstSyncStderr: string;

function credentialArgs(secret = sim.info.pat.secret): string[] {
  return ['--server-path', sim.url, '--access-token-name', sim.info.pat.name, '--access-token-secret', secret];
}

/**
 * Starts a slowed-down sync into `target` and sends `signal` once the run is visibly under way (it has
 * made a few Tableau calls), bounded by a deadline.
 */
async function interruptMidSync(target: string, signal: NodeJS.Signals): Promise<CliRun> {
  sim.setFaults({ latencyMs: 40 });
  try {
    sim.resetStats();
    const child = startCli([...credentialArgs(), '--all-sites', '-f', target, '--concurrency', '1']);
    const done = finished(child, 60_000);
    const deadline = Date.now() + 20_000;
    while (sim.stats().total < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill(signal);
    return await done;
  } finally {
    sim.setFaults({ latencyMs: 0 });
  }
}

interface DumpLine {
  kind: string;
  id: string;
  [key: string]: unknown;
}

beforeAll(async () => {
  await buildDist();
  sim = await startSimulator({ seed: 11, sites: 2, users: 40, groups: 4, memberships: 80 });
  state = sim.state();
  dir = mkdtempSync(join(tmpdir(), 'cli-sync-'));
  file = join(dir, 'sync.c1z');
  const run = await runCli([...credentialArgs(), '--all-sites', '-f', file, '--log-format', 'json']);
  if (run.code !== 0) throw new Error(`the initial sync failed: ${run.stderr}`);
  firstSyncStderr = run.stderr;
}, 300_000);

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('one-shot sync', () => {
  it('writes a c1z whose dump lists every user, group and membership of the simulator', async () => {
    expect(statSync(file).size).toBeGreaterThan(0);
    const run = await runCli(['dump', '-f', file]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as DumpLine);
    const ids = new Set(lines.map((l) => `${l.kind} ${l.id}`));
    for (const site of state.sites) {
      expect(ids).toContain(`resource site:${site.id}`);
      for (const user of site.users) expect(ids).toContain(`resource user:${user.id}`);
      for (const group of site.groups) expect(ids).toContain(`resource group:${group.id}`);
      for (const m of site.memberships) expect(ids).toContain(`grant group:${m.groupId}:member:user:${m.userId}`);
    }
    const memberships = state.sites.reduce((n, s) => n + s.memberships.length, 0);
    expect(lines.filter((l) => l.kind === 'grant' && l.id.startsWith('group:'))).toHaveLength(memberships);
    const user = lines.find((l) => l.kind === 'resource' && l.id.startsWith('user:'));
    expect(user?.['resource']).toMatchObject({ id: { resourceType: 'user' }, annotations: [{ '@type': 'type.googleapis.com/c1.connector.v2.UserTrait' }] });
  });

  it('ends with a summary on stderr and structured logs in JSON mode', async () => {
    const users = state.sites.reduce((n, s) => n + s.users.length, 0);
    expect(firstSyncStderr).toMatch(/Sync finished in [\d.]+ s: /);
    expect(firstSyncStderr).toContain(`s: ${file} (`);
    expect(firstSyncStderr).toMatch(new RegExp(`\\n  user +${users} +0 +0\\n`));
    expect(firstSyncStderr).toMatch(/Tableau: \d+ requests, \d+ retries/);
    const logs = firstSyncStderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const dumped = (await runCli(['dump', '-f', file])).stdout.trim().split('\n').map((l) => (JSON.parse(l) as DumpLine).kind);
    const stored = (kind: string): number => dumped.filter((k) => k === kind).length;
    const counts = { resourceTypes: stored('resource_type'), resources: stored('resource'), entitlements: stored('entitlement'), grants: stored('grant') };
    expect(logs.find((l) => l['msg'] === 'sync finished')).toMatchObject({ level: 'info', file, counts });
  });

  it('dumps in a stable order: by kind, then id', async () => {
    const run = await runCli(['dump', '-f', file]);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as DumpLine);
    const kinds = ['resource_type', 'resource', 'entitlement', 'grant'];
    const keys = lines.map((l) => [kinds.indexOf(l.kind), l.id] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    expect(keys).toEqual(sorted);
    expect((await runCli(['dump', '-f', file])).stdout).toBe(run.stdout);
  });

  it('report rows match the simulator state', async () => {
    const csvPath = join(dir, 'access.csv');
    const run = await runCli(['report', '-f', file, '--csv', csvPath]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Access review of .*: 80 user rows on 2 sites/);
    const [header, ...rows] = parseCsv(readFileSync(csvPath, 'utf8'));
    expect(header).toEqual(['user', 'email', 'full_name', 'site', 'site_role', 'license_tier', 'status', 'last_login', 'groups', 'user_id', 'site_id']);
    expect(rows).toHaveLength(state.sites.reduce((n, s) => n + s.users.length, 0));
    const byId = new Map(rows.map((r) => [r[9], r]));
    for (const site of state.sites) {
      const groupName = new Map(site.groups.map((g) => [g.id, g.name]));
      for (const user of site.users) {
        const row = byId.get(user.id);
        expect(row?.slice(0, 5)).toEqual([user.name, user.email, user.fullName, site.name, user.siteRole]);
        expect(row?.[7]).toBe(user.lastLogin ?? '');
        const groups = site.memberships.filter((m) => m.userId === user.id).map((m) => groupName.get(m.groupId) ?? '');
        expect((row?.[8] ?? '').split(';').filter((g) => g !== '').sort()).toEqual(groups.sort());
        expect(row?.[6]).toBe(['Unlicensed', 'UnlicensedWithPublish'].includes(user.siteRole) ? 'disabled' : 'enabled');
      }
    }
  });

  it('report without --csv writes the CSV to stdout', async () => {
    const run = await runCli(['report', '-f', file]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('user,email,')).toBe(true);
    expect(run.stderr).toContain('Site roles');
  });
  it('report --csv replaces the file by rename (a hard link to the old CSV keeps it) and leaves no temp', async () => {
    const csvDir = mkdtempSync(join(dir, 'csv-'));
    const csvPath = join(csvDir, 'access.csv');
    writeFileSync(csvPath, 'previous review\r\n');
    linkSync(csvPath, join(csvDir, 'kept.csv'));
    writeFileSync(join(csvDir, '.access.csv.tmp-999999999-abcdef.csv'), 'left by a killed run');
    const run = await runCli(['report', '-f', file, '--csv', csvPath]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(csvDir, 'kept.csv'), 'utf8')).toBe('previous review\r\n');
    expect(readFileSync(csvPath, 'utf8').startsWith('user,email,')).toBe(true);
    expect(readdirSync(csvDir).sort()).toEqual(['access.csv', 'kept.csv']);
  });

  it('report --csv into a missing folder is a usage error', async () => {
    const run = await runCli(['report', '-f', file, '--csv', join(dir, 'no-such-folder', 'access.csv')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/usage error \(1 problem\):\n {2}- --csv .*no-such-folder.* does not exist/);
    expect(run.stdout).toBe('');
  });
});

describe('failures', () => {
  it('wrong credentials exit 1 with a clear message and no secret', async () => {
    const wrong = 'definitely-wrong-secret-4711';
    const target = join(dir, 'never.c1z');
    const run = await runCli([...credentialArgs(wrong), '-f', target, '--log-level', 'debug', '--log-format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/rejected the credentials/);
    expect(run.stdout).toBe('');
    for (const out of [run.stdout, run.stderr]) {
      expect(out).not.toContain(wrong);
      expect(out).not.toContain(sim.info.pat.secret);
      expect(out).not.toMatch(/x-tableau-auth"?\s*[:=]\s*"?[A-Za-z0-9]/i);
    }
    expect(existsSync(target)).toBe(false);
  });

  it('a sync killed with SIGKILL leaves the earlier file byte-identical', async () => {
    const target = join(dir, 'kill.c1z');
    copyFileSync(file, target);
    const before = createHash('sha256').update(readFileSync(target)).digest('hex');
    const run = await interruptMidSync(target, 'SIGKILL');
    expect(run.signal).toBe('SIGKILL');
    expect(createHash('sha256').update(readFileSync(target)).digest('hex')).toBe(before);
  });

  it('SIGTERM mid-sync aborts cleanly: exit 1, earlier file untouched, no temp files left', async () => {
    const sub = mkdtempSync(join(dir, 'term-'));
    const target = join(sub, 'term.c1z');
    copyFileSync(file, target);
    const before = readFileSync(target);
    const run = await interruptMidSync(target, 'SIGTERM');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/SIGTERM received/);
    expect(run.stderr).toContain(`sync failed: interrupted; ${target} was left as it was`);
    expect(readFileSync(target).equals(before)).toBe(true);
    expect(readdirSync(sub)).toEqual(['term.c1z']);
  });

  it('dump of a missing file fails with a clear message', async () => {
    const run = await runCli(['dump', '-f', join(dir, 'missing.c1z')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/missing\.c1z does not exist/);
  });
});

describe('TLS', () => {
  it('trusts the simulator only with --ca-file', async () => {
    const tls = await startSimulator({ seed: 3, users: 5, groups: 1, memberships: 5, tls: true });
    try {
      const args = ['--server-path', tls.url, '--access-token-name', tls.info.pat.name, '--access-token-secret', tls.info.pat.secret];
      const untrusted = await runCli([...args, '-f', join(dir, 'untrusted.c1z')]);
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr).toMatch(/sync failed: Tableau's TLS certificate is not trusted; give its CA certificate with --ca-file/);
      const trusted = await runCli([...args, '--ca-file', tls.info.caCertFile ?? '', '-f', join(dir, 'tls.c1z')]);
      expect(trusted.stderr).toContain('Sync finished');
      expect(trusted.code).toBe(0);
    } finally {
      await tls.close();
    }
  });
});

describe('demo (npm start)', () => {
  it('writes sync.c1z in the current directory and shows the next commands', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-demo-'));
    try {
      const run = await runCli([], { script: DEMO, cwd, timeoutMs: 60_000 });
      expect(run.code).toBe(0);
      expect(statSync(join(cwd, 'sync.c1z')).size).toBeGreaterThan(1000);
      expect(run.stdout).toContain('Sync finished');
      expect(run.stdout).toContain('npx baton-tableau dump -f sync.c1z | head');
      expect(run.stdout).toContain('npx baton-tableau report -f sync.c1z --csv access.csv');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000); // the demo process inside is bounded at 60 s
});
