/** startGrpcServer with caller-given TLS credentials (as `serve --tls-cert/--tls-key` passes them). */
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectorClient, startGrpcServer, type RunningGrpcServer } from '../../pkg/server/index.js';
import { FakeApi, RESPONSES } from './fake-api.js';

let server: RunningGrpcServer;
let cert: string;

beforeAll(async () => {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  cert = pems.cert;
  const credentials = grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(pems.cert), private_key: Buffer.from(pems.private) }], false);
  server = await startGrpcServer({ api: new FakeApi(), listen: '127.0.0.1:0', log: pino({ level: 'silent' }), provisioning: false, credentials });
});
afterAll(async () => {
  await server?.close(1000);
});

test('a client trusting the certificate is served over TLS', async () => {
  const client = connectorClient(server.address, grpc.credentials.createSsl(Buffer.from(cert)));
  try {
    expect(await client.getMetadata({})).toEqual(RESPONSES.getMetadata);
  } finally {
    client.close();
  }
});

test('a plaintext client is refused', async () => {
  const client = connectorClient(server.address);
  try {
    const err = (await client.getMetadata({}, undefined, { deadline: Date.now() + 3000 }).catch((e: unknown) => e)) as grpc.ServiceError;
    expect([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]).toContain(err.code);
  } finally {
    client.close();
  }
});
