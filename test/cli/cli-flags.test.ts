/**
 * The built CLI as users run it, without Tableau: usage errors, env handling, config and
 * capabilities output. Budget: ~5 s after the build.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDist, runCli } from './run-cli.js';

beforeAll(() => buildDist(), 240_000);

describe('usage errors (exit 2)', () => {
  it('lists every problem at once', async () => {
    const run = await runCli(['--log-level', 'loud', '--access-token-name', 'tok', '--site-id', 'a', '--all-sites', '--bogus-flag']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('missing --server-path');
    expect(run.stderr).toContain('missing --access-token-secret');
    expect(run.stderr).toContain('--log-level "loud"');
    expect(run.stderr).toContain('mutually exclusive');
    expect(run.stderr).toContain('unknown flag --bogus-flag');
    expect(run.stderr).toMatch(/usage error \(5 problems\)/);
  });

  it('refuses plain http to a non-loopback host', async () => {
    const run = await runCli(['--server-path', 'http://tableau.example.com', '--username', 'u', '--password', 'pw-value-1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/plain http:\/\/ is only allowed to loopback hosts/);
    expect(run.stderr).not.toContain('pw-value-1');
  });

  it('a client id selects ConductorOne service mode: a malformed secret is a usage error that never shows it', async () => {
    const secret = 'secret-token:conductorone.com:v1:bm90LWEta2V5LXZhbHVlLTQ3MTE';
    const service = await runCli(['--server-path', 'h', '--username', 'u', '--password', 'p'], {
      env: { BATON_CLIENT_ID: 'owl@acme.conductor.one/pcc', BATON_CLIENT_SECRET: secret },
    });
    expect(service.code).toBe(2);
    expect(service.stderr).toContain('--client-secret (BATON_CLIENT_SECRET) is not a ConductorOne client secret');
    expect(service.stderr).not.toContain('bm90LWEta2V5');
  });

  it('serve reports its missing settings together', async () => {
    const serve = await runCli(['serve', '--listen', '0.0.0.0:0'], { env: { BATON_USERNAME: 'u' } });
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain('missing --server-path');
    expect(serve.stderr).toContain('missing --password');
  });

  it('rejects an unknown command', async () => {
    const run = await runCli(['dupm']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown command: dupm/i);
  });
});

describe('environment', () => {
  it('reads BATON_* variables like flags', async () => {
    const run = await runCli([], {
      env: { BATON_SERVER_PATH: 'http://example.org', BATON_ACCESS_TOKEN_NAME: 'tok', BATON_LOG_LEVEL: 'chatty' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('missing --server-path');
    expect(run.stderr).toContain('only allowed to loopback hosts');
    expect(run.stderr).toContain('missing --access-token-secret');
    expect(run.stderr).toContain('--log-level "chatty"');
  });

  it('reads booleans from env like the Baton SDK and rejects other spellings', async () => {
    const base = { BATON_SERVER_PATH: 'http://127.0.0.1:1', BATON_USERNAME: 'u', BATON_SITE_ID: 'a' };
    const one = await runCli([], { env: { ...base, BATON_ALL_SITES: '1' } });
    expect(one.stderr).toContain('mutually exclusive');
    const junk = await runCli([], { env: { ...base, BATON_ALL_SITES: 'yes' } });
    expect(junk.stderr).toContain('--all-sites (BATON_ALL_SITES) "yes" is not true or false');
    const flag = await runCli(['--all-sites=false'], { env: { ...base, BATON_ALL_SITES: 'true' } });
    expect(flag.stderr).not.toContain('mutually exclusive');
  });

  it('lets flags win over env', async () => {
    const run = await runCli(['--log-level', 'warn'], { env: { BATON_LOG_LEVEL: 'chatty' } });
    expect(run.stderr).not.toContain('chatty');
  });

  it('ignores unrelated BATON_* variables', async () => {
    const run = await runCli(['config'], { env: { BATON_FOO: '1', BATON_SOMETHING_ELSE: 'x', BATON_HELP: 'true', BATON_VERSION: '9' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toHaveProperty('fields');
  });
});

describe('config and capabilities', () => {
  it('config prints the Configuration schema with every field', async () => {
    const run = await runCli(['config']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { fields: Record<string, unknown>[]; constraints: unknown[]; displayName: string };
    const names = json.fields.map((f) => f['name']);
    for (const flag of ['server-path', 'site-id', 'all-sites', 'access-token-name', 'access-token-secret', 'jwt-client-id',
      'jwt-secret-id', 'jwt-secret-value', 'jwt-username', 'username', 'password', 'api-version', 'ca-file', 'file',
      'provisioning', 'dry-run', 'log-level', 'log-format', 'client-id', 'client-secret']) {
      expect(names).toContain(flag);
    }
    const secrets = json.fields.filter((f) => f['isSecret'] === true).map((f) => f['name']);
    expect(secrets.sort()).toEqual(['access-token-secret', 'client-secret', 'jwt-secret-value', 'password', 'scim-token']);
    expect(json.fields.find((f) => f['name'] === 'file')).toMatchObject({ stringField: { defaultValue: 'sync.c1z' } });
    expect(json.constraints).toContainEqual({ kind: 'CONSTRAINT_KIND_MUTUALLY_EXCLUSIVE', fieldNames: ['site-id', 'all-sites'] });
  });

  it('capabilities prints Any(ConnectorCapabilities) with enum names', async () => {
    const run = await runCli(['capabilities']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as {
      '@type': string;
      resourceTypeCapabilities: { resourceType: { id: string }; capabilities: string[] }[];
      connectorCapabilities: string[];
    };
    expect(json['@type']).toBe('type.googleapis.com/c1.connector.v2.ConnectorCapabilities');
    expect(json.resourceTypeCapabilities.map((c) => c.resourceType.id)).toEqual(['group', 'identity_pool', 'license', 'site', 'user']);
    for (const type of json.resourceTypeCapabilities) expect(type.capabilities).toContain('CAPABILITY_SYNC');
    expect(json.connectorCapabilities).toContain('CAPABILITY_SYNC');
    expect(json.connectorCapabilities.every((c) => c.startsWith('CAPABILITY_'))).toBe(true);
  });

  it('--help lists the flags and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--server-path');
    expect(run.stdout).toContain('BATON_ACCESS_TOKEN_SECRET');
  });
});
