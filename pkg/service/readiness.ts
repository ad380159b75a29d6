/**
 * Readiness: "signed in to Tableau and not draining". Sign-in is proven by a successful
 * ConnectorService.Validate, retried with backoff until it works and re-checked periodically so a
 * revoked token or an unreachable Tableau turns the service NOT_SERVING.
 */
import type { Logger } from 'pino';
import type { ConnectorApi } from '../connector/api.js';
import { classifyError } from '../connector/errors.js';

/** Delays of the validate loop. */
export interface ReadinessTiming {
  firstRetryMs: number;
  maxRetryMs: number;
  recheckMs: number;
}

const DEFAULT_READINESS_TIMING: ReadinessTiming = { firstRetryMs: 1_000, maxRetryMs: 30_000, recheckMs: 5 * 60_000 };

export class Readiness {
  private signedIn = false;
  private draining = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private readonly listeners: ((ready: boolean) => void)[] = [];

  constructor(
    private readonly api: ConnectorApi,
    private readonly log: Logger,
    private readonly timing: ReadinessTiming = DEFAULT_READINESS_TIMING,
  ) {}

  get ready(): boolean {
    return this.signedIn && !this.draining;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  onChange(listener: (ready: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Starts the validate loop; resolves after the first attempt (successful or not). */
  async start(): Promise<void> {
    await this.attempt(this.timing.firstRetryMs);
  }

  /** Draining is final: the service never becomes ready again. */
  drain(): void {
    this.draining = true;
    this.abort.abort();
    clearTimeout(this.timer);
    this.notify();
  }

  private async attempt(nextDelayMs: number): Promise<void> {
    if (this.draining) return;
    const ok = await this.validate();
    if (this.draining) return;
    this.setSignedIn(ok);
    const delay = ok ? this.timing.recheckMs : nextDelayMs;
    const following = ok ? this.timing.firstRetryMs : Math.min(nextDelayMs * 2, this.timing.maxRetryMs);
    this.timer = setTimeout(() => void this.attempt(following), delay);
    this.timer.unref();
  }

  private async validate(): Promise<boolean> {
    const log = this.log.child({ step: 'validate' });
    try {
      await this.api.validate({}, { signal: this.abort.signal, log, syncId: '' });
      return true;
    } catch (err) {
      if (!this.draining) {
        const { status, message } = classifyError(err);
        log.warn({ status, error: message }, 'Tableau sign-in check failed; not ready');
      }
      return false;
    }
  }

  private setSignedIn(ok: boolean): void {
    if (ok === this.signedIn) return;
    this.signedIn = ok;
    this.log.info({ signedIn: ok }, ok ? 'signed in to Tableau: ready' : 'lost the Tableau sign-in: not ready');
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.ready);
  }
}
