/**
 * Waiting in line, once for the whole code base: a first-in-first-out admission queue whose callers
 * may give up (abort) while they wait, and the counting semaphore built on it. Arrival order is kept
 * strictly: a newcomer never overtakes a waiter, even when it alone would fit, so a steady stream of
 * callers cannot starve one that waits for more room.
 */

/** How a caller waits: `signal` ends the wait, `abortError` turns its reason into what is thrown. */
export interface WaitOptions {
  signal?: AbortSignal | undefined;
  /** The error thrown when `signal` fires before admission; default: the signal's reason itself. */
  abortError?: ((reason: unknown) => unknown) | undefined;
}

interface Waiter<T> {
  readonly ticket: T;
  readonly admit: () => void;
}

/**
 * Admits tickets in arrival order: the head of the line enters as soon as `mayEnter(ticket)` holds,
 * and `onEnter(ticket)` records it. Whoever changes what `mayEnter` sees (a release, a raised limit)
 * calls {@link FifoGate.pump}.
 */
export class FifoGate<T> {
  private readonly line: Waiter<T>[] = [];

  constructor(
    private readonly mayEnter: (ticket: T) => boolean,
    private readonly onEnter: (ticket: T) => void,
  ) {}

  /** Callers waiting in line. */
  get waiting(): number {
    return this.line.length;
  }

  /** Resolves once `ticket` has entered; rejects (and leaves the line) when `options.signal` fires first. */
  async enter(ticket: T, options: WaitOptions = {}): Promise<void> {
    const { signal, abortError = (reason: unknown) => reason } = options;
    if (signal?.aborted) throw abortError(signal.reason);
    if (this.line.length === 0 && this.mayEnter(ticket)) {
      this.onEnter(ticket);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.line.indexOf(waiter);
        if (index < 0) return;
        this.line.splice(index, 1);
        reject(abortError(signal?.reason));
        // The one that left may have been holding the line up for those behind it.
        this.pump();
      };
      const waiter: Waiter<T> = {
        ticket,
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.line.push(waiter);
    });
  }

  /** Lets waiters in from the head of the line for as long as the head may enter. */
  pump(): void {
    while (this.line.length > 0) {
      const head = this.line[0]!;
      if (!this.mayEnter(head.ticket)) return;
      this.line.shift();
      this.onEnter(head.ticket);
      head.admit();
    }
  }
}

/** A release function that does its work only the first time it is called. */
export function releaseOnce(release: () => void): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
  };
}

/**
 * Counting semaphore with first-in-first-out waiters and abortable waits. The limit may change while
 * permits are out: lowering it lets nobody new in until enough are released, raising it admits
 * waiters at once.
 */
export class Semaphore {
  private active = 0;
  private permits: number;
  private readonly gate = new FifoGate<void>(
    () => this.active < this.permits,
    () => void this.active++,
  );

  constructor(limit: number) {
    this.permits = limit;
  }

  /** How many holders may be inside at once. */
  get limit(): number {
    return this.permits;
  }

  set limit(value: number) {
    this.permits = value;
    this.gate.pump();
  }

  /** Holders inside now. */
  get inUse(): number {
    return this.active;
  }

  /** Waits for a permit; the returned function gives it back (extra calls do nothing). */
  async acquire(options?: WaitOptions): Promise<() => void> {
    await this.gate.enter(undefined, options);
    return releaseOnce(() => {
      this.active--;
      this.gate.pump();
    });
  }
}
