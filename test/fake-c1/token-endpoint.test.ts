/** The fake ConductorOne's token endpoint: only a correctly signed, addressed and timed assertion gets a token. */
import { connect } from 'node:http2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeC1, type FakeC1 } from '../support/fake-c1/index.js';
import { makeTestClient } from '../support/fake-c1/client-credentials.js';
import { PlainBatonClient, postToken, tokenForm, validHello } from './plain-client.js';

let fake: FakeC1;
beforeAll(async () => {
  fake = await startFakeC1();
});
afterAll(async () => fake?.close());

describe('POST /auth/v1/token', () => {
  test('a valid assertion gets a bearer token that BatonService accepts', async () => {
    const before = fake.tokens.issued;
    const res = await postToken(fake, tokenForm(fake.newClient()));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600 });
    expect(fake.tokens.issued).toBe(before + 1);
    const client = new PlainBatonClient(fake, String(res.body['access_token']));
    try {
      await expect(client.call('Hello', validHello())).resolves.toBeDefined();
    } finally {
      client.close();
    }
  });

  test('the audience is the client id host without its port', async () => {
    const client = fake.newClient(`localhost:${fake.port}`);
    expect((await postToken(fake, tokenForm(client, { aud: 'localhost' }))).status).toBe(200);
    const withPort = await postToken(fake, tokenForm(client, { aud: `localhost:${fake.port}` }));
    expect(withPort.status).toBe(401);
    expect(withPort.body['error_description']).toBe('assertion aud is not localhost');
  });

  test.each([
    ['wrong key', () => {
      const known = fake.newClient();
      const stranger = makeTestClient('x');
      return tokenForm({ ...known, privateKey: stranger.privateKey });
    }, 'assertion signature does not verify'],
    ['wrong audience', () => tokenForm(fake.newClient(), { aud: 'evil.example' }), 'assertion aud is not localhost'],
    ['expired', () => {
      const past = Math.floor(Date.now() / 1000) - 600;
      return tokenForm(fake.newClient(), { exp: past, iat: past - 240, nbf: past - 240 });
    }, 'assertion expired'],
    ['not yet valid', () => tokenForm(fake.newClient(), { nbf: Math.floor(Date.now() / 1000) + 600 }), 'assertion not yet valid'],
    ['iss is not the client id', () => tokenForm(fake.newClient(), { iss: 'someone@else/pcc' }), 'assertion iss/sub is not the client id'],
    ['alg is not EdDSA', () => tokenForm(fake.newClient(), { alg: 'ES256' }), 'assertion alg is not EdDSA'],
    ['unknown client', () => tokenForm(makeTestClient(`localhost:${fake.port}`)), 'unknown client id'],
  ])('%s → 401, no token', async (_name, form, reason) => {
    const before = fake.tokens.issued;
    const res = await postToken(fake, form());
    expect(res.status).toBe(401);
    expect(res.body['access_token']).toBeUndefined();
    expect(res.body['error_description']).toBe(reason);
    expect(fake.tokens.issued).toBe(before);
  });

  test('setExpectedAudience refuses a correct assertion as wrong audience, until cleared', async () => {
    const client = fake.newClient();
    fake.setExpectedAudience('c1.example.com');
    try {
      const res = await postToken(fake, tokenForm(client));
      expect([res.status, res.body['error_description']]).toEqual([401, 'assertion aud is not c1.example.com']);
    } finally {
      fake.setExpectedAudience(undefined);
    }
    expect((await postToken(fake, tokenForm(client))).status).toBe(200);
  });

  test('setClockOffsetSeconds(600) makes a fresh assertion expired; -600 makes it not yet valid', async () => {
    const client = fake.newClient();
    try {
      fake.setClockOffsetSeconds(600);
      expect((await postToken(fake, tokenForm(client))).body['error_description']).toBe('assertion expired');
      fake.setClockOffsetSeconds(-600);
      expect((await postToken(fake, tokenForm(client))).body['error_description']).toBe('assertion not yet valid');
    } finally {
      fake.setClockOffsetSeconds(0);
    }
  });

  test('answers over HTTP/2 too (ALPN h2, the same host:port as gRPC), refusals included', async () => {
    const session = connect(`https://127.0.0.1:${fake.port}`, { ca: fake.caCert, servername: 'localhost' });
    const post = (form: Record<string, string>) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const req = session.request({ ':method': 'POST', ':path': '/auth/v1/token', 'content-type': 'application/x-www-form-urlencoded' });
        let status = 0;
        let text = '';
        req.on('response', (h) => (status = Number(h[':status'])));
        req.setEncoding('utf8').on('data', (c: string) => (text += c));
        req.on('end', () => resolve({ status, body: JSON.parse(text) as Record<string, unknown> }));
        req.on('error', reject);
        req.end(new URLSearchParams(form).toString());
      });
    try {
      const client = fake.newClient();
      const ok = await post(tokenForm(client));
      expect(ok).toMatchObject({ status: 200, body: { token_type: 'bearer', access_token: expect.any(String) } });
      expect((await post(tokenForm(client, { aud: 'nope' }))).status).toBe(401);
      const grpcClient = new PlainBatonClient(fake, String(ok.body['access_token']));
      try {
        await expect(grpcClient.call('GetTask', { hostId: 'h' })).resolves.toBeDefined();
      } finally {
        grpcClient.close();
      }
    } finally {
      session.close();
    }
  });

  test('wrong grant type or assertion type → 400', async () => {
    const client = fake.newClient();
    expect((await postToken(fake, { ...tokenForm(client), grant_type: 'password' })).status).toBe(400);
    expect((await postToken(fake, { ...tokenForm(client), client_assertion_type: 'jwt' })).status).toBe(400);
  });

  test('refusals are recorded with a reason and never the assertion', async () => {
    const form = tokenForm(fake.newClient(), { aud: 'nope' });
    await postToken(fake, form);
    const last = fake.tokens.refusals.at(-1)!;
    expect(last.reason).toBe('assertion aud is not localhost');
    expect(JSON.stringify(fake.tokens.refusals)).not.toContain(form['client_assertion']!.split('.')[2]);
  });

  test('failTokens answers the given status, then tokens flow again', async () => {
    const client = fake.newClient();
    fake.faults.failTokens(2, 503);
    expect((await postToken(fake, tokenForm(client))).status).toBe(503);
    expect((await postToken(fake, tokenForm(client))).status).toBe(503);
    expect((await postToken(fake, tokenForm(client))).status).toBe(200);
  });

  test('a token past its lifetime is refused by BatonService (UNAUTHENTICATED)', async () => {
    fake.setTokenTtlSeconds(1);
    try {
      const res = await postToken(fake, tokenForm(fake.newClient()));
      expect(res.body['expires_in']).toBe(1);
      const client = new PlainBatonClient(fake, String(res.body['access_token']));
      try {
        await client.call('GetTask', { hostId: 'h' });
        await new Promise((r) => setTimeout(r, 1_100));
        await expect(client.call('GetTask', { hostId: 'h' })).rejects.toMatchObject({ code: 16 });
      } finally {
        client.close();
      }
    } finally {
      fake.setTokenTtlSeconds(3600);
    }
  });
});
