/**
 * The adapter between grpc-js unary calls and the async ConnectorApi: it builds the CallCtx, applies
 * the provisioning gate and request validation, encodes the response, and owns the only
 * error → status conversion of the server (via status.ts).
 */
import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { encode } from '../../proto/index.js';
import type { ConnectorApi } from '../connector/api.js';
import { ConnectorError, failedPrecondition } from '../connector/errors.js';
import type { CallCtx } from '../connector/types.js';
import { asBuffer, type BoundMethod, type MethodBinding } from './methods.js';
import { toServerStatus } from './status.js';
import { validators, type Validator } from './validate.js';

/** grpc-js's default receive limit on clients: a bigger response would fail there, obscurely. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const REQUEST_ID_KEY = 'x-request-id';
/** setTimeout's largest delay (~24.8 days); a longer one overflows and Node fires it after 1 ms. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Options shared by every handler. */
export interface AdapterOptions {
  log: Logger;
  /** When false, mutating RPCs answer FAILED_PRECONDITION without reaching the api. */
  provisioning: boolean;
}

type UnaryCall = grpc.ServerUnaryCall<object, Buffer>;

function requestIdOf(call: UnaryCall): string {
  const given = call.metadata.get(REQUEST_ID_KEY)[0];
  return typeof given === 'string' && given.length > 0 ? given : randomUUID();
}

function deadlineMs(call: UnaryCall): number {
  const deadline = call.getDeadline();
  return deadline instanceof Date ? deadline.getTime() : deadline;
}

/**
 * A CallCtx whose signal aborts when the caller cancels or the deadline passes; `dispose` when done.
 * Exported for tests: grpc-js 1.14 itself wraps a `grpc-timeout` past ~24.8 days to 32 bits, so a real
 * client cannot deliver such a deadline, but `getDeadline()` may hold any number.
 */
export function callContext(call: UnaryCall, method: BoundMethod, log: Logger): { ctx: CallCtx; dispose: () => void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort(new DOMException('the call was cancelled', 'AbortError'));
  call.on('cancelled', abort);
  if (call.cancelled) abort();
  const remaining = deadlineMs(call) - Date.now();
  // A deadline beyond the timer's range is, for a unary call, as good as none: skip the timer.
  const timer = remaining <= MAX_TIMER_DELAY_MS ? setTimeout(abort, Math.max(0, remaining)) : undefined;
  const request = call.request as { activeSyncId?: string };
  const ctx: CallCtx = {
    signal: controller.signal,
    log: log.child({ method: method.definition.path, requestId: requestIdOf(call) }),
    syncId: request.activeSyncId ?? '',
  };
  const dispose = (): void => {
    clearTimeout(timer);
    call.off('cancelled', abort);
  };
  return { ctx, dispose };
}

/**
 * One connector call as the server makes it: the provisioning gate, the request rules, then the api.
 * ConductorOne service mode runs its provisioning tasks through this too, so both modes gate and
 * validate alike.
 */
export async function callConnector(
  api: ConnectorApi,
  method: MethodBinding,
  request: object,
  ctx: CallCtx,
  opts: { provisioning: boolean },
): Promise<object | undefined> {
  if (method.provisioning && !opts.provisioning) throw failedPrecondition('provisioning is not enabled');
  (validators[method.api] as Validator<object>)(request);
  const call = api[method.api] as (req: object, ctx: CallCtx) => Promise<object | undefined>;
  return call.call(api, request, ctx);
}

async function answer(api: ConnectorApi, method: BoundMethod, request: object, ctx: CallCtx, opts: AdapterOptions): Promise<Buffer> {
  const response = await callConnector(api, method, request, ctx, opts);
  const bytes = asBuffer(encode(method.responseType, response ?? {}));
  if (bytes.byteLength > MAX_RESPONSE_BYTES) {
    throw new ConnectorError('RESOURCE_EXHAUSTED', `response of ${bytes.byteLength} bytes exceeds the 4 MiB gRPC limit`);
  }
  return bytes;
}

/** The grpc-js handler of one bound RPC. */
export function unaryHandler(api: ConnectorApi, method: BoundMethod, opts: AdapterOptions): grpc.handleUnaryCall<object, Buffer> {
  return (call, callback) => {
    const { ctx, dispose } = callContext(call, method, opts.log);
    answer(api, method, call.request, ctx, opts)
      .then(
        (bytes) => callback(null, bytes),
        (err: unknown) => callback(toServerStatus(err, ctx.log)),
      )
      .finally(dispose);
  };
}
