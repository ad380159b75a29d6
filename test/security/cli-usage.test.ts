/**
 * Every invalid flag combination of the built CLI ends with exit 2 before any network call, listing
 * every problem at once (and never echoing a secret given on the command line).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDist, runCli } from '../cli/run-cli.js';

const PAT = ['--access-token-name', 'n', '--access-token-secret', 'pat-secret-Zq81'];
// A host that would fail with a network error if anything tried to reach it.
const BASE = ['--server-path', 'tableau.invalid', ...PAT];
const SECRET_VALUES = ['pat-secret-Zq81', 'jwt-value-Xk22', 'password-Pw93'];

/** [name, argv, problems that must all be listed]. */
const CASES: [string, string[], RegExp[]][] = [
  ['nothing at all', [], [/missing --server-path/, /no Tableau credentials/]],
  ['no credentials', ['--server-path', 'h'], [/no Tableau credentials/]],
  ['half a PAT', ['--server-path', 'h', '--access-token-name', 'n'], [/missing --access-token-secret/]],
  ['PAT and password', [...BASE, '--username', 'u', '--password', 'password-Pw93'], [/exactly one kind of credentials/]],
  ['PAT and connected app', [...BASE, '--jwt-client-id', 'c', '--jwt-secret-id', 'i', '--jwt-secret-value', 'jwt-value-Xk22', '--jwt-username', 'u'], [/exactly one kind of credentials/]],
  ['half a connected app', ['--server-path', 'h', '--jwt-client-id', 'c', '--jwt-secret-value', 'jwt-value-Xk22'], [/connected app/, /--jwt-secret-id/]],
  ['password without username', ['--server-path', 'h', '--password', 'password-Pw93'], [/--username/]],
  ['--all-sites with --site-id', [...BASE, '--all-sites', '--site-id', 'a'], [/mutually exclusive/]],
  ['plain http to a remote host', ['--server-path', 'http://example.com', ...PAT], [/plain http:\/\/ is only allowed to loopback/]],
  ['bad enums and numbers', [...BASE, '--log-level', 'loud', '--log-format', 'xml', '--concurrency', '-3'], [/--log-level "loud"/, /--log-format "xml"/, /--concurrency "-3"/]],
  ['bad api version and missing CA file', [...BASE, '--api-version', 'abc', '--ca-file', '/nonexistent/ca.pem'], [/--api-version "abc"/, /--ca-file \/nonexistent\/ca.pem cannot be read/]],
  ['unknown flag', [...BASE, '--bogus-flag', '1'], [/unknown flag --bogus-flag/]],
  ['a secret that looks like a flag is never echoed',
    ['--server-path', 'h', '--username', 'u', '--password', '-password-Pw93', '--bogus=pat-secret-Zq81', '-xjwt-value-Xk22'],
    [/--password needs a value/, /unknown flag --bogus$/, /unknown flag -x$/]],
  ['--dry-run without -p', [...BASE, '--dry-run'], [/--dry-run needs --provisioning/]],
  ['grant without -p', [...BASE, '--grant-entitlement', 'group:g:member', '--grant-principal', 'u', '--grant-principal-type', 'user'], [/--grant-entitlement needs --provisioning/]],
  ['incomplete grant', [...BASE, '-p', '--grant-entitlement', 'group:g:member'], [/missing --grant-principal, --grant-principal-type/]],
  ['grant to a non-user principal', [...BASE, '-p', '--grant-entitlement', 'group:g:member', '--grant-principal', 'g2', '--grant-principal-type', 'group'], [/--grant-principal-type "group" is not supported/]],
  ['malformed entitlement id', [...BASE, '-p', '--grant-entitlement', 'nocolons', '--grant-principal', 'u', '--grant-principal-type', 'user'], [/is not an entitlement id/]],
  ['two actions at once', [...BASE, '-p', '--grant-entitlement', 'group:g:member', '--grant-principal', 'u', '--grant-principal-type', 'user', '--revoke-grant', 'a'], [/mutually exclusive/, /is not a grant id/]],
  ['create account without email, bad profile', [...BASE, '-p', '--create-account-login', 'bob', '--create-account-profile', '{nope'], [/missing --create-account-email/]],
  ['bad profile', [...BASE, '-p', '--create-account-login', 'bob', '--create-account-email', 'b@x', '--create-account-profile', '[1]'], [/--create-account-profile must be a JSON object/]],
  ['delete a group', [...BASE, '-p', '--delete-resource', 'g', '--delete-resource-type', 'group'], [/--delete-resource-type "group" is not supported/]],
  ['unknown deprovision policy', [...BASE, '-p', '--deprovision-policy', 'explode'], [/--deprovision-policy "explode"/]],
  ['serve without --listen', ['serve', ...BASE], [/serve needs --listen/]],
  ['serve: a secret quoted in a problem is scrubbed', ['serve', ...BASE, '--listen', '127.0.0.1:0', '--sync-interval', 'pat-secret-Zq81'], [/--sync-interval "\[REDACTED\]" is not a duration/]],
  ['serve: everything wrong', ['serve', ...BASE, '--listen', '0.0.0.0:50051', '--tls-cert', '/nope.pem', '--sync-interval', 'soon', '--max-inflight-rpcs', '0', '--shutdown-timeout', 'x'],
    [/--max-inflight-rpcs/, /--sync-interval "soon"/, /--shutdown-timeout "x"/, /--tls-cert and --tls-key must be given together/, /non-loopback address 0.0.0.0:50051/]],
  ['serve: client CA without a server certificate', ['serve', ...BASE, '--listen', '127.0.0.1:0', '--tls-client-ca', '/x.pem'], [/--tls-client-ca \(mutual TLS\) needs --tls-cert and --tls-key/]],
  ['many problems at once', ['--server-path', 'h', ...PAT, '--concurrency', 'abc', '--log-level', 'loud', '-p', '--dry-run', '--all-sites', '--site-id', 'x', '--api-version', '9', '--unknown-x', '1'],
    [/unknown flag --unknown-x/, /--log-level "loud"/, /--concurrency "abc"/, /mutually exclusive/, /--api-version "9"/]],
];

beforeAll(() => buildDist(), 300_000); // may wait for the other worker's compile, then compile

describe('invalid flag combinations exit 2 listing every problem', () => {
  it.each(CASES)('%s', async (_name, argv, problems) => {
    const run = await runCli(argv, { timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(2);
    const header = /usage error \((\d+) problems?\)/.exec(run.stderr);
    expect(header, run.stderr).not.toBeNull();
    const listed = run.stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(listed).toHaveLength(Number(header![1]));
    for (const problem of problems) expect(listed.some((line) => problem.test(line)), `${problem} in\n${run.stderr}`).toBe(true);
    // Nothing was attempted: no connection error, no log lines, nothing on stdout.
    expect(run.stderr).not.toMatch(/cannot reach|ENOTFOUND|"level"/);
    expect(run.stdout).toBe('');
    for (const secret of SECRET_VALUES) expect(run.stderr).not.toContain(secret);
  });
});
