/**
 * ConductorOne credentials as the Kubernetes recipe passes them (env only, no arguments): format
 * problems are usage errors (exit 2) found before anything is contacted, named in one line each,
 * and never quote the secret. (Refused credentials, exit 1, are in faults.test.ts.)
 */
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDist, runCli } from '../cli/run-cli.js';

const TABLEAU = { BATON_SERVER_PATH: 'tableau.example.com', BATON_ACCESS_TOKEN_NAME: 'gov', BATON_ACCESS_TOKEN_SECRET: 'pat-secret-value-1' };
const jwk = (fields: object): string => Buffer.from(JSON.stringify(fields)).toString('base64url');
const { privateKey } = generateKeyPairSync('ed25519');
const privateJwk = privateKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; d: string };
const GOOD_SECRET = `secret-token:conductorone.com:v1:${jwk(privateJwk)}`;
const GOOD_ID = 'owl-1@acme.conductor.one/pcc';

async function run(env: Record<string, string>) {
  return runCli([], { env: { ...TABLEAU, ...env }, timeoutMs: 60_000 });
}

beforeAll(async () => {
  await buildDist();
}, 240_000);

describe('client id and secret formats (exit 2)', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['a client id without "@"', { BATON_CLIENT_ID: 'acme.conductor.one/pcc', BATON_CLIENT_SECRET: GOOD_SECRET }, /--client-id \(BATON_CLIENT_ID\) is not a ConductorOne client id: expected <name>@<host>\/<suffix>/],
    ['a client id without a suffix', { BATON_CLIENT_ID: 'owl@acme.conductor.one', BATON_CLIENT_SECRET: GOOD_SECRET }, /is not a ConductorOne client id/],
    ['a client id without a secret', { BATON_CLIENT_ID: GOOD_ID }, /needs --client-secret \(BATON_CLIENT_SECRET\)/],
    ['a secret of 3 parts', { BATON_CLIENT_ID: GOOD_ID, BATON_CLIENT_SECRET: `conductorone.com:v1:${jwk(privateJwk)}` }, /expected 4 parts/],
    ['a public key only', { BATON_CLIENT_ID: GOOD_ID, BATON_CLIENT_SECRET: `secret-token:conductorone.com:v1:${jwk({ ...privateJwk, d: undefined })}` }, /a private key is needed/],
    ['a bad BATON_C1_API_HOST', { BATON_CLIENT_ID: GOOD_ID, BATON_CLIENT_SECRET: GOOD_SECRET, BATON_C1_API_HOST: 'https://c1.example.com/x' }, /BATON_C1_API_HOST .* is not HOST or HOST:PORT/],
    ['a task concurrency of 0', { BATON_CLIENT_ID: GOOD_ID, BATON_CLIENT_SECRET: GOOD_SECRET, BATON_TASK_CONCURRENCY: '0' }, /--task-concurrency "0" must be a whole number from 1 to 100/],
  ];
  for (const [name, env, problem] of cases) {
    it(`${name}: exit 2, one problem line, no secret`, async () => {
      const result = await run(env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/usage error \(1 problem\)/);
      expect(result.stderr).toMatch(problem);
      expect(result.stderr).not.toContain(privateJwk.d);
      expect(result.stderr).not.toContain(jwk(privateJwk));
      expect(result.stderr).not.toContain('pat-secret-value-1');
    });
  }
});
