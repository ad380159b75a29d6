/**
 * Which code answers which task type. hello: a Hello carrying the task id and nothing else (the
 * SDK's hello handler sends no FinishTask; §5.3). sync_full: FullSyncTasks. grant, revoke,
 * create_account, delete_resource: the gRPC server's connector call. Everything else: FinishTask
 * error UNKNOWN "unsupported task type" (the SDK's code and text, §5.5), but non-retryable: running
 * the same task again can never succeed, so ConductorOne should not hand it out again.
 */
import * as grpc from '@grpc/grpc-js';
import type { HelloBuildInfo } from '../../../proto/baton-service.js';
import type { ConnectorApi } from '../../connector/api.js';
import type { BatonClient } from './baton-client.js';
import type { FullSyncTasks } from './full-sync-task.js';
import { helloRequest } from './hello.js';
import { isProvisioningTask, runProvisioningTask } from './provisioning-tasks.js';
import type { TaskHandler } from './task-loop.js';

export interface TaskHandlerDeps {
  client: BatonClient;
  api: ConnectorApi;
  hostId: string;
  buildInfo: HelloBuildInfo;
  /** `-p` given: provisioning tasks reach Tableau; otherwise FAILED_PRECONDITION, as in `serve`. */
  provisioning: boolean;
  fullSync: FullSyncTasks;
}

export function taskHandler(deps: TaskHandlerDeps): TaskHandler {
  return async (task, type, log, abort) => {
    const ctx = { signal: abort, log, syncId: '' };
    if (type === 'hello') {
      try {
        await deps.client.unary('Hello', await helloRequest(deps.api, deps.hostId, task.id ?? '', deps.buildInfo, ctx), abort);
        return { kind: 'silent', reason: 'hello' };
      } catch (err) {
        log.warn({ code: (err as { code?: number }).code, reason: (err as Error).message }, 'Hello for a hello task failed');
        return { kind: 'silent', reason: 'hello-failed' };
      }
    }
    if (type === 'syncFull') return deps.fullSync.run(task, log, abort);
    if (isProvisioningTask(type)) return runProvisioningTask(type, task, deps.api, ctx, deps.provisioning);
    return { kind: 'error', code: grpc.status.UNKNOWN, message: 'unsupported task type', nonRetryable: true };
  };
}
