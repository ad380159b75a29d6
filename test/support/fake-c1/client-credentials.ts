/**
 * ConductorOne client credentials for tests, written from the protocol (PROTOCOL.md §5.1), never from
 * the connector's own code: a fake that shared the connector's parser or signer would agree with its
 * bugs. Makes a client id + secret from a fresh Ed25519 key, and verifies the client assertion the
 * connector signs with it (compact JWS, EdDSA).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/** A test client: what goes in BATON_CLIENT_ID / BATON_CLIENT_SECRET, and the key behind it. */
export interface TestClient {
  /** `<name>@<host[:port]>/pcc` */
  clientId: string;
  /** `secret-token:conductorone.com:v1:<base64url of the private JWK>` */
  clientSecret: string;
  /** The public half, what ConductorOne keeps to check assertions. */
  publicKey: KeyObject;
  privateKey: KeyObject;
}

/** The claims and header fields the token endpoint checks. */
export interface AssertionClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  nbf: number;
  iat: number;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** A fresh Ed25519 client whose id names `host` (host[:port], e.g. `localhost:4443`). */
export function makeTestClient(host: string, name = `test-client-${randomBytes(3).toString('hex')}`): TestClient {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    clientId: `${name}@${host}/pcc`,
    clientSecret: `secret-token:conductorone.com:v1:${b64url(JSON.stringify(jwk))}`,
    publicKey,
    privateKey,
  };
}

/** A secret for `clientId` signed by another key: well formed, but ConductorOne does not know its key. */
export function secretWithWrongKey(): string {
  return makeTestClient('unused').clientSecret;
}

/** The `host` part of a client id (`name@host[:port]/suffix`), or undefined when malformed. */
export function clientIdHost(clientId: string): string | undefined {
  const at = clientId.indexOf('@');
  const rest = at < 0 ? '' : clientId.slice(at + 1);
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(0, slash) : undefined;
}

/** host[:port] without the port (IPv6 literals keep their brackets). */
export function withoutPort(host: string): string {
  const m = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(host);
  return m ? m[1]! : host;
}

/**
 * Signs an assertion like the SDK (for tests of the fake itself, and to forge bad ones): header
 * `{alg: EdDSA, nonce}`, claims iss = sub = client id, aud = the id's host without port, valid ±120 s.
 */
export function signAssertion(
  client: { clientId: string; privateKey: KeyObject },
  overrides: Partial<AssertionClaims> & { alg?: string } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const { alg = 'EdDSA', ...claimOverrides } = overrides;
  const claims: AssertionClaims = {
    iss: client.clientId,
    sub: client.clientId,
    aud: withoutPort(clientIdHost(client.clientId) ?? ''),
    exp: now + 120,
    nbf: now - 120,
    iat: now,
    ...claimOverrides,
  };
  const signingInput = `${b64url(JSON.stringify({ alg, nonce: randomBytes(16).toString('hex') }))}.${b64url(JSON.stringify(claims))}`;
  return `${signingInput}.${b64url(sign(null, Buffer.from(signingInput), client.privateKey))}`;
}

/** Allowed clock difference when checking exp / nbf / iat. */
const LEEWAY_SECONDS = 5;

/** What the token endpoint expects besides the key: by default the audience and clock of the protocol. */
export interface AssertionExpectations {
  /** Required `aud`; default the client id's host without port. */
  audience?: string;
  /** The endpoint's "now" (ms since epoch) for exp / nbf / iat. */
  nowMs?: number;
}

/**
 * Checks a compact JWS client assertion against the client's public key and ConductorOne's rules.
 * Returns undefined when acceptable, else a short reason (for the fake's records; never the token).
 */
export function assertionProblem(jws: string, clientId: string, publicKey: KeyObject, expect: AssertionExpectations = {}): string | undefined {
  const parts = jws.split('.');
  if (parts.length !== 3) return 'assertion is not a compact JWS';
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Partial<AssertionClaims>;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as Partial<AssertionClaims>;
  } catch {
    return 'assertion header or payload is not base64url JSON';
  }
  if (header['alg'] !== 'EdDSA') return 'assertion alg is not EdDSA';
  if (typeof header['nonce'] !== 'string' || !/^[0-9a-f]{32}$/.test(header['nonce'])) return 'assertion nonce is not 32 hex characters';
  if (!verify(null, Buffer.from(`${headerPart}.${payloadPart}`), publicKey, Buffer.from(signaturePart, 'base64url'))) {
    return 'assertion signature does not verify';
  }
  if (claims.iss !== clientId || claims.sub !== clientId) return 'assertion iss/sub is not the client id';
  const audience = expect.audience ?? withoutPort(clientIdHost(clientId) ?? '');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(audience)) return `assertion aud is not ${audience}`;
  const now = (expect.nowMs ?? Date.now()) / 1000;
  if (typeof claims.exp !== 'number' || claims.exp < now - LEEWAY_SECONDS) return 'assertion expired';
  if (typeof claims.nbf !== 'number' || claims.nbf > now + LEEWAY_SECONDS) return 'assertion not yet valid';
  if (typeof claims.iat !== 'number' || claims.iat > now + LEEWAY_SECONDS) return 'assertion issued in the future';
  return undefined;
}

/** The public key of a secret's JWK (so a test can register a client from its secret alone). */
export function publicKeyOfSecret(clientSecret: string): KeyObject {
  const jwk = JSON.parse(Buffer.from(clientSecret.split(':')[3] ?? '', 'base64url').toString('utf8')) as object;
  return createPublicKey(createPrivateKey({ key: jwk as never, format: 'jwk' }));
}
