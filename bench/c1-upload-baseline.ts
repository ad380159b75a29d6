/**
 * The "plus the upload" of the service-mode target: the one-shot sync's c1z uploaded to the fake
 * ConductorOne by a plain grpc-js client (no connector code: 512 KiB chunks read from disk, sha256,
 * the fake's CA trusted explicitly), timed from the first message to the answer.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { request } from 'node:https';
import * as grpc from '@grpc/grpc-js';
import { batonMethod } from '../proto/baton-service.js';
import { signAssertion, type FakeC1 } from '../test/support/fake-c1/index.js';

function token(fake: FakeC1): Promise<string> {
  const client = fake.newClient();
  const body = new URLSearchParams({
    client_id: client.clientId, grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: signAssertion(client),
  }).toString();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: fake.port, path: '/auth/v1/token', method: 'POST', ca: fake.caCert, servername: 'localhost',
      headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(String((JSON.parse(text) as { access_token: string }).access_token)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Milliseconds to upload `file` as task `taskId` (a task the fake handed out). */
export async function timeBaselineUpload(fake: FakeC1, taskId: string, file: string): Promise<number> {
  const client = new grpc.Client(fake.address, grpc.credentials.createSsl(Buffer.from(fake.caCert)), { 'grpc.ssl_target_name_override': 'localhost' });
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${await token(fake)}`);
  const method = batonMethod('UploadAsset');
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = client.makeClientStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, metadata, {}, (err) => (err ? reject(err) : resolve()));
      void (async () => {
        const hash = createHash('sha256');
        stream.write({ metadata: { hostId: 'bench', taskId } });
        for await (const chunk of createReadStream(file, { highWaterMark: 512 * 1024 })) {
          hash.update(chunk as Buffer);
          if (!stream.write({ data: { data: chunk as Buffer } })) await new Promise((r) => stream.once('drain', r));
        }
        stream.write({ eof: { sha256Checksum: hash.digest() } });
        stream.end();
      })().catch(reject);
    });
    return performance.now() - started;
  } finally {
    client.close();
  }
}
