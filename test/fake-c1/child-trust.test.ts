/**
 * How a connector process reaches the fake: BATON_C1_API_HOST = fake.address for both the token
 * (Node's fetch, HTTP/1.1) and BatonService (grpc-js), its CA trusted through NODE_EXTRA_CA_CERTS.
 * It also pins a trap: when GRPC_DEFAULT_SSL_ROOTS_FILE_PATH is set (some hosts set it globally),
 * grpc-js's `credentials.createSsl()` uses that file alone and ignores NODE_EXTRA_CA_CERTS, while
 * fetch still honours it — so child processes in tests get a clean environment.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { signAssertion, startFakeC1, type FakeC1 } from '../support/fake-c1/index.js';
import { ASSERTION_TYPE } from './plain-client.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// Fetches a token with fetch(), then calls GetTask with grpc-js (roots per ROOTS); prints the outcome.
const CHILD = `
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
const host = process.env.BATON_C1_API_HOST;
const res = await fetch('https://' + host + '/auth/v1/token', {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: process.env.TOKEN_FORM,
});
const token = await res.json();
const roots = process.env.ROOTS === 'extra'
  ? Buffer.from([...rootCertificates, readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8')].join('\\n'))
  : null;
const client = new grpc.Client(host, grpc.credentials.createSsl(roots), { 'grpc.ssl_target_name_override': 'localhost' });
const md = new grpc.Metadata();
md.set('authorization', 'Bearer ' + token.access_token);
client.makeUnaryRequest('/c1.connectorapi.baton.v1.BatonService/GetTask', (x) => x, (b) => b, Buffer.from([10, 1, 104]), md,
  { deadline: Date.now() + 10000 }, (err) => {
    console.log(JSON.stringify({ status: res.status, tokenType: token.token_type, grpc: err ? err.code : 'ok' }));
    client.close();
  });
`;

let fake: FakeC1;
beforeAll(async () => {
  fake = await startFakeC1();
});
afterAll(async () => fake?.close());

function runChild(env: Record<string, string>): Promise<{ status: number; tokenType: string; grpc: string | number }> {
  const client = fake.newClient();
  const form = new URLSearchParams({
    client_id: client.clientId, grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE,
    client_assertion: signAssertion(client),
  }).toString();
  return new Promise((res, rej) =>
    execFile(process.execPath, ['--input-type=module', '-e', CHILD],
      // A clean environment: only what node needs, so the host's own TLS settings cannot leak in.
      { cwd: repoRoot, env: { PATH: process.env['PATH'] ?? '', BATON_C1_API_HOST: fake.address, TOKEN_FORM: form, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => (err ? rej(new Error(`child failed: ${stderr.split('\n')[0]}`)) : res(JSON.parse(stdout)))),
  );
}

test('NODE_EXTRA_CA_CERTS alone: fetch gets a token and default grpc-js credentials call BatonService', async () => {
  expect(await runChild({ NODE_EXTRA_CA_CERTS: fake.caFile, ROOTS: 'default' })).toEqual({ status: 200, tokenType: 'bearer', grpc: 'ok' });
  expect(fake.records.count('GetTask')).toBe(1);
}, 60_000);

test('GRPC_DEFAULT_SSL_ROOTS_FILE_PATH replaces the roots of default grpc-js credentials: the extra CA is ignored', async () => {
  const publicRoots = join(dirname(fake.caFile), 'public-roots.pem');
  writeFileSync(publicRoots, rootCertificates.join('\n'));
  const trap = { NODE_EXTRA_CA_CERTS: fake.caFile, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: publicRoots };
  expect(await runChild({ ...trap, ROOTS: 'default' })).toEqual({ status: 200, tokenType: 'bearer', grpc: 14 });
  // Explicit roots (public ones plus the extra file) work either way.
  expect((await runChild({ ...trap, ROOTS: 'extra' })).grpc).toBe('ok');
}, 60_000);

test('without trusting the CA, not even the token can be fetched', async () => {
  await expect(runChild({ ROOTS: 'default' })).rejects.toThrow(/child failed/);
}, 60_000);
