/**
 * Optional periodic sync into `--file`. The c1z writer replaces the file atomically, so readers
 * always see the previous complete sync or the new one. Never two syncs at once: a tick that finds
 * a sync still running is skipped (and counted).
 */
import type { Logger } from 'pino';
import type { ConnectorApi } from '../connector/api.js';
import type { ServiceMetrics } from './metrics.js';
import { countLicenseSeats } from './seat-tally.js';

/** Runs one complete sync of `api` into `file` (atomic replace); rejects on failure. */
export type SyncRunner = (args: { api: ConnectorApi; file: string; log: Logger; signal: AbortSignal }) => Promise<void>;

export interface BackgroundSyncOptions {
  api: ConnectorApi;
  file: string;
  intervalMs: number;
  log: Logger;
  metrics: ServiceMetrics;
  runSync: SyncRunner;
}

export type SyncOutcome = 'ok' | 'failed' | 'skipped' | 'cancelled';

export class BackgroundSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SyncOutcome> | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly opts: BackgroundSyncOptions) {}

  /** Schedules the first sync one interval from now, then one per interval. */
  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.opts.intervalMs);
    this.timer.unref();
  }

  /** Runs a sync now unless one is already running (then 'skipped'). */
  runOnce(): Promise<SyncOutcome> {
    if (this.abort.signal.aborted) return Promise.resolve('skipped');
    if (this.running) {
      this.opts.metrics.syncRuns.inc({ result: 'skipped' });
      this.opts.log.warn('previous background sync still running; skipping this tick');
      return Promise.resolve('skipped');
    }
    this.running = this.execute().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the schedule and cancels a running sync (the previous file stays in place). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.abort.abort();
    await this.running;
  }

  private async execute(): Promise<SyncOutcome> {
    const { metrics, file } = this.opts;
    const log = this.opts.log.child({ step: 'background-sync', file });
    const started = process.hrtime.bigint();
    const { api, seats } = countLicenseSeats(this.opts.api);
    let result: SyncOutcome = 'ok';
    try {
      log.info('background sync started');
      await this.opts.runSync({ api, file, log, signal: this.abort.signal });
      metrics.syncLastSuccess.set(Date.now() / 1000);
      metrics.licenseSeats.reset();
      for (const [tier, count] of seats) metrics.licenseSeats.set({ tier }, count);
    } catch (err) {
      result = this.abort.signal.aborted ? 'cancelled' : 'failed';
      if (result === 'failed') log.error({ err }, 'background sync failed; the previous file is kept');
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.syncRuns.inc({ result });
    metrics.syncSeconds.observe({ result }, seconds);
    log.info({ result, durationMs: Math.round(seconds * 1000) }, 'background sync finished');
    return result;
  }
}
