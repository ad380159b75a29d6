/**
 * callContext's deadline timer, driven by a stand-in for grpc-js's server call object (a real client
 * cannot send a deadline past ~24.8 days: grpc-js wraps the `grpc-timeout` header to 32 bits).
 */
import { EventEmitter } from 'node:events';
import type * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { callContext } from '../../pkg/server/adapter.js';
import { boundMethods } from '../../pkg/server/methods.js';

const silent = pino({ level: 'silent' });
const DAY_MS = 24 * 3600 * 1000;

/** The parts of a ServerUnaryCall that callContext reads. */
function fakeCall(deadline: grpc.Deadline): grpc.ServerUnaryCall<object, Buffer> {
  const call = Object.assign(new EventEmitter(), {
    cancelled: false,
    request: {},
    metadata: { get: () => [] },
    getDeadline: () => deadline,
  });
  return call as unknown as grpc.ServerUnaryCall<object, Buffer>;
}

function abortedWithin(signal: AbortSignal, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('callContext deadline', () => {
  const method = boundMethods()[0]!;

  test('a deadline beyond the timer range (30 days) does not abort the call', async () => {
    const { ctx, dispose } = callContext(fakeCall(new Date(Date.now() + 30 * DAY_MS)), method, silent);
    expect(await abortedWithin(ctx.signal, 100)).toBe(false);
    dispose();
  });

  test('no deadline (Infinity) does not abort the call', async () => {
    const { ctx, dispose } = callContext(fakeCall(Infinity), method, silent);
    expect(await abortedWithin(ctx.signal, 50)).toBe(false);
    dispose();
  });

  test('a near deadline still aborts', async () => {
    const { ctx, dispose } = callContext(fakeCall(Date.now() + 20), method, silent);
    expect(await abortedWithin(ctx.signal, 5000)).toBe(true);
    dispose();
  });
});
