/**
 * Retry arithmetic and the adaptive concurrency limiter: exponential backoff with full jitter,
 * Retry-After parsing (header or Tableau's "retry after N minutes" detail), abortable sleep and
 * AIMD (halve on 429, +1 after a run of successes).
 */
import { setTimeout as wait } from 'node:timers/promises';
import { Semaphore } from '../util/semaphore.js';
import { abortedError } from './errors.js';

/** Resolved retry settings (see retry-schedule.ts for how they combine). */
export interface RetryPolicy {
  /** Attempts of one call failing with retryable errors that are not an outage (500, 429, cut bodies). */
  maxAttempts: number;
  /** Attempts of one call during an outage (refused, reset, 502–504, timeouts); default: no cap, the budget decides. */
  outageMaxAttempts: number;
  baseDelayMs: number;
  /** Cap of one backoff wait. */
  maxDelayMs: number;
  /** How long one call keeps trying, from its first failure: a Tableau Server restart takes minutes. */
  budgetMs: number;
}

/** The default budget: rides out a Tableau Server restart (a few minutes). */
export const DEFAULT_RETRY_BUDGET_MS = 5 * 60_000;

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6, outageMaxAttempts: Infinity, baseDelayMs: 200, maxDelayMs: 30_000, budgetMs: DEFAULT_RETRY_BUDGET_MS,
};

/**
 * Fills in defaults. A caller that caps `maxAttempts` without saying anything about outages (tests,
 * embedders wanting quick failures) gets the same cap for outages too.
 */
export function resolveRetryPolicy(opts: Partial<RetryPolicy> | undefined): RetryPolicy {
  const maxAttempts = Math.max(1, opts?.maxAttempts ?? DEFAULT_RETRY.maxAttempts);
  const outageCap = opts?.outageMaxAttempts ?? (opts?.maxAttempts !== undefined ? maxAttempts : DEFAULT_RETRY.outageMaxAttempts);
  return {
    maxAttempts,
    outageMaxAttempts: Math.max(1, outageCap),
    baseDelayMs: Math.max(0, opts?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: Math.max(0, opts?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs),
    budgetMs: Math.max(0, opts?.budgetMs ?? DEFAULT_RETRY.budgetMs),
  };
}

/** Full-jitter backoff before retry number `retry` (1-based): uniform in [0, min(cap, base·2^(retry-1))]. */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as delta-seconds or an HTTP date → seconds (≥ 0), or undefined when absent/invalid. */
export function parseRetryAfterHeader(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Tableau 429 detail: "Please retry after 29 minutes." → 1740 (also seconds/hours). */
export function parseRetryAfterDetail(detail: string | undefined): number | undefined {
  const match = detail?.match(/retry after (\d+)\s*(second|minute|hour)s?/i);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase();
  const factor = unit === 'hour' ? 3600 : unit === 'minute' ? 60 : 1;
  return Number(match[1]) * factor;
}

/** Resolves after `ms`, or rejects with an ABORTED TableauError when `signal` fires. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw abortedError('wait', signal.reason);
  if (ms <= 0) return;
  try {
    await wait(ms, undefined, signal ? { signal } : undefined);
  } catch (err) {
    // node:timers rejects with its own AbortError; callers check for Tableau's ABORTED code.
    if (signal?.aborted) throw abortedError('wait', signal.reason);
    throw err;
  }
}

/**
 * Semaphore whose limit adapts: halved on a rate-limit signal, raised by one after `increaseAfter`
 * consecutive successes, never above `max` nor below 1.
 */
export class AdaptiveLimiter {
  private successes = 0;
  private readonly slots: Semaphore;

  constructor(readonly max: number, private readonly increaseAfter = 10) {
    this.slots = new Semaphore(max);
  }

  /** Requests allowed in flight now. */
  get limit(): number {
    return this.slots.limit;
  }

  /** Waits for a slot; the returned function releases it (call exactly once). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return this.slots.acquire({ signal, abortError: (reason) => abortedError('request', reason) });
  }

  onRateLimited(): void {
    this.slots.limit = Math.max(1, Math.floor(this.limit / 2));
    this.successes = 0;
  }

  onSuccess(): void {
    if (this.limit >= this.max) return;
    if (++this.successes >= this.increaseAfter) {
      this.successes = 0;
      this.slots.limit = this.limit + 1;
    }
  }
}
