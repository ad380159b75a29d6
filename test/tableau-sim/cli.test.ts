import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimInfo } from '../../pkg/tableau-sim/index.js';
import { scenario } from './helpers.js';

const ROOT = process.cwd();
const CLI = resolve(ROOT, 'dist/pkg/tableau-sim/cli.js');
const SRC = resolve(ROOT, 'pkg/tableau-sim');

function distIsStale(): boolean {
  if (!existsSync(CLI)) return true;
  const built = statSync(CLI).mtimeMs;
  return readdirSync(SRC).some((f) => statSync(join(SRC, f)).mtimeMs > built);
}

interface Started {
  child: ChildProcess;
  info: SimInfo;
  stdout: () => string;
  exit: Promise<number | null>;
}

/** Spawns the CLI and resolves with its JSON line (bounded: fails after 30 s). */
function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tableau-sim did not start: ${err}`));
    }, 30_000);
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n') && timer) {
        clearTimeout(timer);
        resolveStart({ child, info: JSON.parse(out.split('\n')[0] as string) as SimInfo, stdout: () => out, exit });
      }
    });
    void exit.then((code) => reject(new Error(`tableau-sim exited early (${code}): ${err}`)));
  });
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 10_000));
  const result = await Promise.race([started.exit, timeout]);
  if (result === 'timeout') started.child.kill('SIGKILL');
  return result === 'timeout' ? -1 : result;
}

describe('tableau-sim CLI', () => {
  beforeAll(() => {
    // tsc emits even when files outside this package have type errors, so its exit code is ignored.
    if (distIsStale()) spawnSync(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
    expect(existsSync(CLI)).toBe(true);
  }, 120_000);

  it('prints exactly one JSON line, serves the API and exits 0 on SIGTERM', async () => {
    const sim = await startCli(['--users', '20', '--groups', '2', '--memberships', '10', '--seed', '5', '--sites', '2']);
    expect(Object.keys(sim.info).sort()).toEqual(['admin', 'apiVersion', 'caCertFile', 'connectedApp', 'pat', 'sites', 'url']);
    expect(sim.info.caCertFile).toBeNull();
    expect(sim.info.sites.map((s) => s.contentUrl)).toEqual(['', 'site2']);
    const res = await request(`${sim.info.url}/api/3.29/serverinfo`, { headers: { accept: 'application/json' } });
    expect(((await res.body.json()) as { serverInfo: { restApiVersion: string } }).serverInfo.restApiVersion).toBe('3.29');
    expect(await stop(sim)).toBe(0);
    expect(sim.stdout().trim().split('\n')).toHaveLength(1);
  });

  it('--tls serves HTTPS with a certificate trusted through caCertFile', async () => {
    const sim = await startCli(['--tls', '--users', '5', '--groups', '1', '--memberships', '2']);
    expect(sim.info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = readFileSync(sim.info.caCertFile as string, 'utf8');
    const dispatcher = new Agent({ connect: { ca } });
    const res = await request(`${sim.info.url}/api/3.29/serverinfo`, { dispatcher });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toContain('<restApiVersion>3.29</restApiVersion>');
    await dispatcher.close();
    expect(await stop(sim)).toBe(0);
  });

  it('--data loads an exact scenario; bad flags fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-data-'));
    try {
      const file = join(dir, 'scenario.json');
      const data = scenario(3);
      writeFileSync(file, JSON.stringify(data));
      const sim = await startCli(['--data', file]);
      const res = await request(`${sim.info.url}/_sim/state`);
      const state = (await res.body.json()) as { sites: { users: { id: string }[] }[] };
      expect(state.sites[0]?.users.map((u) => u.id)).toEqual(data.sites[0]?.users.map((u) => u.id));
      expect(await stop(sim)).toBe(0);
      const bad = spawnSync(process.execPath, [CLI, '--no-such-flag'], { timeout: 20_000 });
      expect(bad.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
