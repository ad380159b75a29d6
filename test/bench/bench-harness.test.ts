/**
 * The benchmark harness end to end on a tiny scenario (200 users, one run, no grant burst): the
 * simulator and the CLI run as processes, the request count is checked against the minimum computed
 * from the simulator's state, and results.json is written. No timing is asserted. Budget: ~10 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../cli/run-cli.js';

const runJs = path.resolve('dist/bench/run.js');
const dir = mkdtempSync(path.join(tmpdir(), 'bench-test-'));

beforeAll(() => buildDist(), 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runBench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runJs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

describe('npm run bench --quick on a tiny scenario', () => {
  it('runs the CLI and the floor script, makes exactly the minimum requests, writes results.json', async () => {
    const out = path.join(dir, 'results.json');
    const run = await runBench(['--quick', '--only', 'T200', '--no-grants', '--out', out]);
    expect(run.stderr).not.toMatch(/^bench:/m);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\| T200 /m);
    expect(run.stdout).toMatch(/^PASS {2}T200 requests = minimum/m);
    const results = JSON.parse(readFileSync(out, 'utf8')) as {
      scenarios: { minimumRequests: number; runs: { requests: number; records: number; peakRssMb: number; byRoute: Record<string, number> }[]; floorRunsMs: number[] }[];
    };
    const [scenario] = results.scenarios;
    // 200 users, 6 groups (All Users included), each group's members fit one page, the identity pools
    // asked once: 3 + 1 + 1 + 6 + 1 + 1.
    expect(scenario?.minimumRequests).toBe(13);
    expect(scenario?.runs[0]?.requests).toBe(13);
    expect(scenario?.runs[0]?.byRoute['GET /sites/{}/groups/{}/users']).toBe(6);
    expect(scenario?.runs[0]?.records).toBeGreaterThan(200);
    expect(scenario?.runs[0]?.peakRssMb).toBeGreaterThan(10);
    expect(scenario?.floorRunsMs).toHaveLength(1);
  });
});
