/**
 * The simulator as a separate process (`dist/pkg/tableau-sim/cli.js`), so its CPU and memory are not
 * charged to the process being measured. Talks to its `/_sim/*` endpoints over loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { distPath } from './paths.js';
import type { Scenario } from './scenarios.js';

/** The simulator's ground truth (`GET /_sim/state`), the parts the bench reads. */
export interface SimState {
  sites: { id: string; contentUrl: string; users: { id: string }[]; groups: { id: string; name: string; domain: string }[]; memberships: { groupId: string; userId: string }[] }[];
}

/** `GET /_sim/stats`. */
export interface SimStats {
  total: number;
  byRoute: Record<string, number>;
}

interface SimInfo {
  url: string;
  sites: { id: string; contentUrl: string }[];
  pat: { name: string; secret: string };
}

/** Startup of a 200k-user world takes a few seconds; a sim that prints nothing for this long is stuck. */
const START_TIMEOUT_MS = 120_000;

export class SimProcess {
  private constructor(private readonly child: ChildProcess, readonly info: SimInfo) {}

  static async start(scenario: Scenario): Promise<SimProcess> {
    const args = [distPath('pkg/tableau-sim/cli.js'), '--users', `${scenario.users}`, '--groups', `${scenario.groups}`,
      '--memberships', `${scenario.memberships}`, '--latency-ms', `${scenario.latencyMs}`];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await firstLine(child);
      return new SimProcess(child, JSON.parse(line) as SimInfo);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }

  get url(): string {
    return this.info.url;
  }

  /** Process id, for reading the simulator's own memory. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  async state(): Promise<SimState> {
    return (await this.getJson('/_sim/state')) as SimState;
  }

  async stats(): Promise<SimStats> {
    return (await this.getJson('/_sim/stats')) as SimStats;
  }

  async resetStats(): Promise<void> {
    const res = await request(`${this.url}/_sim/reset-stats`, { method: 'POST' });
    await res.body.dump();
  }

  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private async getJson(path: string): Promise<unknown> {
    const res = await request(this.url + path);
    if (res.statusCode !== 200) {
      // An unread body keeps the connection busy; drain it so the pool can reuse it.
      await res.body.dump();
      throw new Error(`${path}: HTTP ${res.statusCode}`);
    }
    return res.body.json();
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('tableau-sim did not start in time')), START_TIMEOUT_MS);
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tableau-sim exited with ${code} before it was ready`));
    });
  });
}
