/**
 * Service-mode tests start the real built CLI the way ConductorOne's Kubernetes recipe does: no
 * arguments, configuration only in the environment, pointed at the fake ConductorOne
 * (BATON_C1_API_HOST, its CA trusted through NODE_EXTRA_CA_CERTS) and at the Tableau simulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { CLI } from '../cli/run-cli.js';
import type { FakeC1, TestClient } from '../support/fake-c1/index.js';

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Everything written to stderr so far (JSON log lines and plain lines). */
  stderr(): string;
  /** The JSON log lines so far, parsed. */
  logs(): Record<string, unknown>[];
  readonly exit: Promise<number | null>;
  /** Sends `signal` and waits (bounded) for the exit code. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** The temp folder the process uses for its c1z files (TMPDIR). */
  readonly tempDir: string;
}

export interface SpawnOptions {
  fake: FakeC1;
  client: Pick<TestClient, 'clientId' | 'clientSecret'>;
  sim: RunningSimulator;
  /** BATON_PROVISIONING=true. */
  provisioning?: boolean;
  /** Extra or overriding environment (a value of undefined removes a variable). */
  env?: Record<string, string | undefined>;
}

/** The environment of ConductorOne's recipe: Secret values and nothing else (plus our test plumbing). */
export function serviceEnv(opts: SpawnOptions, tempDir: string): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {
    PATH: process.env['PATH'],
    TMPDIR: tempDir,
    NODE_EXTRA_CA_CERTS: opts.fake.caFile,
    BATON_CLIENT_ID: opts.client.clientId,
    BATON_CLIENT_SECRET: opts.client.clientSecret,
    BATON_C1_API_HOST: opts.fake.address,
    BATON_HOST_ID: 'test-host',
    BATON_SERVER_PATH: opts.sim.url,
    BATON_ACCESS_TOKEN_NAME: opts.sim.info.pat.name,
    BATON_ACCESS_TOKEN_SECRET: opts.sim.info.pat.secret,
    BATON_LOG_FORMAT: 'json',
    ...(opts.provisioning ? { BATON_PROVISIONING: 'true' } : {}),
    ...opts.env,
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}

export function spawnServiceMode(opts: SpawnOptions): ServiceProcess {
  const tempDir = mkdtempSync(join(tmpdir(), 'service-mode-'));
  const child = spawn(process.execPath, [CLI], { env: serviceEnv(opts, tempDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exit.then(() => rmSync(tempDir, { recursive: true, force: true }));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 60_000): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exit;
    } finally {
      clearTimeout(timer);
    }
  };
  const logs = (): Record<string, unknown>[] =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, stderr: () => stderr, logs, exit, stop, tempDir };
}

/** Resolves with the exit code, or rejects when the process is still running after `timeoutMs`. */
export function exitWithin(proc: ServiceProcess, timeoutMs: number): Promise<number | null> {
  return Promise.race([
    proc.exit,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms:\n${proc.stderr().slice(-3000)}`)), timeoutMs)),
  ]);
}

/** The per-task log lines ("task done"). */
export function taskLines(proc: ServiceProcess): Record<string, unknown>[] {
  return proc.logs().filter((l) => l['msg'] === 'task done');
}
