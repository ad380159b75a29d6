/**
 * The task loop of ConductorOne service mode (the SDK's connectorRunner): claim a slot of
 * `--task-concurrency`, GetTask, hand the task to a handler, wait the server's `next_poll` (clamped
 * to 0..5 min) and poll again. A failed poll waits errors² seconds (at most a minute) and goes on:
 * ConductorOne being away never ends the process. Every handled task is reported with exactly one
 * FinishTask (hello tasks and tasks dropped before they started excepted) and one log line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { BatonServiceFinishTaskRequest, BatonServiceGetTaskRequest, BatonServiceGetTaskResponse, Task, TaskType } from '../../../proto/baton-service.js';
import { Semaphore } from '../../util/semaphore.js';
import type { BatonClient, CallError } from './baton-client.js';
import { durationMs, TaskStopped } from './heartbeats.js';
import type { ConductorOneMetrics } from './metrics.js';
import { errorOutcome, finishRequest, outcomeLabel, type TaskOutcome } from './task-outcome.js';
import { taskTypeName, taskTypeOf } from './task-types.js';

const MAX_POLL_MS = 5 * 60_000;
const MAX_POLL_BACKOFF_MS = 60_000;
const FINISH_ATTEMPTS = 3;

/** Runs one task to its outcome. Must not throw; `abort` fires when shutdown gives up waiting. */
export type TaskHandler = (task: Task, type: TaskType, log: Logger, abort: AbortSignal) => Promise<TaskOutcome>;

export interface TaskLoopDeps {
  client: BatonClient;
  hostId: string;
  concurrency: number;
  log: Logger;
  metrics: ConductorOneMetrics;
  handle: TaskHandler;
}

function nextPollMs(response: BatonServiceGetTaskResponse): number {
  return Math.min(MAX_POLL_MS, Math.max(0, durationMs(response.nextPoll)));
}

export class TaskLoop {
  /** The task slots of `--task-concurrency`. */
  private readonly slots: Semaphore;
  private readonly running = new Set<Promise<void>>();
  private readonly abortTasks = new AbortController();

  constructor(private readonly deps: TaskLoopDeps) {
    this.slots = new Semaphore(deps.concurrency);
  }

  /** Polls until `stop` fires; running tasks go on (see {@link drain}). */
  async run(stop: AbortSignal): Promise<void> {
    let waitMs = 0;
    let failures = 0;
    const { client, hostId, log, metrics } = this.deps;
    while (!stop.aborted) {
      let releaseSlot: () => void;
      try {
        if (waitMs > 0) await sleep(waitMs, undefined, { signal: stop });
        releaseSlot = await this.slots.acquire({ signal: stop });
      } catch {
        break;
      }
      let response: BatonServiceGetTaskResponse;
      try {
        response = await client.unary<BatonServiceGetTaskRequest, BatonServiceGetTaskResponse>('GetTask', { hostId }, stop);
      } catch (err) {
        releaseSlot();
        if (stop.aborted) break;
        failures++;
        waitMs = Math.min(MAX_POLL_BACKOFF_MS, failures * failures * 1000);
        metrics.polls.inc({ result: 'error' });
        log.warn({ code: (err as CallError).code, reason: (err as Error).message, failures, retryInMs: waitMs }, 'GetTask failed; polling again later');
        continue;
      }
      failures = 0;
      waitMs = nextPollMs(response);
      const task = response.task;
      const type = task ? taskTypeOf(task) : 'none';
      metrics.polls.inc({ result: type === 'none' ? 'empty' : 'task' });
      if (!task || type === 'none') {
        releaseSlot();
        continue;
      }
      const work = this.process(task, type).finally(() => {
        this.running.delete(work);
        releaseSlot();
      });
      this.running.add(work);
    }
  }

  /** Waits for running tasks up to `timeoutMs`, then aborts the rest and waits for their reports. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.running.size === 0) return;
    const timer = setTimeout(() => this.abortTasks.abort(new TaskStopped('shutdown')), timeoutMs);
    await Promise.all(this.running);
    clearTimeout(timer);
  }

  get runningTasks(): number {
    return this.running.size;
  }

  private async process(task: Task, type: TaskType): Promise<void> {
    const { metrics } = this.deps;
    const typeName = taskTypeName(type);
    const log = this.deps.log.child({ taskId: task.id, taskType: typeName });
    const started = performance.now();
    metrics.tasksRunning.inc();
    let outcome: TaskOutcome;
    try {
      outcome = await this.deps.handle(task, type, log, this.abortTasks.signal);
    } catch (err) {
      log.error({ err }, 'task handler failed');
      outcome = errorOutcome(err, false);
    }
    if (outcome.kind !== 'silent') await this.finish(task, outcome, log);
    const seconds = (performance.now() - started) / 1000;
    const label = outcomeLabel(outcome);
    metrics.tasksRunning.dec();
    metrics.tasks.inc({ type: typeName, outcome: label });
    metrics.taskSeconds.observe({ type: typeName, outcome: label }, seconds);
    const details = outcome.kind === 'error' ? { code: outcome.code, reason: outcome.message } : {};
    log.info({ outcome: label, durationMs: Math.round(seconds * 1000), ...details }, 'task done');
  }

  /** FinishTask is sent even while shutting down; ConductorOne being unavailable gets two more tries. */
  private async finish(task: Task, outcome: TaskOutcome & { kind: 'success' | 'error' }, log: Logger): Promise<void> {
    const request = finishRequest(this.deps.hostId, task.id ?? '', outcome);
    for (let attempt = 1; attempt <= FINISH_ATTEMPTS; attempt++) {
      try {
        await this.deps.client.unary<BatonServiceFinishTaskRequest, object>('FinishTask', request);
        return;
      } catch (err) {
        const code = (err as CallError).code;
        log.warn({ attempt, code, reason: (err as Error).message }, 'FinishTask failed');
        // Only UNAVAILABLE is tried again: any other answer means the request may have arrived.
        if (code !== grpc.status.UNAVAILABLE || attempt === FINISH_ATTEMPTS) return;
        await sleep(1000 * attempt);
      }
    }
  }
}
