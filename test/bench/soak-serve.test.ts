/**
 * The serve soak script on a tiny world for one second, started from a foreign working directory:
 * it must find its simulator and service under dist/ by itself and print its JSON summary. No timing
 * or memory figure is asserted. Budget: a few seconds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDist } from '../cli/run-cli.js';

const soakJs = path.resolve('dist/bench/soak-serve.js');
const elsewhere = mkdtempSync(path.join(tmpdir(), 'soak-cwd-'));

beforeAll(() => buildDist(), 240_000);
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

function runSoak(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [soakJs, ...args], { cwd: elsewhere, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

it('runs from any working directory and reports the RPC mix', async () => {
  const run = await runSoak(['--seconds', '1', '--workers', '2', '--users', '60']);
  expect(run.stderr).not.toMatch(/^soak:/m);
  expect(run.code).toBe(0);
  const summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as { totalRpcs: number; seconds: number };
  expect(summary.seconds).toBe(1);
  expect(summary.totalRpcs).toBeGreaterThan(0);
}, 60_000);
