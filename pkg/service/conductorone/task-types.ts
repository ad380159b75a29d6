/**
 * Which `task_type` a Task carries, and the names logs and metrics use for it (the proto's
 * snake_case names, as ConductorOne and the SDK spell them).
 */
import { TASK_TYPES, type Task, type TaskType } from '../../../proto/baton-service.js';

/** The member of Task's `task_type` oneof that is set; `none` when none is. */
export function taskTypeOf(task: Task): TaskType {
  return TASK_TYPES.find((type) => task[type] !== undefined && task[type] !== null) ?? 'none';
}

/** `syncFull` → `sync_full`. */
export function taskTypeName(type: TaskType): string {
  return type.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
