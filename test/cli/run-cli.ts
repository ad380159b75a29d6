/**
 * Helpers of the CLI suites: build dist/ once, run the real built CLI as a child process with a clean
 * environment and a hard time limit, and parse its outputs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(REPO, 'dist', 'cmd', 'baton-tableau.js');
export const DEMO = join(REPO, 'dist', 'cmd', 'demo.js');

// Named after this checkout: other clones on the same host (CI runners, worktrees) build their own dist/
// and must neither wait for each other's lock nor make each other build again.
const CHECKOUT = createHash('sha256').update(REPO).digest('hex').slice(0, 12);
const BUILD_LOCK = join(tmpdir(), `baton-tableau-cli-tests-${CHECKOUT}.build-lock`);
const BUILD_MARK = join(tmpdir(), `baton-tableau-cli-tests-${CHECKOUT}.built-at`);
/** Suites of one vitest run share its process as parent; their build is reused, other runs build anew. */
const RUN_ID = `${process.ppid}`;

function compile(): void {
  spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'tsconfig.build.json')], {
    cwd: REPO,
    stdio: 'ignore',
    timeout: 150_000,
  });
  writeFileSync(BUILD_MARK, RUN_ID);
}

function recentlyBuilt(): boolean {
  return existsSync(BUILD_MARK) && readFileSync(BUILD_MARK, 'utf8') === RUN_ID;
}

/**
 * Compiles the project into dist/ (tsc emits even when unrelated files have type errors). The CLI
 * suites run in parallel workers: one compiles while the other waits on a lock directory and reuses it.
 */
export async function buildDist(): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${BUILD_LOCK}`);
      // A lock left by a killed run is stale after the longest build could take.
      const lock = statSync(BUILD_LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 170_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (!recentlyBuilt()) compile();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
  if (!existsSync(CLI)) throw new Error('the build did not produce dist/cmd/baton-tableau.js');
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  script?: string;
}

/** Only what node needs: tests decide every BATON_* variable themselves. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT'];
  const base = Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k] as string]));
  return { ...base, ...extra };
}

/** Starts the CLI; the caller owns the child (see {@link finished}). */
export function startCli(args: string[], opts: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [opts.script ?? CLI, ...args], {
    cwd: opts.cwd ?? REPO,
    env: cleanEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a child's output until it exits; kills it after `timeoutMs` so no test hangs. */
export function finished(child: ChildProcess, timeoutMs = 60_000): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<CliRun> {
  return finished(startCli(args, opts), opts.timeoutMs);
}

/** Minimal RFC 4180 reader for checking the report (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += ch;
    }
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
