/**
 * The sync_full task: heartbeat, sync into a c1z in a private temp folder (the same engine and
 * writer as the one-shot sync), upload it, report. Cancelled by ConductorOne → the sync is aborted
 * and nothing is uploaded. One full sync at a time per process: a second one keeps heartbeating
 * while it waits its turn.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Task, Task_SyncFullTask } from '../../../proto/baton-service.js';
import type { ResourceId } from '../../../proto/types.js';
import { C1zWriter } from '../../c1z/index.js';
import type { ConnectorApi } from '../../connector/api.js';
import { Semaphore } from '../../util/semaphore.js';
import { runSync, type SyncScope } from '../../sync/index.js';
import type { BatonClient } from './baton-client.js';
import { startHeartbeats, TaskStopped } from './heartbeats.js';
import { errorOutcome, type TaskOutcome } from './task-outcome.js';
import { uploadAsset } from './upload-asset.js';

export interface FullSyncDeps {
  client: BatonClient;
  api: ConnectorApi;
  hostId: string;
  /** Listings in flight during the sync (the one-shot sync's `--concurrency` × 2). */
  syncConcurrency: number;
  /** Where the temp c1z goes (default: the OS temp folder, e.g. a pod's writable volume). */
  tempDir?: string;
  onUploaded?: (bytes: number) => void;
}

/**
 * The SDK syncer's options from the task. `skip_expand_grants` needs nothing: this connector's
 * grants are stored as listed, never expanded by the sync.
 */
function syncScopeOf(task: Task_SyncFullTask): SyncScope {
  const targeted = (task.targetedSyncResources ?? [])
    .filter((r): r is typeof r & { id: ResourceId } => Boolean(r.id?.resourceType && r.id.resource))
    .map((r) => ({ resourceId: r.id, ...(r.parentResourceId ? { parentResourceId: r.parentResourceId } : {}) }));
  return {
    ...(task.skipEntitlementsAndGrants ? { skipEntitlementsAndGrants: true } : {}),
    ...(task.skipGrants ? { skipGrants: true } : {}),
    ...(targeted.length ? { targetedResources: targeted } : {}),
  };
}

export class FullSyncTasks {
  /** Full syncs run one at a time, in the order their tasks arrived; a waiter may give up (abort). */
  private readonly turn = new Semaphore(1);

  constructor(private readonly deps: FullSyncDeps) {}

  /** Runs one sync_full task to its outcome; never throws. `shutdown` aborts it (reported as an error). */
  async run(task: Task, log: Logger, shutdown: AbortSignal): Promise<TaskOutcome> {
    const { client, hostId } = this.deps;
    const heartbeats = await startHeartbeats(client, hostId, task.id ?? '', log, shutdown);
    if (!heartbeats) return { kind: 'silent', reason: shutdown.aborted ? 'cancelled' : 'heartbeat-failed' };
    const signal = AbortSignal.any([heartbeats.signal, shutdown]);
    try {
      const release = await this.turn.acquire({ signal });
      try {
        return await this.syncAndUpload(task, log, signal);
      } finally {
        release();
      }
    } catch (err) {
      return this.failure(err, signal, log);
    } finally {
      heartbeats.stop();
    }
  }

  private failure(err: unknown, signal: AbortSignal, log: Logger): TaskOutcome {
    const stopped: unknown = signal.aborted ? signal.reason : undefined;
    if (stopped instanceof TaskStopped) {
      // Lost heartbeats are ConductorOne's trouble (retry later); cancel and shutdown are decisions.
      const code = stopped.reason === 'heartbeat-failed' ? grpc.status.UNAVAILABLE : grpc.status.CANCELLED;
      return { kind: 'error', code, message: stopped.message, nonRetryable: false };
    }
    log.debug({ err }, 'full sync failed');
    const call = err as { code?: unknown; details?: string };
    if (typeof call.code === 'number') {
      // Only BatonService calls (the upload) fail with a numeric gRPC code here: keep it, say what failed.
      return { kind: 'error', code: call.code, message: `uploading the c1z failed: ${call.details ?? 'no details'}`, nonRetryable: false };
    }
    return errorOutcome(err, false);
  }

  private async syncAndUpload(task: Task, log: Logger, signal: AbortSignal): Promise<TaskOutcome> {
    const dir = await mkdtemp(join(this.deps.tempDir ?? tmpdir(), 'baton-tableau-task-'));
    try {
      const path = join(dir, 'sync.c1z');
      const writer = await C1zWriter.create(path);
      try {
        await runSync({ api: this.deps.api, writer, log, signal, concurrency: this.deps.syncConcurrency, scope: syncScopeOf(task.syncFull ?? {}) });
        await writer.finish();
      } catch (err) {
        await writer.abort();
        throw err;
      }
      signal.throwIfAborted();
      const bytes = await uploadAsset(this.deps.client, { hostId: this.deps.hostId, taskId: task.id ?? '', path }, log, signal);
      this.deps.onUploaded?.(bytes);
      return { kind: 'success' };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
