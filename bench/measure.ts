/**
 * Runs a command as a child process and measures its wall time and peak RSS. Peak RSS comes from
 * GNU time (`/usr/bin/time -f %M`, the kernel's maxrss at exit) when installed, else from polling
 * VmHWM in /proc/PID/status (which can miss growth in the last poll interval).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Measured {
  exitCode: number;
  wallMs: number;
  peakRssMb: number;
  /** User + system CPU seconds of the process (GNU time only; NaN otherwise). */
  cpuSeconds: number;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
const POLL_MS = 20;
/** No single bench process may run longer than this (the whole bench has a 15-minute budget). */
const RUN_TIMEOUT_MS = 300_000;

export const rssSource = existsSync(GNU_TIME) ? 'GNU time %M' : '/proc VmHWM polling';

/** `timeoutMs`: kill the process after this long (default 5 minutes). */
export async function runMeasured(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = RUN_TIMEOUT_MS): Promise<Measured> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-time-'));
  const timeFile = path.join(dir, 'rss');
  try {
    const useTime = existsSync(GNU_TIME);
    const [cmd, argv] = useTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args]] : [command, args];
    const started = performance.now();
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let polledKb = 0;
    const poll = useTime ? undefined : setInterval(() => (polledKb = Math.max(polledKb, vmHwmKb(child.pid))), POLL_MS);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const exitCode = await new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
    const wallMs = performance.now() - started;
    clearTimeout(killer);
    if (poll) clearInterval(poll);
    // GNU time prints "Command exited with non-zero status N" first when the command fails.
    const [peakKb, user, system] = useTime
      ? (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number)
      : [polledKb, Number.NaN, Number.NaN];
    return { exitCode, wallMs, peakRssMb: (peakKb ?? 0) / 1024, cpuSeconds: (user ?? Number.NaN) + (system ?? Number.NaN), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function vmHwmKb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number.parseInt(match[1] ?? '0', 10) : 0;
  } catch {
    return 0;
  }
}
