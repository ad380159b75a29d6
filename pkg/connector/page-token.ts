/**
 * Opaque Baton page tokens: base64url of a small JSON object such as `{"k":"users","p":2}`.
 * Tokens are self-contained (a resumed sync may present them to another process days later) and
 * carry the listing kind `k`, so a token handed to the wrong listing is refused instead of
 * silently paging the wrong data.
 */
import { invalidArgument } from './errors.js';

/** The decoded state of a page token; `p` is Tableau's 1-based page number. */
export interface PageState {
  k: string;
  p: number;
  /** Index into the ordered list of synced sites (listings that walk every site). */
  s?: number;
  /** Slugs already emitted by earlier pages (site entitlements for roles outside the known list). */
  u?: string[];
  /** Items of Tableau page `p` already returned (a page too large for one response is split). */
  o?: number;
  /** The total the previous Tableau page promised (names the shortfall when page `p` is past the end). */
  t?: number;
}

/** Builds the token of a page state. */
export function encodePageToken(state: PageState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

/**
 * Decodes a request token for listing `kind`. "" means the first page (`{k: kind, p: 1}`).
 * Anything that is not a token this connector produced for `kind` is INVALID_ARGUMENT.
 */
export function decodePageToken(token: string, kind: string): PageState {
  if (token === '') return { k: kind, p: 1 };
  const raw = parseJson(token);
  if (!isPageState(raw) || raw.k !== kind) throw invalidArgument(`invalid page token for the ${kind} listing`);
  return raw;
}

/** Token of the next page, or "" when `hasMore` is false. */
export function nextPageToken(state: PageState, hasMore: boolean): string {
  return hasMore ? encodePageToken(state) : '';
}

/**
 * Token of Tableau page `next` of a listing (the listing model's next page, see pkg/tableau/listing.ts),
 * or "" when the listing ended; `state` is the rest of the token.
 */
export function tokenOfNext(next: number | undefined, state: Omit<PageState, 'p'>): string {
  if (next === undefined) return '';
  const { k, ...rest } = state;
  return encodePageToken({ k, p: next, ...rest });
}

function parseJson(token: string): unknown {
  // Tokens are small; a huge one is not ours (Baton allows up to 1 MiB).
  if (token.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalidArgument('invalid page token');
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidArgument('invalid page token');
  }
}

function isPageState(x: unknown): x is PageState {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  if (typeof o.k !== 'string' || !isCount(o.p, 1)) return false;
  if (o.s !== undefined && !isCount(o.s, 0)) return false;
  if (o.o !== undefined && !isCount(o.o, 1)) return false;
  if (o.t !== undefined && !isCount(o.t, 0)) return false;
  if (o.u !== undefined && !(Array.isArray(o.u) && o.u.every((v) => typeof v === 'string'))) return false;
  return true;
}

/** A promised total as a token carries it (bounded like every count of a token). */
export function promisedTotal(total: number): number {
  return Math.min(total, 10_000_000);
}

function isCount(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= 10_000_000;
}
