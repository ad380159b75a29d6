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

/** Live sessions by token, with the one-session-per-PAT rule and idle expiry. */
export class SessionStore {
  private readonly byToken = new Map<string, Session>();
  private readonly tokenByPat = new Map<string, string>();
  /** Connected-app JWT ids already used (Tableau refuses a replayed `jti`). */
  readonly usedJtis = new Set<string>();

  constructor(private readonly ttlMs: number) {}

  create(fields: Omit<Session, 'token' | 'lastUsedMs'>): Session {
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
    if (now - session.lastUsedMs > this.ttlMs) {
      this.revoke(token);
      throw invalidToken();
    }
    session.lastUsedMs = now;
    return session;
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
