/**
 * A Tableau Server outage (a restart, a deploy, a gateway with no backend) lasting a number of
 * seconds, starting now or after a number of further /api requests, so a test can put it in the
 * middle of a sync. Three ways of being down:
 *
 * - `refuse`: the listener closes and open connections drop (connection refused, like a stopped
 *   service); it listens again on the same port when the outage ends. `/_sim/*` is down too.
 * - `503`: every /api request gets 503 with an HTML page, as a gateway in front of a restarting
 *   server answers.
 * - `reset`: every /api request has its connection dropped before an answer.
 */

/** How the server is down during an outage. */
export type OutageMode = 'refuse' | '503' | 'reset';

/** One outage on request (`--outage-s`, `POST /_sim/faults {"outage": …}`). */
export interface OutageSpec {
  seconds: number;
  /** /api requests still answered normally before the outage starts (default 0: now). */
  afterRequests?: number;
  /** Default `refuse`. */
  mode?: OutageMode;
}

/** What the outage needs from the HTTP server for `refuse`. */
export interface ListenerControl {
  stop(): void;
  restart(): Promise<void>;
}

/** What `GET /_sim/faults` shows under `outage`. */
export interface OutageStatus {
  active: boolean;
  mode?: OutageMode;
  endsInMs?: number;
  /** Requests still answered before an armed outage starts. */
  startsAfterRequests?: number;
  /** When the latest outage began (ms since the epoch). */
  lastStartedAt?: number;
}

const MODES: readonly OutageMode[] = ['refuse', '503', 'reset'];

/** A checked spec, or a problem text (for the CLI and `POST /_sim/faults`). */
export function parseOutageSpec(value: unknown): OutageSpec | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'outage must be an object {seconds, afterRequests?, mode?}';
  const { seconds, afterRequests = 0, mode = 'refuse', ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return `unknown outage option ${unknown}`;
  if (typeof seconds !== 'number' || !(seconds >= 0)) return 'outage.seconds must be a number ≥ 0';
  if (typeof afterRequests !== 'number' || !Number.isInteger(afterRequests) || afterRequests < 0) return 'outage.afterRequests must be a whole number ≥ 0';
  if (!MODES.includes(mode as OutageMode)) return `outage.mode must be one of ${MODES.join(', ')}`;
  return { seconds, afterRequests, mode: mode as OutageMode };
}

export class Outage {
  private pending: { spec: OutageSpec; left: number } | undefined;
  private active: { mode: OutageMode; endsAt: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** When the latest outage began (ms since the epoch), kept after it ends. */
  private lastStartedAt: number | undefined;

  constructor(private readonly listener: ListenerControl) {}

  /** Arms an outage (replacing any other); starts at once when `afterRequests` is 0. */
  schedule(spec: OutageSpec): void {
    this.end();
    this.pending = { spec, left: spec.afterRequests ?? 0 };
    if (this.pending.left === 0) this.begin();
  }

  /** The way the server is down for this /api request, or null when it answers. */
  onRequest(): OutageMode | null {
    if (this.pending && --this.pending.left < 0) this.begin();
    return this.active?.mode ?? null;
  }

  /** What `/_sim/faults` shows. */
  status(): OutageStatus {
    const last = this.lastStartedAt === undefined ? {} : { lastStartedAt: this.lastStartedAt };
    if (this.active) return { active: true, mode: this.active.mode, endsInMs: Math.max(0, this.active.endsAt - Date.now()), ...last };
    if (this.pending) return { active: false, startsAfterRequests: Math.max(0, this.pending.left), ...last };
    return { active: false, ...last };
  }

  /** Ends the outage now (or disarms a pending one). */
  end(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    const wasRefusing = this.active?.mode === 'refuse';
    this.active = undefined;
    if (wasRefusing && !this.closed) void this.listener.restart();
  }

  /** The simulator is closing: no listener restart after this. */
  close(): void {
    this.closed = true;
    this.end();
  }

  private begin(): void {
    const spec = this.pending!.spec;
    this.pending = undefined;
    const mode = spec.mode ?? 'refuse';
    this.lastStartedAt = Date.now();
    this.active = { mode, endsAt: this.lastStartedAt + spec.seconds * 1000 };
    if (mode === 'refuse') this.listener.stop();
    // Not unref'd: with the listener closed, this timer is what keeps a `tableau-sim` process alive.
    this.timer = setTimeout(() => this.end(), spec.seconds * 1000);
  }
}

/** The page a gateway shows while the server behind it restarts. */
export const UNAVAILABLE_PAGE = Buffer.from(
  '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1>' +
    '<p>The server is temporarily unable to service your request.</p></body></html>',
);
