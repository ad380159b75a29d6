/**
 * A deliberately plain client of the fake ConductorOne for its own tests: node:https for the token,
 * a generic grpc-js client from the shared BatonService definition. No connector code is involved,
 * so these tests check the fake alone.
 */
import { request } from 'node:https';
import * as grpc from '@grpc/grpc-js';
import { batonServiceDefinition, type BatonServiceUploadAssetRequest } from '../../proto/baton-service.js';
import { signAssertion, type FakeC1, type TestClient } from '../support/fake-c1/index.js';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** POSTs a form to the fake's token endpoint over HTTPS (HTTP/1.1), trusting its CA. */
export function postToken(fake: FakeC1, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: fake.port, path: '/auth/v1/token', method: 'POST', ca: fake.caCert, servername: 'localhost',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') as Record<string, unknown> }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('token request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** The SDK's token form for `client`, with an assertion signed as given. */
export function tokenForm(client: TestClient, claims: Parameters<typeof signAssertion>[1] = {}): Record<string, string> {
  return {
    client_id: client.clientId,
    grant_type: 'client_credentials',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: signAssertion(client, claims),
  };
}

/** Fetches a valid access token for a fresh client of the fake. */
export async function accessToken(fake: FakeC1): Promise<string> {
  const res = await postToken(fake, tokenForm(fake.newClient()));
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
  return String(res.body['access_token']);
}

const BatonClient = grpc.makeGenericClientConstructor(batonServiceDefinition(), 'BatonService');
type Callback = (err: grpc.ServiceError | null, res?: object) => void;
type UnaryFn = (req: object, md: grpc.Metadata, opts: grpc.CallOptions, cb: Callback) => void;
type StreamFn = (md: grpc.Metadata, opts: grpc.CallOptions, cb: Callback) => grpc.ClientWritableStream<object>;

/** A BatonService client over TLS (trusting the fake's CA) sending `authorization: Bearer <token>`. */
export class PlainBatonClient {
  private readonly client: grpc.Client;
  constructor(fake: FakeC1, private token?: string) {
    // Node warns when TLS SNI is an IP address; name the certificate's DNS name instead.
    this.client = new BatonClient(fake.address, grpc.credentials.createSsl(Buffer.from(fake.caCert)), {
      'grpc.ssl_target_name_override': 'localhost',
    });
  }

  setToken(token: string | undefined): void {
    this.token = token;
  }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.token) md.set('authorization', `Bearer ${this.token}`);
    return md;
  }

  call<T = Record<string, unknown>>(method: string, req: object): Promise<T> {
    const fn = (this.client as unknown as Record<string, UnaryFn>)[method]!.bind(this.client);
    return new Promise((resolve, reject) =>
      fn(req, this.metadata(), { deadline: Date.now() + 10_000 }, (err, res) => (err ? reject(err) : resolve(res as T))),
    );
  }

  /** Sends the messages as one UploadAsset stream. */
  upload(messages: BatonServiceUploadAssetRequest[]): Promise<object> {
    const fn = (this.client as unknown as Record<string, StreamFn>)['UploadAsset']!.bind(this.client);
    return new Promise((resolve, reject) => {
      const stream = fn(this.metadata(), { deadline: Date.now() + 10_000 }, (err, res) => (err ? reject(err) : resolve(res ?? {})));
      for (const m of messages) stream.write(m);
      stream.end();
    });
  }

  close(): void {
    this.client.close();
  }
}

/** A Hello request that satisfies every rule the fake checks. */
export function validHello(extra: object = {}): object {
  return {
    hostId: 'test-host',
    buildInfo: { langVersion: 'node', package: 'baton-tableau', packageVersion: '0.0.0' },
    osInfo: { hostname: 'h', os: 'linux', platform: 'linux' },
    connectorMetadata: { displayName: 'Tableau' },
    ...extra,
  };
}
