/**
 * The fake's task queue: tasks enqueued by a test, handed out one per GetTask in order, and their
 * life (queued → running → finished, or cancelled through the next Heartbeat).
 */
import { randomInt } from 'node:crypto';
import { TaskStatus, type Task, type TaskType } from '../../../proto/baton-service.js';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A 27-character alphanumeric id, shaped like ConductorOne's KSUIDs. */
export function newTaskId(): string {
  let id = '';
  for (let i = 0; i < 27; i++) id += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return id;
}

export type TaskState = 'queued' | 'running' | 'finished' | 'cancelled';

/** A task and where it is in its life. */
export interface QueuedTask {
  task: Task;
  type: TaskType;
  state: TaskState;
  handedOutAt?: number;
  finishedAt?: number;
}

export class TaskQueue {
  private readonly pending: QueuedTask[] = [];
  readonly byId = new Map<string, QueuedTask>();
  /** Most tasks running at once (handed out, not yet finished or cancelled). */
  maxRunning = 0;

  /** Adds a task of `type` with `payload` (the oneof member's message); returns its id. */
  enqueue(type: TaskType, payload: object = {}, extra: { debug?: boolean; id?: string } = {}): string {
    const id = extra.id ?? newTaskId();
    const task: Task = { id, status: TaskStatus.PENDING, [type]: payload, ...(extra.debug ? { debug: true } : {}) };
    const entry: QueuedTask = { task, type, state: 'queued' };
    this.pending.push(entry);
    this.byId.set(id, entry);
    return id;
  }

  /** Hands out the next queued task (now running), or undefined when there is none. */
  next(): Task | undefined {
    const entry = this.pending.shift();
    if (!entry) return undefined;
    entry.state = 'running';
    entry.handedOutAt = Date.now();
    this.maxRunning = Math.max(this.maxRunning, this.running());
    return { ...entry.task, status: TaskStatus.RUNNING };
  }

  running(): number {
    let n = 0;
    for (const e of this.byId.values()) if (e.state === 'running') n++;
    return n;
  }

  queued(): number {
    return this.pending.length;
  }

  /** Marks a task finished (FinishTask, or Hello answering a hello task). */
  finish(id: string): void {
    const entry = this.byId.get(id);
    if (entry && entry.state !== 'cancelled') {
      entry.state = 'finished';
      entry.finishedAt = Date.now();
    }
  }

  /** Cancels a task: a queued one is never handed out, a running one is told so by its next Heartbeat. */
  cancel(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) throw new Error(`fake ConductorOne: no task ${id}`);
    entry.state = 'cancelled';
    const at = this.pending.indexOf(entry);
    if (at >= 0) this.pending.splice(at, 1);
  }
}
