/**
 * Waiting on shared work under one caller's cancellation: the work goes on for the others waiting
 * on it, only this caller stops waiting.
 */

/** Waits for shared work, or rejects with the caller's abort reason (the work itself goes on). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
