/**
 * Credentials and the sign-in request body for each kind: personal access token, connected-app JWT
 * (direct trust, HS256 signed with node:crypto) and username/password.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { RequestNode } from './xml-codec.js';

/** How the client signs in. Secrets never leave the sign-in request body. */
export type TableauCredentials =
  | { kind: 'pat'; name: string; secret: string }
  | { kind: 'jwt'; clientId: string; secretId: string; secretValue: string; username: string; scopes?: string[] }
  | { kind: 'password'; username: string; password: string };

/** Scopes requested when the caller does not choose: read + write of users, groups, sites and content. */
export const DEFAULT_JWT_SCOPES: readonly string[] = [
  'tableau:users:read', 'tableau:users:create', 'tableau:users:update', 'tableau:users:delete',
  'tableau:groups:read', 'tableau:groups:create', 'tableau:groups:update', 'tableau:groups:delete',
  'tableau:sites:read', 'tableau:sites:update',
  'tableau:content:read', 'tableau:content:update',
];

/** Tableau accepts connected-app JWTs valid for at most 10 minutes; 5 leaves room for clock skew. */
const JWT_LIFETIME_S = 300;

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** A fresh connected-app JWT (new `jti` each call, as Tableau rejects replays). */
export function connectedAppJwt(
  creds: Extract<TableauCredentials, { kind: 'jwt' }>,
  nowMs: number = Date.now(),
): string {
  const header = { alg: 'HS256', typ: 'JWT', kid: creds.secretId, iss: creds.clientId };
  const now = Math.floor(nowMs / 1000);
  const claims = {
    iss: creds.clientId,
    sub: creds.username,
    aud: 'tableau',
    exp: now + JWT_LIFETIME_S,
    jti: randomUUID(),
    scp: creds.scopes && creds.scopes.length > 0 ? creds.scopes : [...DEFAULT_JWT_SCOPES],
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createHmac('sha256', creds.secretValue).update(signingInput).digest();
  return `${signingInput}.${base64url(signature)}`;
}

/** The `<credentials>` element of a sign-in request for `contentUrl`. */
export function signInRequest(creds: TableauCredentials, contentUrl: string): RequestNode {
  const site = { contentUrl };
  switch (creds.kind) {
    case 'pat':
      return { credentials: { personalAccessTokenName: creds.name, personalAccessTokenSecret: creds.secret, site } };
    case 'jwt':
      return { credentials: { jwt: connectedAppJwt(creds), site } };
    case 'password':
      return { credentials: { name: creds.username, password: creds.password, site } };
  }
}

/** Secret strings of a credential set (for tests and log redaction checks). */
export function secretsOf(creds: TableauCredentials): string[] {
  switch (creds.kind) {
    case 'pat':
      return [creds.secret];
    case 'jwt':
      return [creds.secretValue];
    case 'password':
      return [creds.password];
  }
}
