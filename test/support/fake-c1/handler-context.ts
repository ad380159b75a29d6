/** The state the fake's BatonService handlers share, and their error type. */
import type * as grpc from '@grpc/grpc-js';
import type { Duration } from '../../../proto/index.js';
import type { Faults } from './faults.js';
import type { FakeC1Records } from './records.js';
import type { TaskQueue } from './task-queue.js';
import type { TokenStore } from './token-endpoint.js';

/** What the handlers share with the fake. */
export interface HandlerContext {
  store: TokenStore;
  records: FakeC1Records;
  queue: TaskQueue;
  faults: Faults;
  uploadDir: string;
  nextPollMs(): number;
  nextHeartbeatMs(): number;
}

/** A refusal with a gRPC code, thrown by handlers. */
export class RpcError extends Error {
  constructor(readonly code: grpc.status, details: string) {
    super(details);
  }
}

export const durationOf = (ms: number): Duration => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
