/**
 * When one call tries again, and when it gives up. Two kinds of failure are told apart:
 *
 * - an outage (connection refused or reset, 502/503/504, a timeout): Tableau Server restarts take
 *   minutes, so these are retried for as long as the time budget lasts, counted from the call's first
 *   failure, with capped exponential backoff and jitter;
 * - any other retryable failure (500, 429, a body cut short): a fixed number of attempts, also within
 *   the budget, since asking again and again will not change Tableau's mind.
 *
 * A `Retry-After` is honoured, but never past the budget: a wait that would end beyond it gives up at
 * once. The last wait is shortened to end at the budget, so a call gives up at most one attempt after
 * the budget is spent, never later. Pure arithmetic on an injected clock, so it can be tested without
 * waiting.
 */
import { TableauError } from './errors.js';
import { backoffDelayMs, type RetryPolicy } from './retry.js';

/** What to do after a failed attempt: wait `delayMs` and try again, or throw `error`. */
export type RetryStep = { delayMs: number } | { error: TableauError };

/** Failures that mean Tableau (or the way to it) is down for a while, rather than refusing this call. */
export function isOutage(err: TableauError): boolean {
  if (err.code === 'NETWORK' || err.code === 'TIMEOUT') return true;
  return err.httpStatus === 502 || err.httpStatus === 503 || err.httpStatus === 504;
}

/** Go-style rendering of a duration in whole seconds (`5m0s`, `45s`, `1h2m3s`), as flags take it. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

/** The retry state of one call. */
export class RetrySchedule {
  private firstFailureAt: number | undefined;
  private failures = 0;
  private otherFailures = 0;

  constructor(
    private readonly policy: RetryPolicy,
    /** Attempts cap of this call (sign-out: 1), on top of the policy. */
    private readonly callMaxAttempts = Infinity,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Decides after a failed attempt; `replayable`: the call may be sent again after this failure. */
  next(err: TableauError, replayable: boolean): RetryStep {
    const at = this.now();
    this.firstFailureAt ??= at;
    this.failures++;
    const outage = isOutage(err);
    if (!outage) this.otherFailures++;
    if (!err.retryable || !replayable || this.failures >= this.callMaxAttempts) return { error: err };
    const cap = outage ? this.policy.outageMaxAttempts : this.policy.maxAttempts;
    if ((outage ? this.failures : this.otherFailures) >= cap) return { error: err };
    const elapsed = at - this.firstFailureAt;
    const remaining = this.policy.budgetMs - elapsed;
    if (remaining <= 0) return { error: outage ? unreachable(err, elapsed) : err };
    const asked = err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : 0;
    // Tableau said when to come back, and that is past the budget: waiting would only delay the failure.
    if (asked > remaining) return { error: err };
    const backoff = outage ? this.outageBackoffMs() : backoffDelayMs(this.policy, this.failures, this.random);
    return { delayMs: Math.min(Math.max(backoff, asked), remaining) };
  }

  /**
   * Half the exponential ceiling plus jitter on the other half: full jitter may draw near-zero waits
   * many times over, and a server coming back from a restart should not meet a tight reconnect loop.
   */
  private outageBackoffMs(): number {
    const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** Math.max(0, this.failures - 1));
    return Math.floor(ceiling / 2 + this.random() * (ceiling / 2));
  }
}

/** The outage error a call gives up with: how long Tableau was unreachable, then the last failure. */
function unreachable(err: TableauError, elapsedMs: number): TableauError {
  return err.withMessage(`Tableau unreachable for ${formatDuration(elapsedMs)}: ${err.message}`, { unreachableForMs: elapsedMs });
}
