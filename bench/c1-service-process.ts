/**
 * ConductorOne service mode as the bench runs it: the built CLI with env only (the Kubernetes
 * recipe), pointed at the in-process fake ConductorOne and a simulator process. Peak RSS is the
 * kernel's high-water mark (VmHWM) read before the process is stopped: it only grows, so reading
 * it after the measured work misses nothing of that work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FakeC1 } from '../test/support/fake-c1/index.js';
import { distPath } from './paths.js';
import type { SimProcess } from './sim-process.js';

export class ServiceProcess {
  private stderrTail = '';
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess, private readonly tempDir: string) {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderrTail = (this.stderrTail + chunk).slice(-4000)));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(fake: FakeC1, sim: SimProcess, env: Record<string, string> = {}): ServiceProcess {
    const client = fake.newClient();
    const tempDir = mkdtempSync(path.join(tmpdir(), 'bench-c1-'));
    const child = spawn(process.execPath, [distPath('cmd/baton-tableau.js')], {
      env: {
        PATH: process.env['PATH'], TMPDIR: tempDir, NODE_EXTRA_CA_CERTS: fake.caFile,
        BATON_CLIENT_ID: client.clientId, BATON_CLIENT_SECRET: client.clientSecret, BATON_C1_API_HOST: fake.address,
        BATON_SERVER_PATH: sim.url, BATON_ACCESS_TOKEN_NAME: sim.info.pat.name, BATON_ACCESS_TOKEN_SECRET: sim.info.pat.secret,
        BATON_LOG_FORMAT: 'json', BATON_LOG_LEVEL: 'warn', BATON_PROVISIONING: 'true', ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return new ServiceProcess(child, tempDir);
  }

  /** VmHWM of the process so far, in MB. */
  peakRssMb(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0) / 1024;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  /** SIGTERM and wait (SIGKILL after 60 s); throws unless it exited 0. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    const code = await this.exited;
    clearTimeout(timer);
    rmSync(this.tempDir, { recursive: true, force: true });
    if (code !== 0) throw new Error(`service mode exited with ${code}: ${this.stderrTail}`);
  }
}
