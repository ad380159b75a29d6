/**
 * Connected-app (direct trust) JWT checks, as Tableau does them: HS256 signed with the secret value,
 * header `kid` = secret id, `iss` = client id, `aud` = "tableau", `exp` in the future but at most
 * 10 minutes ahead, `jti` never seen before, `scp` a list of scopes, `sub` the user to sign in as.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The connected app's ids and HS256 secret. */
export interface ConnectedAppSecret {
  clientId: string;
  secretId: string;
  secretValue: string;
}

/** Who a verified JWT signs in and with which scopes. */
export interface VerifiedJwt {
  username: string;
  scopes: string[];
}

const MAX_LIFETIME_S = 600;
const CLOCK_SKEW_S = 30;

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function signatureMatches(signingInput: string, signature: string, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(signingInput).digest();
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function audienceOk(aud: unknown): boolean {
  return aud === 'tableau' || (Array.isArray(aud) && aud.includes('tableau'));
}

/** Returns the verified claims, or undefined when any check fails (Tableau answers 401001). */
export function verifyConnectedAppJwt(
  token: string, app: ConnectedAppSecret, usedJtis: Map<string, number>, nowS: number,
): VerifiedJwt | undefined {
  const [headerPart, payloadPart, signature, ...rest] = token.split('.');
  if (!headerPart || !payloadPart || !signature || rest.length > 0) return undefined;
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  if (!header || !claims || header.alg !== 'HS256' || header.kid !== app.secretId) return undefined;
  if (!signatureMatches(`${headerPart}.${payloadPart}`, signature, app.secretValue)) return undefined;
  const { iss, sub, exp, jti, scp } = claims;
  if (iss !== app.clientId || !audienceOk(claims.aud) || typeof sub !== 'string' || sub === '') return undefined;
  if (typeof exp !== 'number' || exp <= nowS || exp > nowS + MAX_LIFETIME_S + CLOCK_SKEW_S) return undefined;
  if (typeof jti !== 'string' || jti === '' || usedJtis.has(jti)) return undefined;
  if (!Array.isArray(scp) || !scp.every((s) => typeof s === 'string')) return undefined;
  usedJtis.set(jti, exp);
  return { username: sub, scopes: scp as string[] };
}

/** True when `scopes` grant `needed` (exact, or a `prefix:*` wildcard). */
export function scopeGranted(scopes: readonly string[], needed: string): boolean {
  return scopes.some((s) => s === needed || (s.endsWith('*') && needed.startsWith(s.slice(0, -1))));
}
