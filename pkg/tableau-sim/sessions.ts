/**
 * Signed-in sessions. Tableau quirks modelled here: one live session per personal access token (a new
 * PAT sign-in invalidates the previous token), idle expiry, and tokens bound to one site.
 */
import { randomBytes } from 'node:crypto';
import { invalidToken, noCredentials } from './errors.js';
import type { SiteStore } from './site-store.js';

/** How a session was signed in. */
export type SessionKind = 'pat' | 'jwt' | 'password';

/** A live credentials token and what it is bound to. */
export interface Session {
  token: string;
  site: SiteStore;
  userId: string;
  kind: SessionKind;
  patName: string | null;
  /** Connected-app scopes; null for PAT and password sessions (not scope-limited). */
  scopes: string[] | null;
  lastUsedMs: number;
}

/** Expired entries dropped per sign-in or request: more than one, so pruning outpaces sign-ins. */
const PRUNE_PER_CALL = 16;

/** Live sessions by token, with the one-session-per-PAT rule and idle expiry. */
export class SessionStore {
  /** In order of last use (oldest first), so expired sessions sit at the front for pruning. */
  private readonly byToken = new Map<string, Session>();
  private readonly tokenByPat = new Map<string, string>();
  /**
   * Connected-app JWT ids already used, with their `exp` in seconds (Tableau refuses a replayed `jti`).
   * Once `exp` has passed the JWT is refused anyway, so the id can be forgotten.
   */
  readonly usedJtis = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  get size(): number {
    return this.byToken.size;
  }

  create(fields: Omit<Session, 'token' | 'lastUsedMs'>): Session {
    this.prune(Date.now());
    const session: Session = { ...fields, token: `${randomBytes(16).toString('base64url')}|${randomBytes(16).toString('base64url')}`,
      lastUsedMs: Date.now() };
    if (session.patName !== null) {
      const previous = this.tokenByPat.get(session.patName);
      if (previous !== undefined) this.byToken.delete(previous);
      this.tokenByPat.set(session.patName, session.token);
    }
    this.byToken.set(session.token, session);
    return session;
  }

  /** The live session of a request's `X-Tableau-Auth` token (401000 when absent, 401002 when invalid). */
  resolve(token: string | undefined): Session {
    if (token === undefined || token === '') throw noCredentials();
    const session = this.byToken.get(token);
    if (!session) throw invalidToken();
    const now = Date.now();
    this.prune(now);
    if (now - session.lastUsedMs > this.ttlMs) {
      this.revoke(token);
      throw invalidToken();
    }
    session.lastUsedMs = now;
    // Re-inserting keeps the map in last-use order.
    this.byToken.delete(token);
    this.byToken.set(token, session);
    return session;
  }

  /** Drops a bounded number of idle-expired sessions and expired JWT ids, oldest first. */
  private prune(nowMs: number): void {
    let budget = PRUNE_PER_CALL;
    for (const session of this.byToken.values()) {
      if (budget-- === 0 || nowMs - session.lastUsedMs <= this.ttlMs) break;
      this.revoke(session.token);
    }
    budget = PRUNE_PER_CALL;
    const nowS = Math.floor(nowMs / 1000);
    // Ids arrive roughly in `exp` order (lifetimes are capped at 10 minutes), so the front expires first.
    for (const [jti, expS] of this.usedJtis) {
      if (budget-- === 0 || expS > nowS) break;
      this.usedJtis.delete(jti);
    }
  }

  revoke(token: string): void {
    const session = this.byToken.get(token);
    if (!session) return;
    this.byToken.delete(token);
    if (session.patName !== null && this.tokenByPat.get(session.patName) === token) this.tokenByPat.delete(session.patName);
  }

  /** "hhh:mm:ss" as in `estimatedTimeToExpiration`. */
  ttlText(): string {
    const total = Math.floor(this.ttlMs / 1000);
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `${String(Math.floor(total / 3600)).padStart(3, '0')}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
  }
}
