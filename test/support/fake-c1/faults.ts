/**
 * Injected failures of the fake ConductorOne: gRPC calls answered with an error code for the next N
 * calls or for a while, refused uploads, and token endpoint errors.
 */
import { status } from '@grpc/grpc-js';

/** Which calls a fault applies to; every BatonService method when omitted. */
export interface FaultScope {
  methods?: string[];
  /** The gRPC code to answer (default UNAVAILABLE). */
  code?: status;
}

interface CallFault {
  code: status;
  methods?: Set<string>;
  remaining: number;
  until: number;
}

export class Faults {
  private callFaults: CallFault[] = [];
  private uploadFailures = 0;
  private tokenFailures: { remaining: number; status: number } = { remaining: 0, status: 503 };

  /** The next `n` matching calls fail with `scope.code`. */
  failCalls(n: number, scope: FaultScope = {}): void {
    this.callFaults.push({ code: scope.code ?? status.UNAVAILABLE, methods: scope.methods && new Set(scope.methods), remaining: n, until: Infinity });
  }

  /** Matching calls fail with `scope.code` for the next `ms` milliseconds. */
  failFor(ms: number, scope: FaultScope = {}): void {
    this.callFaults.push({ code: scope.code ?? status.UNAVAILABLE, methods: scope.methods && new Set(scope.methods), remaining: Infinity, until: Date.now() + ms });
  }

  /** The next `n` UploadAsset streams are read to the end and then refused with UNAVAILABLE. */
  failUploads(n: number): void {
    this.uploadFailures += n;
  }

  /** The next `n` token requests get HTTP `httpStatus` instead of a token. */
  failTokens(n: number, httpStatus = 503): void {
    this.tokenFailures = { remaining: n, status: httpStatus };
  }

  /** Drops every pending fault. */
  clear(): void {
    this.callFaults = [];
    this.uploadFailures = 0;
    this.tokenFailures.remaining = 0;
  }

  /** The code a call of `method` must fail with now, if any (consumes one of a counted fault). */
  takeCallFault(method: string): status | undefined {
    const now = Date.now();
    this.callFaults = this.callFaults.filter((f) => f.remaining > 0 && f.until > now);
    const fault = this.callFaults.find((f) => !f.methods || f.methods.has(method));
    if (!fault) return undefined;
    fault.remaining--;
    return fault.code;
  }

  takeUploadFault(): boolean {
    if (this.uploadFailures <= 0) return false;
    this.uploadFailures--;
    return true;
  }

  takeTokenFault(): number | undefined {
    if (this.tokenFailures.remaining <= 0) return undefined;
    this.tokenFailures.remaining--;
    return this.tokenFailures.status;
  }
}
