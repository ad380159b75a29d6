/**
 * Thirty malformed Tableau responses served by the real simulator (its response hook rewrites one
 * route): each must end the CLI sync with exit 1 and one clear line naming the endpoint — no crash, no
 * stack trace, no output file and no temp file left behind.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { buildDist, runCli } from '../cli/run-cli.js';
import { startSim, syncArgs, tempDir, tempFilesIn } from './helpers.js';
import { MALFORMED_CASES, firstUserId, type MalformedCase } from './malformed-cases.js';

let sim: RunningSimulator;
let dir: string;
let pageOneFirstUser = '';
let pageOneFirstMember = '';

beforeAll(async () => {
  await buildDist();
  // Three users pages of 1,000, a few groups: every listing the cases corrupt exists.
  sim = await startSim({ seed: 3, users: 2_500, groups: 4, memberships: 200 });
  dir = tempDir();
  sim.interceptResponses((request, response) => {
    const pageOne = (request.url.searchParams.get('pageNumber') ?? '1') === '1';
    if (request.route === 'GET /sites/{}/users' && pageOne) pageOneFirstUser = firstUserId(response.body.toString('utf8'));
    const body = response.body.toString('utf8');
    if (request.route === 'GET /sites/{}/groups/{}/users' && pageOne && /"totalAvailable":"\d{4,}"/.test(body)) {
      pageOneFirstMember = firstUserId(body);
    }
    return undefined;
  });
  const clean = await runCli(syncArgs(sim, join(dir, 'clean.c1z')), { timeoutMs: 120_000 });
  expect(clean.code, clean.stderr).toBe(0);
  expect(pageOneFirstUser).toMatch(/^[0-9a-f-]{36}$/);
  expect(pageOneFirstMember).toMatch(/^[0-9a-f-]{36}$/);
}, 300_000); // buildDist may wait for the other worker's compile, then compile: minutes on a busy host

function corrupt(testCase: MalformedCase): () => number {
  let rewritten = 0;
  sim.interceptResponses((request, response) => {
    if (request.route !== testCase.route || response.status !== 200) return undefined;
    const page = Number(request.url.searchParams.get('pageNumber') ?? '1');
    if (testCase.page !== undefined && page !== testCase.page) return undefined;
    rewritten++;
    const out = testCase.rewrite(response.body.toString('utf8'), { page, pageOneFirstUser, pageOneFirstMember });
    const contentType = out.contentType ?? response.headers['Content-Type'] ?? 'application/xml';
    return { status: 200, headers: { ...response.headers, 'Content-Type': contentType }, body: Buffer.from(out.body) };
  });
  return () => rewritten;
}

describe('malformed Tableau responses end the sync cleanly', () => {
  expect(MALFORMED_CASES.length).toBeGreaterThanOrEqual(30);

  it.each(MALFORMED_CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, testCase, index) => {
    const rewritten = corrupt(testCase);
    const file = join(dir, `case-${index}.c1z`);
    const run = await runCli(syncArgs(sim, file), { timeoutMs: 120_000 });
    sim.interceptResponses(null);

    expect(rewritten(), run.stderr.slice(-600)).toBeGreaterThan(0);
    expect(run.signal).toBeNull();
    expect(run.code, run.stderr.slice(-600)).toBe(1);
    const failure = run.stderr.split('\n').find((line) => line.startsWith('baton-tableau: sync failed:'));
    expect(failure, run.stderr.slice(-1500)).toBeDefined();
    expect(failure).toContain(testCase.endpoint);
    if (testCase.problem) expect(failure).toMatch(testCase.problem);
    expect(failure!.length).toBeLessThan(2_000);
    // No stack trace and no crash report anywhere on stderr.
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n|Uncaught|FATAL ERROR|heap out of memory/);
    expect(existsSync(file)).toBe(false);
    expect(tempFilesIn(dir)).toEqual([]);
  }, 180_000); // the CLI run inside may take up to its own 120 s bound
});
