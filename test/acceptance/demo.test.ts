/**
 * Issue 5 acceptance, the demo: the built `npm start` script in an empty folder writes sync.c1z, prints
 * the organisation, the summary and the next commands; each `baton-tableau` command it suggests works on
 * the result as printed; and the file holds what the demo promises (two sites, legacy roles,
 * Unlicensed users shown as disabled). Budget: ~10 s after the build.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, buildDist, parseCsv, runCli } from '../cli/run-cli.js';
import { decodeC1z } from './decode-c1z.js';

let cwd: string;
let stdout: string;

beforeAll(async () => {
  await buildDist();
  cwd = mkdtempSync(join(tmpdir(), 'acceptance-demo-'));
  const run = await runCli([], { script: DEMO, cwd, timeoutMs: 60_000 });
  if (run.code !== 0) throw new Error(`the demo failed (${run.code}): ${run.stderr}`);
  stdout = run.stdout;
}, 240_000);

afterAll(() => {
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

/** The `npx baton-tableau …` lines under "Next, try:", as argument lists (without a trailing `| head`). */
function suggestedCommands(): string[][] {
  const next = stdout.slice(stdout.indexOf('Next, try:'));
  return next
    .split('\n')
    .map((line) => /^\s+npx baton-tableau (.*?)(\s*\|.*)?$/.exec(line)?.[1])
    .filter((args): args is string => args !== undefined)
    .map((args) => args.trim().split(/\s+/));
}

describe('demo (npm start)', () => {
  it('describes the organisation, writes sync.c1z and ends with the summary', () => {
    expect(stdout).toMatch(/Simulated Tableau Server at http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toMatch(/Default: \d+ users \(\d+ Unlicensed, \d+ on legacy roles\)/);
    expect(stdout).toMatch(/Sync finished in [\d.]+ s: .*sync\.c1z/);
    expect(stdout).toMatch(/\n {2}total +\d+ +\d+ +[\d,]+\n/);
    expect(statSync(join(cwd, 'sync.c1z')).size).toBeGreaterThan(1000);
  });

  it('every suggested baton-tableau command works on the result', async () => {
    const commands = suggestedCommands();
    expect(commands.map((c) => c[0])).toEqual(['dump', 'report', 'capabilities']);
    for (const args of commands) {
      const run = await runCli(args, { cwd, timeoutMs: 60_000 });
      expect([args.join(' '), run.code, run.stderr.includes('Error')]).toEqual([args.join(' '), 0, false]);
      if (args[0] === 'dump') expect(JSON.parse(run.stdout.split('\n')[0] ?? '')).toMatchObject({ kind: 'resource_type' });
    }
    const [header, ...rows] = parseCsv(readFileSync(join(cwd, 'access.csv'), 'utf8'));
    expect(header?.[0]).toBe('user');
    expect(rows.length).toBeGreaterThan(300);
  }, 180_000); // three CLI processes, each bounded at 60 s

  it('the file holds two sites, legacy-role entitlements and disabled Unlicensed users', async () => {
    const decoded = await decodeC1z(join(cwd, 'sync.c1z'));
    const sites = [...decoded.walk.resources.keys()].filter((k) => k.startsWith('site:'));
    expect(sites).toHaveLength(2);
    const slugs = new Set([...decoded.walk.grants.keys()].filter((g) => g.startsWith('site:')).map((g) => g.split(':')[2]));
    expect([...slugs].filter((s) => ['publisher', 'interactor', 'viewer with publish'].includes(s ?? ''))).not.toEqual([]);
    expect(slugs).toContain('unlicensed');
    expect([...decoded.users.values()].filter((u) => u.status === 2).length).toBeGreaterThan(0);
  });
});
