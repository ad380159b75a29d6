/**
 * How a task ended, and how that becomes a FinishTask request (PROTOCOL §5.3, §5.5): success with
 * the connector's response packed as an Any and its annotations, or an error carrying the
 * connector's gRPC code and safe message. A task can also end with nothing to report (hello tasks,
 * cancelled or un-heartbeatable syncs): ConductorOne already knows, or the task is no longer ours.
 */
import * as grpc from '@grpc/grpc-js';
import type { BatonServiceFinishTaskRequest } from '../../../proto/baton-service.js';
import type { Any } from '../../../proto/types.js';
import { classifyError } from '../../connector/errors.js';

export type TaskOutcome =
  | { readonly kind: 'success'; readonly response?: Any; readonly annotations?: Any[] }
  | { readonly kind: 'error'; readonly code: grpc.status; readonly message: string; readonly nonRetryable: boolean }
  /** Nothing to report: `reason` is for the log line and the metric. */
  | { readonly kind: 'silent'; readonly reason: 'hello' | 'hello-failed' | 'cancelled' | 'heartbeat-failed' };

/** The outcome label of the per-task log line and metric. */
export function outcomeLabel(outcome: TaskOutcome): string {
  return outcome.kind === 'silent' ? outcome.reason : outcome.kind;
}

/**
 * An error outcome from anything a handler threw: the connector's classification decides the code
 * (TableauError, ConnectorError), everything else is UNKNOWN with its first line.
 */
export function errorOutcome(err: unknown, nonRetryable: boolean): TaskOutcome {
  const classified = classifyError(err);
  const code = (grpc.status as unknown as Record<string, grpc.status>)[classified.status] ?? grpc.status.UNKNOWN;
  return { kind: 'error', code, message: classified.message, nonRetryable };
}

/** The FinishTask request of a success or error outcome. */
export function finishRequest(hostId: string, taskId: string, outcome: TaskOutcome & { kind: 'success' | 'error' }): BatonServiceFinishTaskRequest {
  if (outcome.kind === 'success') {
    return {
      hostId,
      taskId,
      success: { annotations: outcome.annotations ?? [], ...(outcome.response ? { response: outcome.response } : {}) },
    };
  }
  return {
    hostId,
    taskId,
    status: { code: outcome.code, message: outcome.message, details: [] },
    error: { nonRetryable: outcome.nonRetryable, annotations: [] },
  };
}
