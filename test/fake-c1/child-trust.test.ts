/**
 * How a connector process reaches the fake: BATON_C1_API_HOST = fake.address for both the token
 * (Node's fetch, HTTP/1.1) and BatonService (grpc-js), and trust of the fake's CA from env. This
 * pins a trap: grpc-js's `credentials.createSsl()` ignores NODE_EXTRA_CA_CERTS (fetch honours it),
 * so a connector must pass `[...tls.rootCertificates, <that file>]` as roots itself (or the test
 * sets GRPC_DEFAULT_SSL_ROOTS_FILE_PATH, which replaces the system roots).
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
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
      { cwd: repoRoot, env: { ...process.env, BATON_C1_API_HOST: fake.address, TOKEN_FORM: form, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => (err ? rej(new Error(`child failed: ${stderr.split('\n')[0]}`)) : res(JSON.parse(stdout)))),
  );
}

test('NODE_EXTRA_CA_CERTS: fetch gets a token; grpc-js trusts the fake only when given the roots plus that file', async () => {
  expect(await runChild({ NODE_EXTRA_CA_CERTS: fake.caFile, ROOTS: 'extra' })).toEqual({ status: 200, tokenType: 'bearer', grpc: 'ok' });
  expect(await runChild({ NODE_EXTRA_CA_CERTS: fake.caFile, ROOTS: 'default' })).toEqual({ status: 200, tokenType: 'bearer', grpc: 14 });
  expect(fake.records.count('GetTask')).toBe(1);
}, 60_000);

test('GRPC_DEFAULT_SSL_ROOTS_FILE_PATH makes default grpc-js credentials trust the fake', async () => {
  const out = await runChild({ NODE_EXTRA_CA_CERTS: fake.caFile, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: fake.caFile, ROOTS: 'default' });
  expect(out.grpc).toBe('ok');
}, 60_000);

test('without trusting the CA, not even the token can be fetched', async () => {
  await expect(runChild({ ROOTS: 'default' })).rejects.toThrow(/child failed/);
}, 60_000);
