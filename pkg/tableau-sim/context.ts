/**
 * What a route handler receives and returns.
 */
import { forbidden } from './errors.js';
import { scopeGranted } from './jwt.js';
import type { Format, Piece } from './render.js';
import { parseBody, type BodyTree } from './request-body.js';
import { isAdminRole } from './roles.js';
import type { Session, SessionStore } from './sessions.js';
import type { SimUser, SiteStore } from './site-store.js';
import type { World } from './world.js';
import type { FaultOptions } from './types.js';

/** Server-wide behaviour switches. */
export interface ServerSettings {
  apiVersion: string;
  cloud: boolean;
  /** What serverinfo reports as `productVersion` (default 2026.2.0; e.g. 10.2.0 with API 2.5). */
  productVersion: string;
}

/** One parsed /api request as a route handler sees it. */
export interface RequestCtx {
  world: World;
  sessions: SessionStore;
  settings: ServerSettings;
  method: string;
  /** The path below `/api/{version}`. */
  path: string;
  /** URL version as a comparable number (major * 1000 + minor). */
  version: number;
  query: URLSearchParams;
  params: Record<string, string>;
  format: Format;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** The fault options in force for this request (listing habits: listing-habits.ts). */
  habits: FaultOptions;
  /** Fault hook: true when the session of this authenticated request must be killed now. */
  sessionKill?: () => boolean;
  /** Habit hook: true when sign-in must answer with another site than the one asked for. */
  signInOtherSite?: () => boolean;
  /** Present on authenticated routes. */
  session?: Session;
  /** The site named in the URL (checked against the session's site). */
  site?: SiteStore;
}

/** A handler's answer: status plus body pieces (rendered as XML or JSON by the caller). */
export interface Reply {
  status: number;
  pieces?: Piece[];
  /** A body that is sent as is (the JSON-only identity-pool endpoints). */
  json?: unknown;
  headers?: Record<string, string>;
}

export const noContent: Reply = { status: 204 };

export function body(ctx: RequestCtx): BodyTree {
  const type = ctx.headers['content-type'];
  return parseBody(ctx.rawBody, typeof type === 'string' ? type : undefined);
}

/** Parses "3.21" into a comparable number. */
export function versionNumber(text: string): number {
  const [major = '0', minor = '0'] = text.split('.');
  return Number(major) * 1000 + Number(minor);
}

export function sessionOf(ctx: RequestCtx): Session {
  if (!ctx.session) throw new Error('route needs a session');
  return ctx.session;
}

export function siteOf(ctx: RequestCtx): SiteStore {
  if (!ctx.site) throw new Error('route needs a site');
  return ctx.site;
}

/** The signed-in user (on the session's site). */
export function caller(ctx: RequestCtx): SimUser | undefined {
  const session = sessionOf(ctx);
  return session.site.userById(session.userId);
}

export function isServerAdmin(ctx: RequestCtx): boolean {
  return !ctx.settings.cloud && caller(ctx)?.siteRole === 'ServerAdministrator';
}

/** Write calls need an administrator (and, for connected apps, the write scope). */
export function requireAdmin(ctx: RequestCtx): void {
  const role = caller(ctx)?.siteRole ?? '';
  if (!isAdminRole(role)) throw forbidden('Only administrators can perform this operation.');
}

export function requireScope(ctx: RequestCtx, scope: string): void {
  const scopes = sessionOf(ctx).scopes;
  if (scopes !== null && !scopeGranted(scopes, scope)) {
    throw forbidden(`The connected app token does not grant the scope '${scope}'.`);
  }
}
