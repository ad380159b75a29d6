/**
 * Progress of a long sync: a one-line cli-progress display on a terminal, and a structured log line
 * at most every few seconds otherwise (CI logs and pods have no terminal to redraw).
 */
import cliProgress from 'cli-progress';
import type { Logger } from 'pino';
import type { SyncProgress } from '../pkg/sync/index.js';

/** Receives progress updates during a sync; `stop` clears the bar. */
export interface ProgressReporter {
  update: (progress: SyncProgress) => void;
  stop: () => void;
}

const LOG_INTERVAL_MS = 5_000;

function payloadOf(progress: SyncProgress): Record<string, string | number> {
  const counts = progress.counts;
  return {
    phase: progress.phase,
    resources: counts.resources,
    entitlements: counts.entitlements,
    grants: counts.grants,
    pending: progress.pendingActions,
  };
}

function terminalReporter(stream: NodeJS.WritableStream): ProgressReporter {
  const bar = new cliProgress.SingleBar({
    // No totals are known up front (Tableau pages reveal them one type at a time), so no bar, only counters.
    format: 'Syncing {phase} | resources {resources} | entitlements {entitlements} | grants {grants} | {duration_formatted}',
    stream,
    hideCursor: true,
    clearOnComplete: true,
    fps: 5,
  });
  let started = false;
  return {
    update(progress) {
      if (!started) {
        bar.start(0, 0, payloadOf(progress));
        started = true;
      } else bar.update(0, payloadOf(progress));
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function logReporter(log: Logger): ProgressReporter {
  let last = 0;
  return {
    update(progress) {
      const now = Date.now();
      if (now - last < LOG_INTERVAL_MS) return;
      last = now;
      log.info({ progress: payloadOf(progress) }, 'sync progress');
    },
    stop() {},
  };
}

/** A bar when `stream` is a terminal, throttled log lines otherwise. */
export function createProgressReporter(stream: NodeJS.WritableStream & { isTTY?: boolean }, log: Logger): ProgressReporter {
  return stream.isTTY ? terminalReporter(stream) : logReporter(log.child({ step: 'progress' }));
}
