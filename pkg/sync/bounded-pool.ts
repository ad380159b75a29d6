/** Run async tasks with at most `limit` in flight, pulling work lazily from a source. */

/**
 * Pull items from `next()` and run `task` on each with at most `limit` running. `next()` returning
 * undefined means "nothing right now": the pool ends once it is undefined with nothing in flight,
 * so tasks may feed the source (a growing queue) while it runs. The first failure stops new work;
 * in-flight tasks are awaited before it is rethrown (so nobody writes after the caller cleans up).
 */
export async function runBounded<T>(
  next: () => T | undefined,
  limit: number,
  signal: AbortSignal,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  while (!failure && !signal.aborted) {
    if (running.size < limit) {
      const item = next();
      if (item !== undefined) {
        const run: Promise<void> = task(item)
          .catch((error: unknown) => {
            failure ??= { error };
          })
          .finally(() => running.delete(run));
        running.add(run);
        continue;
      }
      if (running.size === 0) break;
    }
    await Promise.race(running);
  }
  await Promise.allSettled(running);
  if (failure) throw failure.error;
  signal.throwIfAborted();
}

/** A source and task for {@link runBounded} that admit one group of items at a time. */
export interface GroupedWork<T> {
  next: () => T | undefined;
  task: (item: T) => Promise<void>;
}

/**
 * Wraps a source and a task so that the items of one group (consecutive items with the same
 * `groupOf` key) all finish before an item of the next group starts; within a group they still run
 * concurrently. Items of one group must come out of the source together for this to pay off.
 */
export function oneGroupAtATime<T>(
  source: () => T | undefined,
  groupOf: (item: T) => string,
  task: (item: T) => Promise<void>,
): GroupedWork<T> {
  let held: T | undefined;
  let current: string | undefined;
  let running = 0;
  return {
    next: () => {
      held ??= source();
      if (held === undefined) return undefined;
      const group = groupOf(held);
      // "Nothing right now": runBounded waits for a running item and asks again.
      if (running > 0 && group !== current) return undefined;
      current = group;
      const item = held;
      held = undefined;
      return item;
    },
    task: async (item) => {
      running++;
      try {
        await task(item);
      } finally {
        running--;
      }
    },
  };
}
