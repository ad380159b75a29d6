/**
 * Deterministic fault injection: one seeded roll per fault kind for every /api request (except
 * serverinfo), in arrival order, so the same seed and request sequence give the same faults even
 * when rates change at run time. Session kills count authenticated requests.
 */
import { Rng } from './rng.js';
import type { FaultOptions } from './types.js';

/** The fault chosen for one request, or null. */
export type FaultDecision = 'reset' | '429' | '5xx' | 'truncate' | null;

export class FaultInjector {
  private readonly rng: Rng;
  // Spikes roll on their own stream so enabling them does not shift the other faults of a seed.
  private readonly spikeRng: Rng;
  private authenticatedCount = 0;

  constructor(seed: number, public options: FaultOptions) {
    this.rng = new Rng(seed ^ 0x5eed);
    this.spikeRng = new Rng(seed ^ 0x5b1e);
  }

  /** Milliseconds to hold the next /api request: the base latency plus, sometimes, a spike. */
  delayMs(): number {
    const o = this.options;
    const spike = o.latencySpikeRate > 0 && this.spikeRng.next() < o.latencySpikeRate ? o.latencySpikeMs : 0;
    return o.latencyMs + spike;
  }

  set(partial: Partial<FaultOptions>): void {
    this.options = { ...this.options, ...partial };
  }

  /** The fault (if any) for the next request. */
  decide(): FaultDecision {
    const rolls = [this.rng.next(), this.rng.next(), this.rng.next(), this.rng.next()] as const;
    const o = this.options;
    if (rolls[0] < o.faultResetRate) return 'reset';
    if (rolls[1] < o.fault429Rate) return '429';
    if (rolls[2] < o.fault5xxRate) return '5xx';
    if (rolls[3] < o.faultTruncateRate) return 'truncate';
    return null;
  }

  /** True when this authenticated request's session must die (every Nth one). */
  killSessionNow(): boolean {
    if (this.options.sessionKillEvery <= 0) return false;
    this.authenticatedCount++;
    return this.authenticatedCount % this.options.sessionKillEvery === 0;
  }

  /** 500 or 503, alternating deterministically. */
  serverErrorStatus(): 500 | 503 {
    return this.rng.next() < 0.5 ? 500 : 503;
  }
}
