/**
 * The client assertion ConductorOne's token endpoint takes (PROTOCOL §5.1, §5.5): a compact JWS
 * signed with the client secret's Ed25519 key. Signed with node:crypto; no JOSE library needed for
 * one fixed algorithm.
 */
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { ConductorOneClientId, Ed25519PrivateJwk } from '../../config/config.js';

/** The assertion is valid this long either side of now (the SDK's window). */
const VALIDITY_S = 120;

/** The signing key of a client secret's JWK (its `kid`, if any, goes into every header). */
export interface AssertionKey {
  readonly key: KeyObject;
  readonly kid?: string;
}

export function assertionKey(jwk: Ed25519PrivateJwk): AssertionKey {
  const key = createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, format: 'jwk' });
  return { key, ...(jwk.kid ? { kid: jwk.kid } : {}) };
}

const b64url = (value: object | Buffer): string => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

/**
 * A fresh assertion: header `{alg: EdDSA, nonce: 32 hex chars[, kid]}`, claims iss = sub = the client
 * id, aud = the client id's host without port (never BATON_C1_API_HOST), exp/nbf ±120 s, iat now.
 */
export function mintClientAssertion(clientId: ConductorOneClientId, signer: AssertionKey, nowMs = Date.now()): string {
  const now = Math.floor(nowMs / 1000);
  const header = { alg: 'EdDSA', nonce: randomBytes(16).toString('hex'), ...(signer.kid ? { kid: signer.kid } : {}) };
  const claims = { iss: clientId.id, sub: clientId.id, aud: clientId.host, exp: now + VALIDITY_S, nbf: now - VALIDITY_S, iat: now };
  const signingInput = `${b64url(header)}.${b64url(claims)}`;
  // Ed25519 takes no digest name: the algorithm hashes internally.
  const signature = sign(null, Buffer.from(signingInput), signer.key);
  return `${signingInput}.${b64url(signature)}`;
}
