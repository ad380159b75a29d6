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

/** Adapt a (synchronous) iterator to the `next()` shape of {@link runBounded}. */
export function pullFrom<T>(iterator: Iterator<T>): () => T | undefined {
  let done = false;
  return () => {
    if (done) return undefined;
    const step = iterator.next();
    if (step.done) done = true;
    return step.done ? undefined : step.value;
  };
}
