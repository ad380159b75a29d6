import { describe, expect, it } from 'vitest';
import { TableauError, errorFromResponse, errorFromTransport } from '../../pkg/tableau/errors.js';
import {
  AdaptiveLimiter, backoffDelayMs, parseRetryAfterDetail, parseRetryAfterHeader, resolveRetryPolicy, sleep,
} from '../../pkg/tableau/retry.js';
import { connectedAppJwt, DEFAULT_JWT_SCOPES, signInRequest } from '../../pkg/tableau/credentials.js';
import { compareVersions, requireFeature } from '../../pkg/tableau/versions.js';
import { createHmac } from 'node:crypto';

const endpoint = { method: 'GET', path: '/api/3.29/sites/3f1a/users?pageSize=1000' };

describe('error factory', () => {
  it('classifies Tableau codes and HTTP statuses', () => {
    const cases: [number, string | undefined, string, boolean][] = [
      [401, '401002', 'UNAUTHORIZED', false], [403, '403069', 'SITES_QUERY_NOT_SUPPORTED', false],
      [403, '403014', 'BAD_REQUEST', false], [404, '404002', 'NOT_FOUND', false], [409, '409011', 'CONFLICT', false],
      [429, '429000', 'RATE_LIMITED', true], [503, undefined, 'SERVER_ERROR', true], [500, '500000', 'SERVER_ERROR', true],
      [400, '400013', 'BAD_REQUEST', false], [403, undefined, 'FORBIDDEN', false], [501, undefined, 'NOT_IMPLEMENTED', false],
    ];
    for (const [status, code, expected, retryable] of cases) {
      const err = errorFromResponse(endpoint, status, code ? { code } : undefined);
      expect([err.code, err.retryable], `${status} ${code}`).toEqual([expected, retryable]);
    }
    expect(errorFromResponse(endpoint, 401, { code: '401001' }, { signIn: true }).code).toBe('SIGN_IN_FAILED');
    expect(errorFromResponse(endpoint, 401, undefined, { signIn: true }).code).toBe('SIGN_IN_FAILED');
  });

  it('names the endpoint and Tableau details in the message', () => {
    const err = errorFromResponse(endpoint, 409, { code: '409011', summary: 'Conflict', detail: 'already in group' });
    expect(err).toBeInstanceOf(TableauError);
    expect(err.name).toBe('TableauError');
    expect(err.message).toContain('GET /api/3.29/sites/3f1a/users?pageSize=1000');
    expect(err.message).toContain('409011: Conflict: already in group');
    expect(err).toMatchObject({ tableauCode: '409011', httpStatus: 409, method: 'GET', summary: 'Conflict', detail: 'already in group' });
  });

  it('maps transport failures and aborts', () => {
    const reset = errorFromTransport(endpoint, Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect([reset.code, reset.retryable]).toEqual(['NETWORK', true]);
    const timeout = errorFromTransport(endpoint, Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }));
    expect(timeout.code).toBe('TIMEOUT');
    const controller = new AbortController();
    controller.abort();
    expect(errorFromTransport(endpoint, new Error('x'), controller.signal).code).toBe('ABORTED');
  });
});

describe('retry arithmetic', () => {
  const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });

  it('uses full jitter under an exponential, capped ceiling', () => {
    expect(backoffDelayMs(policy, 1, () => 0.999)).toBe(99);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(200);
    expect(backoffDelayMs(policy, 10, () => 0.999)).toBe(999);
    expect(backoffDelayMs(policy, 4, () => 0)).toBe(0);
  });

  it('parses Retry-After as seconds or HTTP date and Tableau detail text', () => {
    expect(parseRetryAfterHeader('7')).toBe(7);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterHeader('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfterHeader('soon')).toBeUndefined();
    expect(parseRetryAfterHeader(undefined)).toBeUndefined();
    expect(parseRetryAfterDetail("Too many requests for 'api.rest.refresh_extracts'. Please retry after 29 minutes.")).toBe(1740);
    expect(parseRetryAfterDetail('retry after 5 seconds')).toBe(5);
    expect(parseRetryAfterDetail('nothing')).toBeUndefined();
  });

  it('sleep rejects with ABORTED when cancelled', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('AIMD limiter halves on 429 and grows back after successes', async () => {
    const limiter = new AdaptiveLimiter(8, 3);
    limiter.onRateLimited();
    limiter.onRateLimited();
    expect(limiter.limit).toBe(2);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    let third = false;
    const pending = limiter.acquire().then((release) => { third = true; return release; });
    // A whole event-loop turn: admission goes through async layers, one microtask would prove nothing.
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    for (let i = 0; i < 3; i++) limiter.onSuccess();
    expect(limiter.limit).toBe(3);
    (await pending)();
    expect(third).toBe(true);
    a();
    b();
    for (let i = 0; i < 100; i++) limiter.onSuccess();
    expect(limiter.limit).toBe(8);
  });

  it('a caller that gives up while waiting for the limiter gets ABORTED and leaves the line', async () => {
    const limiter = new AdaptiveLimiter(1, 1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    held();
    const next = await limiter.acquire();
    next();
  });
});

describe('credentials and versions', () => {
  it('signs a connected-app JWT with the documented header and claims', () => {
    const creds = { kind: 'jwt' as const, clientId: 'client', secretId: 'kid-1', secretValue: 'shh', username: 'admin@x' };
    const now = Date.parse('2026-01-01T00:00:00Z');
    const token = connectedAppJwt(creds, now);
    const [h, p, sig] = token.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'kid-1', iss: 'client' });
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'client', sub: 'admin@x', aud: 'tableau', exp: now / 1000 + 300, scp: [...DEFAULT_JWT_SCOPES] });
    expect(createHmac('sha256', 'shh').update(`${h}.${p}`).digest('base64url')).toBe(sig);
    const again = JSON.parse(Buffer.from(connectedAppJwt(creds, now).split('.')[1]!, 'base64url').toString());
    expect(again.jti).not.toBe(claims.jti);
  });

  it('builds each sign-in body', () => {
    expect(signInRequest({ kind: 'pat', name: 'n', secret: 's' }, 'sales')).toEqual({
      credentials: { personalAccessTokenName: 'n', personalAccessTokenSecret: 's', site: { contentUrl: 'sales' } },
    });
    expect(signInRequest({ kind: 'password', username: 'u', password: 'p' }, '')).toEqual({
      credentials: { name: 'u', password: 'p', site: { contentUrl: '' } },
    });
  });

  it('compares versions numerically and gates features', () => {
    expect(compareVersions('3.10', '3.9')).toBeGreaterThan(0);
    expect(compareVersions('3.21', '3.21')).toBe(0);
    expect(() => requireFeature('3.20', 'bulkGroupMembership')).toThrow(expect.objectContaining({ code: 'VERSION_UNSUPPORTED' }));
    expect(() => requireFeature('3.21', 'bulkGroupMembership')).not.toThrow();
  });
});
