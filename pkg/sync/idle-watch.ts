/**
 * Notices when this thread has time to spare: the sync is then waiting on the connector (Tableau's
 * latency), and CPU work moved into the sync costs no wall time.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface IdleWatchOptions {
  /** Length of one measured window. */
  windowMs?: number;
  /** Consecutive idle windows needed. */
  windows?: number;
  /** A window counts as idle below this event-loop utilisation (0–1). */
  threshold?: number;
}

/** Event-loop utilisation (0–1) from now until each call of the returned function. */
export function utilisationSince(): () => number {
  const start = performance.eventLoopUtilization();
  return () => performance.eventLoopUtilization(performance.eventLoopUtilization(), start).utilization;
}

/**
 * Calls `onIdle` once, after `windows` consecutive windows below `threshold` utilisation; the
 * returned function stops watching. The timer never keeps the process alive.
 */
export function watchForIdle(onIdle: () => void, opts: IdleWatchOptions = {}): () => void {
  const { windowMs = 250, windows = 2, threshold = 0.5 } = opts;
  let previous: EventLoopUtilization = performance.eventLoopUtilization();
  let idleWindows = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, previous);
    previous = now;
    idleWindows = utilization < threshold ? idleWindows + 1 : 0;
    if (idleWindows < windows) return;
    clearInterval(timer);
    onIdle();
  }, windowMs);
  timer.unref();
  return () => clearInterval(timer);
}
