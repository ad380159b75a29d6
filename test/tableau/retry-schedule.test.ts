/**
 * The retry schedule on a clock this test owns: the 5-minute default and the give-up arithmetic,
 * proven without waiting five minutes (the real-time outage runs are in test/reliability/outage-*.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { errorFromResponse, errorFromTransport, type TableauError } from '../../pkg/tableau/errors.js';
import { DEFAULT_RETRY, DEFAULT_RETRY_BUDGET_MS, resolveRetryPolicy, type RetryPolicy } from '../../pkg/tableau/retry.js';
import { formatDuration, isOutage, RetrySchedule } from '../../pkg/tableau/retry-schedule.js';

const endpoint = { method: 'GET', path: '/api/3.29/sites/3f1a/users?pageSize=1000' };
const refused = (): TableauError => errorFromTransport(endpoint, Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
const unavailable = (retryAfterSeconds?: number): TableauError =>
  errorFromResponse(endpoint, 503, undefined, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });

/** Fails every attempt with `fail()`, each attempt taking `attemptMs` of fake time; returns when and how it gave up. */
function runUntilGiveUp(policy: RetryPolicy, fail: () => TableauError, attemptMs: number, random: () => number) {
  let now = 1_000_000;
  const started = now;
  const schedule = new RetrySchedule(policy, Infinity, () => now, random);
  const delays: number[] = [];
  for (let attempt = 1; attempt < 100_000; attempt++) {
    now += attemptMs;
    const step = schedule.next(fail(), true);
    if ('error' in step) return { error: step.error, elapsedMs: now - started, delays };
    delays.push(step.delayMs);
    now += step.delayMs;
  }
  throw new Error('the schedule never gave up');
}

describe('retry schedule', () => {
  it('defaults to a 5-minute budget, uncapped outage attempts and 30 s backoff cap', () => {
    const policy = resolveRetryPolicy(undefined);
    expect(DEFAULT_RETRY_BUDGET_MS).toBe(300_000);
    expect(policy).toEqual(DEFAULT_RETRY);
    expect(policy).toMatchObject({ budgetMs: 300_000, outageMaxAttempts: Infinity, maxDelayMs: 30_000, maxAttempts: 6 });
    // Only a budget given (what the CLI does): outages stay uncapped by attempts.
    expect(resolveRetryPolicy({ budgetMs: 45_000 }).outageMaxAttempts).toBe(Infinity);
    // A caller capping attempts caps outages too, unless it says otherwise.
    expect(resolveRetryPolicy({ maxAttempts: 2 }).outageMaxAttempts).toBe(2);
    expect(resolveRetryPolicy({ maxAttempts: 2, outageMaxAttempts: 50 }).outageMaxAttempts).toBe(50);
  });

  it('tells outages from other failures', () => {
    expect(isOutage(refused())).toBe(true);
    expect(isOutage(unavailable())).toBe(true);
    expect(isOutage(errorFromResponse(endpoint, 502, undefined))).toBe(true);
    expect(isOutage(errorFromResponse(endpoint, 504, undefined))).toBe(true);
    expect(isOutage(errorFromTransport(endpoint, Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' })))).toBe(true);
    expect(isOutage(errorFromResponse(endpoint, 500, { code: '500000' }))).toBe(false);
    expect(isOutage(errorFromResponse(endpoint, 429, { code: '429000' }))).toBe(false);
  });

  for (const [name, random] of [['shortest', () => 0], ['longest', () => 0.999999], ['middle', () => 0.5]] as const) {
    it(`rides out a refused connection for the default 5 minutes, then gives up within one backoff (${name} jitter)`, () => {
      const { error, elapsedMs, delays } = runUntilGiveUp(resolveRetryPolicy(undefined), refused, 3, random);
      expect(elapsedMs).toBeGreaterThanOrEqual(300_000);
      expect(elapsedMs).toBeLessThanOrEqual(300_000 + 30_000);
      expect(Math.max(...delays)).toBeLessThanOrEqual(30_000);
      expect(error.code).toBe('NETWORK');
      expect(error.unreachableForMs).toBeGreaterThanOrEqual(300_000);
      expect(error.message).toMatch(/^Tableau unreachable for 5m0s: Tableau GET \/api\/3\.29\/sites\/3f1a\/users\?pageSize=1000 failed: connection error \(ECONNREFUSED\)$/);
    });
  }

  it('gives up after the budget plus one attempt when every attempt hangs until its timeout', () => {
    const timeout = () => errorFromTransport(endpoint, Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }));
    const { error, elapsedMs } = runUntilGiveUp(resolveRetryPolicy(undefined), timeout, 120_000, () => 0.5);
    expect(elapsedMs).toBeLessThanOrEqual(120_000 + 300_000 + 120_000);
    expect(error.message).toMatch(/^Tableau unreachable for \dm\d+s: /);
  });

  it('honours a shorter budget (--retry-budget 45s)', () => {
    const { error, elapsedMs } = runUntilGiveUp(resolveRetryPolicy({ budgetMs: 45_000 }), unavailable, 2, () => 0.999);
    expect(elapsedMs).toBeGreaterThanOrEqual(45_000);
    expect(elapsedMs).toBeLessThanOrEqual(45_000 + 30_000);
    expect(error.message).toMatch(/^Tableau unreachable for 45s: Tableau GET .* failed \(503\): HTTP 503$/);
  });

  it('gives other retryable failures a number of attempts, not the whole budget', () => {
    const serverError = () => errorFromResponse(endpoint, 500, { code: '500000', summary: 'Internal error' });
    const { error, delays } = runUntilGiveUp(resolveRetryPolicy(undefined), serverError, 5, () => 0.5);
    expect(delays).toHaveLength(5);
    expect(error.unreachableForMs).toBeUndefined();
    expect(error.message).toContain('500000');
  });

  it('honours Retry-After within the budget and gives up at once on one beyond it', () => {
    const policy = resolveRetryPolicy({ budgetMs: 60_000 });
    let now = 0;
    const schedule = new RetrySchedule(policy, Infinity, () => now, () => 0);
    expect(schedule.next(unavailable(20), true)).toEqual({ delayMs: 20_000 });
    now = 25_000;
    const step = schedule.next(unavailable(40), true);
    expect('error' in step && step.error.httpStatus).toBe(503);
  });

  it('never retries what must not be sent again, and keeps the per-call attempt cap', () => {
    const schedule = new RetrySchedule(resolveRetryPolicy(undefined), Infinity, () => 0, () => 0);
    expect('error' in schedule.next(refused(), false)).toBe(true);
    const once = new RetrySchedule(resolveRetryPolicy(undefined), 1, () => 0, () => 0);
    expect('error' in once.next(refused(), true)).toBe(true);
  });

  it('formats durations as the flags take them', () => {
    expect([formatDuration(300_000), formatDuration(45_000), formatDuration(3_723_000), formatDuration(400)]).toEqual(['5m0s', '45s', '1h2m3s', '0s']);
  });
});
