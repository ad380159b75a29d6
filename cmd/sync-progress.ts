/**
 * Progress of a long sync: a one-line cli-progress display on a terminal, and a structured log line
 * at most every few seconds otherwise (CI logs and pods have no terminal to redraw).
 */
import cliProgress from 'cli-progress';
import type { Logger } from 'pino';
import type { SyncProgress } from '../pkg/sync/index.js';
import type { LiveLine } from './shared-stderr.js';

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

function terminalReporter(stream: NodeJS.WritableStream, liveLine: LiveLine | undefined): ProgressReporter {
  // A MultiBar (with one bar) because it can print log lines above itself while it is drawn.
  const display = new cliProgress.MultiBar({
    // No totals are known up front (Tableau pages reveal them one type at a time), so no bar, only counters.
    format: 'Syncing {phase} | resources {resources} | entitlements {entitlements} | grants {grants} | {duration_formatted}',
    stream,
    hideCursor: true,
    clearOnComplete: true,
    fps: 5,
  });
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(progress) {
      if (bar) return bar.update(0, payloadOf(progress));
      bar = display.create(0, 0, payloadOf(progress));
      liveLine?.redirectLogs((text) => display.log(text));
    },
    stop() {
      if (!bar) return;
      liveLine?.redirectLogs(undefined);
      // update() flushes log lines still waiting above the bar; stop() alone would drop them.
      display.update();
      display.stop();
      bar = undefined;
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
export function createProgressReporter(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  log: Logger,
  liveLine?: LiveLine,
): ProgressReporter {
  return stream.isTTY ? terminalReporter(stream, liveLine) : logReporter(log.child({ step: 'progress' }));
}
