/**
 * The Hello sent at start (the SDK's bootstrap): retried with exponential backoff from 1 s up to
 * 5 min while ConductorOne is unreachable, but never on an answer that retrying cannot change —
 * refused credentials above all, which end the process with one clear line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { BatonServiceHelloRequest } from '../../../proto/baton-service.js';
import type { BatonClient, CallError } from './baton-client.js';
import { TokenError } from './token-source.js';

const FIRST_WAIT_MS = 1_000;
const MAX_WAIT_MS = 5 * 60_000;
/** The codes the SDK's bootstrap gives up on. */
const FINAL_CODES = new Set([
  grpc.status.UNAUTHENTICATED,
  grpc.status.PERMISSION_DENIED,
  grpc.status.INVALID_ARGUMENT,
  grpc.status.UNIMPLEMENTED,
  grpc.status.FAILED_PRECONDITION,
  grpc.status.NOT_FOUND,
]);

/** ConductorOne will not have this connector: the process must stop (exit 1). */
export class ConductorOneRefused extends Error {
  override readonly name = 'ConductorOneRefused';
}

function refusal(err: unknown): ConductorOneRefused | undefined {
  if (err instanceof TokenError) {
    if (err.kind !== 'refused') return undefined;
    return new ConductorOneRefused(`ConductorOne refused the client credentials (--client-id / --client-secret): ${err.message}`);
  }
  const code = (err as CallError).code;
  if (code === undefined || !FINAL_CODES.has(code)) return undefined;
  if (code === grpc.status.UNAUTHENTICATED || code === grpc.status.PERMISSION_DENIED) {
    return new ConductorOneRefused(`ConductorOne refused the client credentials (--client-id / --client-secret): Hello answered ${grpc.status[code]}`);
  }
  return new ConductorOneRefused(`ConductorOne refused this connector's Hello: ${grpc.status[code]} ${(err as CallError).details ?? ''}`.trim());
}

/** Sends Hello until it is accepted; throws ConductorOneRefused, or returns false when `stop` fired first. */
export async function sendStartupHello(
  client: BatonClient,
  request: () => Promise<BatonServiceHelloRequest>,
  log: Logger,
  stop: AbortSignal,
): Promise<boolean> {
  let waitMs = FIRST_WAIT_MS;
  for (;;) {
    try {
      await client.unary('Hello', await request(), stop);
      return true;
    } catch (err) {
      if (stop.aborted) return false;
      const refused = refusal(err);
      if (refused) throw refused;
      log.warn({ code: (err as CallError).code, reason: (err as Error).message, retryInMs: waitMs }, 'ConductorOne is not reachable yet; saying Hello again later');
      try {
        await sleep(waitMs, undefined, { signal: stop });
      } catch {
        return false;
      }
      waitMs = Math.min(MAX_WAIT_MS, waitMs * 2);
    }
  }
}
