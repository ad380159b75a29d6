/**
 * Waiting on shared work under one caller's cancellation: the work goes on for the others waiting
 * on it, only this caller stops waiting.
 */

/**
 * Waits for shared work, or rejects when `signal` aborts (the work itself goes on). The rejection is
 * the abort reason, or what `abortError` makes of it (pkg/tableau answers with its ABORTED error).
 * Without a signal it is the work itself.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, abortError: (reason: unknown) => unknown = (r) => r): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(abortError(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
