/**
 * What the fake ConductorOne saw, and promise helpers to wait for it. Every wait is bounded: it
 * rejects after its timeout with a line saying what was awaited and how far things got.
 */
import type { BatonServiceFinishTaskRequest, BatonServiceHelloRequest } from '../../../proto/baton-service.js';

/** A Hello (at start-up, or answering a hello task when `request.taskId` is set). */
export interface HelloRecord {
  request: BatonServiceHelloRequest;
  at: number;
}

/** A Heartbeat for one task, and whether the fake answered "cancelled". */
export interface HeartbeatRecord {
  taskId: string;
  answeredCancelled: boolean;
  at: number;
}

/** A FinishTask as received. */
export interface FinishRecord {
  taskId: string;
  request: BatonServiceFinishTaskRequest;
  at: number;
}

/** One UploadAsset stream: accepted (`ok`) or refused, with what arrived. */
export interface UploadRecord {
  taskId: string;
  ok: boolean;
  /** Why it was refused (a validation failure or an injected fault). */
  error?: string;
  /** The reassembled bytes on disk (accepted uploads only; removed when the fake closes). */
  path?: string;
  size: number;
  chunkSizes: number[];
  /** sha256 of the bytes received, hex. */
  sha256: string;
  at: number;
}

type Waiter = { check: () => boolean; resolve: () => void };

/** The fake's records; `changed()` is called after each push so waiters re-check. */
export class FakeC1Records {
  readonly hellos: HelloRecord[] = [];
  readonly heartbeats: HeartbeatRecord[] = [];
  readonly finishes: FinishRecord[] = [];
  readonly uploads: UploadRecord[] = [];
  /** Calls per BatonService method (including refused ones). */
  readonly calls = new Map<string, number>();
  /** Every user-agent seen on BatonService calls (the SDK sends `<client name> baton-sdk/<version>`). */
  readonly userAgents = new Set<string>();
  /** Calls refused as UNAUTHENTICATED (no, unknown, expired or revoked token). */
  unauthenticated = 0;
  /** Calls answered with an injected fault. */
  faulted = 0;
  private readonly waiters = new Set<Waiter>();

  count(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  changed(): void {
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  /** Resolves when `check()` holds (checked now and after every record); rejects after `timeoutMs`. */
  until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake ConductorOne: timed out after ${timeoutMs} ms waiting for ${what} (${this.summary()})`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Counts, for timeout messages and test failure output. */
  summary(): string {
    const calls = [...this.calls].map(([m, n]) => `${m}=${n}`).join(' ');
    return `hellos=${this.hellos.length} heartbeats=${this.heartbeats.length} finishes=${this.finishes.length} ` +
      `uploads=${this.uploads.length} unauthenticated=${this.unauthenticated} faulted=${this.faulted} calls: ${calls || 'none'}`;
  }

  /** Resolves with the `n`-th Hello (1-based). */
  async waitForHello(n = 1, timeoutMs = 10_000): Promise<HelloRecord> {
    await this.until(() => this.hellos.length >= n, timeoutMs, `Hello #${n}`);
    return this.hellos[n - 1]!;
  }

  /** Resolves with the first FinishTask of `taskId`. */
  async waitForFinish(taskId: string, timeoutMs = 10_000): Promise<FinishRecord> {
    await this.until(() => this.finishes.some((f) => f.taskId === taskId), timeoutMs, `FinishTask of ${taskId}`);
    return this.finishes.find((f) => f.taskId === taskId)!;
  }

  /** Resolves with the first accepted upload of `taskId`. */
  async waitForUpload(taskId: string, timeoutMs = 10_000): Promise<UploadRecord> {
    await this.until(() => this.uploads.some((u) => u.taskId === taskId && u.ok), timeoutMs, `an accepted upload for ${taskId}`);
    return this.uploads.find((u) => u.taskId === taskId && u.ok)!;
  }

  /** Resolves once `taskId` has had `n` heartbeats. */
  async waitForHeartbeats(taskId: string, n = 1, timeoutMs = 10_000): Promise<HeartbeatRecord[]> {
    const of = () => this.heartbeats.filter((h) => h.taskId === taskId);
    await this.until(() => of().length >= n, timeoutMs, `${n} heartbeat(s) of ${taskId}`);
    return of();
  }

  /** Resolves once `method` has been called `n` times in all. */
  async waitForCalls(method: string, n: number, timeoutMs = 10_000): Promise<void> {
    await this.until(() => this.count(method) >= n, timeoutMs, `${n} ${method} call(s)`);
  }
}
