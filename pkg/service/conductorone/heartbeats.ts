/**
 * Heartbeats of a full-sync task (PROTOCOL §5.3, §5.5): one synchronous heartbeat before the work
 * starts (failed or cancelled → the task is dropped, nothing reported), then one every
 * `next_heartbeat` (0 → 30 s, clamped to 1 s..5 min). ConductorOne saying `cancelled`, or 9
 * heartbeats failing in a row, aborts the task's signal with a {@link TaskStopped} reason.
 */
import type { Logger } from 'pino';
import type { BatonServiceHeartbeatRequest, BatonServiceHeartbeatResponse } from '../../../proto/baton-service.js';
import type { Duration } from '../../../proto/types.js';
import type { BatonClient } from './baton-client.js';

const DEFAULT_INTERVAL_MS = 30_000;
const MIN_INTERVAL_MS = 1_000;
const MAX_INTERVAL_MS = 5 * 60_000;
/** The SDK gives up when its attempt counter reaches 10, i.e. after 9 failures in a row. */
const MAX_FAILURES = 9;

/** Why a task's work was stopped from outside. */
export class TaskStopped extends Error {
  constructor(readonly reason: 'cancelled' | 'heartbeat-failed' | 'shutdown') {
    super(reason === 'cancelled' ? 'the task was cancelled by ConductorOne' : reason === 'shutdown' ? 'the connector is shutting down' : 'heartbeats to ConductorOne kept failing');
    this.name = 'TaskStopped';
  }
}

export function durationMs(d: Duration | undefined): number {
  return (d?.seconds ?? 0) * 1000 + Math.floor((d?.nanos ?? 0) / 1e6);
}

function heartbeatIntervalMs(d: Duration | undefined): number {
  const ms = durationMs(d);
  if (ms <= 0) return DEFAULT_INTERVAL_MS;
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, ms));
}

export interface Heartbeats {
  /** Aborted (with a TaskStopped reason) when ConductorOne cancels or heartbeats keep failing. */
  readonly signal: AbortSignal;
  stop(): void;
}

/**
 * Sends the first heartbeat; undefined when it failed or the task is already cancelled (the caller
 * drops the task). Otherwise heartbeats go on until `stop()`.
 */
export async function startHeartbeats(client: BatonClient, hostId: string, taskId: string, log: Logger, shutdown: AbortSignal): Promise<Heartbeats | undefined> {
  const request: BatonServiceHeartbeatRequest = { hostId, taskId, annotations: [] };
  let first: BatonServiceHeartbeatResponse;
  try {
    first = await client.unary<BatonServiceHeartbeatRequest, BatonServiceHeartbeatResponse>('Heartbeat', request, shutdown);
  } catch (err) {
    log.warn({ code: (err as { code?: number }).code, reason: (err as Error).message }, 'first heartbeat failed: task dropped');
    return undefined;
  }
  if (first.cancelled) return undefined;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let interval = heartbeatIntervalMs(first.nextHeartbeat);
  const beat = async (): Promise<void> => {
    try {
      const response = await client.unary<BatonServiceHeartbeatRequest, BatonServiceHeartbeatResponse>('Heartbeat', request, controller.signal);
      failures = 0;
      if (response.cancelled) return controller.abort(new TaskStopped('cancelled'));
      interval = heartbeatIntervalMs(response.nextHeartbeat);
      schedule(interval);
    } catch (err) {
      if (controller.signal.aborted) return;
      failures++;
      log.warn({ failures, reason: (err as Error).message }, 'heartbeat failed');
      if (failures >= MAX_FAILURES) return controller.abort(new TaskStopped('heartbeat-failed'));
      schedule(interval);
    }
  };
  const schedule = (ms: number): void => {
    if (!controller.signal.aborted) timer = setTimeout(() => void beat(), ms);
  };
  schedule(interval);
  return {
    signal: controller.signal,
    stop: () => {
      clearTimeout(timer);
      // Ends an in-flight heartbeat too; `stop` is not a failure, so no reason is recorded as one.
      if (!controller.signal.aborted) controller.abort(new TaskStopped('shutdown'));
    },
  };
}
