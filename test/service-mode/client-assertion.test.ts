/**
 * The client assertion the connector signs, checked by the fake ConductorOne's own verifier (written
 * from the protocol, not from the connector): it verifies with the public key, names the client id's
 * host without port as audience whatever BATON_C1_API_HOST says, carries a fresh 32-hex nonce and the
 * key's kid, and one minted too long ago is refused as expired.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseClientId, parseClientSecret, type Ed25519PrivateJwk } from '../../pkg/config/conductorone.js';
import { assertionKey, mintClientAssertion } from '../../pkg/service/conductorone/client-assertion.js';
import { apiAddress } from '../../pkg/service/conductorone/baton-client.js';
import { assertionProblem } from '../support/fake-c1/client-credentials.js';

function client(id: string, kid?: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = { ...(privateKey.export({ format: 'jwk' }) as object), ...(kid ? { kid } : {}) };
  const problems: string[] = [];
  const key = parseClientSecret(`secret-token:conductorone.com:v1:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`, problems) as Ed25519PrivateJwk;
  const clientId = parseClientId(id, problems)!;
  expect(problems).toEqual([]);
  return { clientId, key, publicKey };
}

const part = (jws: string, i: number): Record<string, unknown> => JSON.parse(Buffer.from(jws.split('.')[i]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('the client assertion', () => {
  it('is accepted by an independent verifier, with aud = the client id host without port', () => {
    const c = client('owl-1@localhost:4443/pcc');
    const jws = mintClientAssertion(c.clientId, assertionKey(c.key));
    expect(assertionProblem(jws, c.clientId.id, c.publicKey)).toBeUndefined();
    expect(part(jws, 1)).toMatchObject({ iss: c.clientId.id, sub: c.clientId.id, aud: 'localhost' });
    const claims = part(jws, 1) as { exp: number; nbf: number; iat: number };
    expect(claims.exp - claims.iat).toBe(120);
    expect(claims.iat - claims.nbf).toBe(120);
  });

  it('keeps the audience when BATON_C1_API_HOST points elsewhere; only the addresses change', () => {
    const c = client('owl-1@acme.conductor.one/pcc');
    const settings = { clientId: c.clientId, key: c.key, hostId: 'h', taskConcurrency: 3 };
    expect(apiAddress(settings)).toEqual({ origin: 'https://acme.conductor.one', target: 'acme.conductor.one:443' });
    expect(apiAddress({ ...settings, apiHost: '127.0.0.1:4443' })).toEqual({ origin: 'https://127.0.0.1:4443', target: '127.0.0.1:4443' });
    expect(part(mintClientAssertion(c.clientId, assertionKey(c.key)), 1)['aud']).toBe('acme.conductor.one');
  });

  it('has header alg EdDSA, a new 32-hex nonce each time, and the kid only when the key has one', () => {
    const withKid = client('owl@localhost/pcc', 'key-7');
    const a = part(mintClientAssertion(withKid.clientId, assertionKey(withKid.key)), 0);
    const b = part(mintClientAssertion(withKid.clientId, assertionKey(withKid.key)), 0);
    expect(a).toMatchObject({ alg: 'EdDSA', kid: 'key-7' });
    expect(a['nonce']).toMatch(/^[0-9a-f]{32}$/);
    expect(a['nonce']).not.toBe(b['nonce']);
    const noKid = client('owl@localhost/pcc');
    expect(Object.keys(part(mintClientAssertion(noKid.clientId, assertionKey(noKid.key)), 0)).sort()).toEqual(['alg', 'nonce']);
  });

  it('minted 10 minutes ago is refused as expired; signed with another key is refused', () => {
    const c = client('owl@localhost/pcc');
    const old = mintClientAssertion(c.clientId, assertionKey(c.key), Date.now() - 600_000);
    expect(assertionProblem(old, c.clientId.id, c.publicKey)).toBe('assertion expired');
    const other = client('owl@localhost/pcc');
    expect(assertionProblem(mintClientAssertion(c.clientId, assertionKey(other.key)), c.clientId.id, c.publicKey)).toBe('assertion signature does not verify');
  });
});
