/**
 * Sessions: single-flight sign-in shared by concurrent requests, one re-sign-in per stale session
 * (skipped when another request already refreshed it), sign-out on close.
 * PAT: one shared session moved between sites behind a {@link SiteGate} (switchSite when allowed, else
 * a new sign-in). Password/JWT: one independent session per site content URL.
 */
import type { SessionInfo } from './types.js';
import type { SessionLease, SessionSource } from './http.js';
import { SiteGate } from './site-gate.js';
import { abortedError, TableauError } from './errors.js';
import { untilAborted } from '../util/abort.js';

/** The auth endpoints, provided by the client (they run through the same HTTP pipeline). */
export interface AuthEndpoints {
  signIn(contentUrl: string): Promise<SessionInfo>;
  switchSite(token: string, contentUrl: string): Promise<SessionInfo>;
  signOut(token: string): Promise<void>;
  onSignIn(reason: 'initial' | 'reauth' | 'switch'): void;
}

/** Waits for a shared promise without letting one caller's abort cancel it for the others. */
function raceSignal<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  return untilAborted(promise, signal, (reason) => abortedError('sign-in wait', reason));
}

/** One live session (or none) and the single in-flight operation that changes it. */
class SessionSlot {
  session: SessionInfo | undefined;
  /** Content URL the session was opened for, as requested (Tableau may echo it differently). */
  site: string | undefined;
  generation = 0;
  private pending: Promise<void> | undefined;
  private switchUnsupported = false;

  constructor(private readonly auth: AuthEndpoints, private readonly canSwitch: boolean) {}

  /** Ensures a session on `site` exists (signing in or switching once, shared by all callers). */
  async ensure(site: string, signal?: AbortSignal): Promise<void> {
    // A pending operation may be replacing the session we would otherwise hand out: wait for it.
    while (this.pending || this.session === undefined || this.site !== site) {
      if (!this.pending) this.pending = this.track(this.establish(site));
      await raceSignal(this.pending, signal);
    }
  }

  /** Signs in again unless the session changed since `generation`. */
  async refresh(site: string, generation: number, signal?: AbortSignal): Promise<void> {
    if (generation !== this.generation || this.pending) return this.ensure(site, signal);
    this.pending = this.track(this.signIn(site, 'reauth'));
    await raceSignal(this.pending, signal);
  }

  async close(): Promise<void> {
    await this.pending?.catch(() => undefined);
    const token = this.session?.token;
    this.session = undefined;
    this.site = undefined;
    if (token !== undefined) await this.auth.signOut(token).catch(() => undefined);
  }

  private track(work: Promise<void>): Promise<void> {
    const done = work.finally(() => {
      if (this.pending === done) this.pending = undefined;
    });
    return done;
  }

  private async establish(site: string): Promise<void> {
    if (this.session && this.canSwitch && !this.switchUnsupported) {
      try {
        this.replace(site, await this.auth.switchSite(this.session.token, site));
        this.auth.onSignIn('switch');
        return;
      } catch (err) {
        // Tableau: 403070 = already on that site; anything else (Cloud, not a server admin, expired
        // token) falls back to a fresh sign-in, which also yields the site LUID we need.
        if (err instanceof TableauError && ['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'].includes(err.code) && err.tableauCode !== '403070') {
          this.switchUnsupported = true;
        }
      }
    }
    await this.signIn(site, 'initial');
  }

  private async signIn(site: string, reason: 'initial' | 'reauth'): Promise<void> {
    const session = await this.auth.signIn(site);
    this.replace(site, session);
    this.auth.onSignIn(reason);
  }

  private replace(site: string, session: SessionInfo): void {
    this.session = session;
    this.site = site;
    this.generation++;
  }
}

/** Hands out per-site {@link SessionSource}s for one set of credentials. */
export class SessionManager {
  private readonly shared: SessionSlot | undefined;
  private readonly gate: SiteGate | undefined;
  private readonly perSite = new Map<string, SessionSlot>();

  /** `singleSession`: PAT semantics (one live session for all sites). */
  constructor(private readonly auth: AuthEndpoints, singleSession: boolean) {
    if (singleSession) {
      this.shared = new SessionSlot(auth, true);
      this.gate = new SiteGate();
    }
  }

  forSite(site: string): SessionSource {
    const slot = this.shared ?? this.slotFor(site);
    const gate = this.gate;
    return {
      acquire: async (signal?: AbortSignal): Promise<SessionLease> => {
        const leave = gate ? await gate.enter(site, signal) : () => undefined;
        try {
          await slot.ensure(site, signal);
          const session = slot.session!;
          return { token: session.token, siteId: session.siteId, generation: slot.generation, release: leave };
        } catch (err) {
          leave();
          throw err;
        }
      },
      refresh: (generation: number, signal?: AbortSignal) => slot.refresh(site, generation, signal),
    };
  }

  /** The session's site LUID and user LUID once signed in to `site` (signs in when needed). */
  async sessionFor(site: string, signal?: AbortSignal): Promise<SessionInfo> {
    const lease = await this.forSite(site).acquire(signal);
    try {
      return { ...(this.shared ?? this.slotFor(site)).session! };
    } finally {
      lease.release();
    }
  }

  /** Content URL of a live session, if any (server-wide calls can use it without signing in again). */
  liveSite(): string | undefined {
    const slots = this.shared ? [this.shared] : [...this.perSite.values()];
    return slots.find((slot) => slot.session !== undefined)?.site;
  }

  /** Signs out every live session; safe to call more than once. */
  async closeAll(): Promise<void> {
    const slots = [...this.perSite.values()];
    if (this.shared) slots.push(this.shared);
    await Promise.all(slots.map((slot) => slot.close()));
  }

  private slotFor(site: string): SessionSlot {
    let slot = this.perSite.get(site);
    if (!slot) {
      slot = new SessionSlot(this.auth, false);
      this.perSite.set(site, slot);
    }
    return slot;
  }
}
