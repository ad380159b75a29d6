import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type RawValues } from '../../pkg/config/config.js';
import { FIELDS, SECRET_FIELD_NAMES, envName } from '../../pkg/config/fields.js';
import { configurationJson } from '../../pkg/config/schema.js';
import { isLoopbackHost, parseServerPath } from '../../pkg/config/server-url.js';

const PAT = { 'access-token-name': 'tok', 'access-token-secret': 's3cr3t-value' };

function problemsOf(raw: RawValues): string[] {
  const result = resolveConfig(raw, { needsTableau: true });
  return result.ok ? [] : result.problems;
}

describe('parseServerPath', () => {
  it('assumes https for a bare host and drops a trailing slash', () => {
    expect(parseServerPath('tableau.example.com')).toEqual({ ok: true, url: 'https://tableau.example.com' });
    expect(parseServerPath('https://tableau.example.com:8443/')).toEqual({ ok: true, url: 'https://tableau.example.com:8443' });
  });

  it('allows plain http only to loopback hosts', () => {
    for (const url of ['http://127.0.0.1:8000', 'http://127.8.9.10', 'http://localhost:1', 'http://[::1]:9']) {
      expect(parseServerPath(url).ok, url).toBe(true);
    }
    for (const url of ['http://example.com', 'http://10.0.0.1', 'http://[::2]', 'http://127.example.com']) {
      const result = parseServerPath(url);
      expect(result.ok, url).toBe(false);
      if (!result.ok) expect(result.problem).toMatch(/loopback/);
    }
  });

  it('refuses other schemes, embedded credentials and query strings', () => {
    expect(parseServerPath('ftp://host').ok).toBe(false);
    expect(parseServerPath('https://user:pw@host').ok).toBe(false);
    expect(parseServerPath('https://host/?x=1').ok).toBe(false);
  });

  it('recognises loopback names', () => {
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});

describe('resolveConfig', () => {
  it('builds a frozen config with PAT credentials and the Default site', () => {
    const result = resolveConfig({ 'server-path': 'tableau.example.com', ...PAT }, { needsTableau: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.isFrozen(result.config)).toBe(true);
    expect(result.config.tableau).toMatchObject({
      serverUrl: 'https://tableau.example.com',
      credentials: { kind: 'pat', name: 'tok', secret: 's3cr3t-value' },
      sites: { contentUrls: [''] },
    });
    expect(result.config.secrets).toEqual(['s3cr3t-value']);
    expect(result.config.concurrency).toBe(4);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({ 'log-level': 'loud', 'access-token-name': 'tok', 'site-id': ['a'], 'all-sites': true, concurrency: 'many' });
    expect(problems.join('\n')).toMatch(/--server-path/);
    expect(problems.join('\n')).toMatch(/missing --access-token-secret/);
    expect(problems.join('\n')).toMatch(/--log-level "loud"/);
    expect(problems.join('\n')).toMatch(/mutually exclusive/);
    expect(problems.join('\n')).toMatch(/--concurrency "many"/);
    expect(problems).toHaveLength(5);
  });

  it('lists a malformed entitlement id and an unsupported principal type of one grant together', () => {
    const problems = problemsOf({
      'server-path': 'https://tableau.example.com', ...PAT, provisioning: true,
      'grant-entitlement': 'nocolons', 'grant-principal': 'g2', 'grant-principal-type': 'group',
    });
    expect(problems).toEqual([
      expect.stringMatching(/--grant-entitlement "nocolons" is not an entitlement id/),
      expect.stringMatching(/--grant-principal-type "group" is not supported/),
    ]);
  });

  it('rejects mixed and missing credential kinds', () => {
    expect(problemsOf({ 'server-path': 'h', ...PAT, username: 'u', password: 'p' }).join()).toMatch(/exactly one kind/);
    expect(problemsOf({ 'server-path': 'h' }).join()).toMatch(/no Tableau credentials/);
    const jwt = problemsOf({ 'server-path': 'h', 'jwt-client-id': 'c', 'jwt-username': 'u' }).join();
    expect(jwt).toMatch(/--jwt-secret-id/);
    expect(jwt).toMatch(/--jwt-secret-value/);
  });

  it('keeps "" as the Default site and splits comma lists from env', () => {
    const sites = (raw: unknown) => {
      const r = resolveConfig({ 'server-path': 'h', ...PAT, 'site-id': raw }, { needsTableau: true });
      return r.ok ? r.config.tableau?.sites : r.problems;
    };
    expect(sites([''])).toEqual({ contentUrls: [''] });
    expect(sites([])).toEqual({ contentUrls: [''] });
    expect(sites(['a,b', 'b', ''])).toEqual({ contentUrls: ['a', 'b', ''] });
  });

  it('reads --ca-file and reports an unreadable one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-ca-'));
    const pem = join(dir, 'ca.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const ok = resolveConfig({ 'server-path': 'h', ...PAT, 'ca-file': pem }, { needsTableau: true });
    expect(ok.ok && ok.config.tableau?.ca).toContain('BEGIN CERTIFICATE');
    expect(problemsOf({ 'server-path': 'h', ...PAT, 'ca-file': join(dir, 'missing.pem') }).join()).toMatch(/ENOENT/);
  });

  it('checks that the output folder exists before a sync', () => {
    const problems = problemsOf({ 'server-path': 'h', ...PAT, file: join(tmpdir(), 'no-such-folder-4711', 'x.c1z') });
    expect(problems.join()).toMatch(/no-such-folder-4711 does not exist/);
  });

  it('checks the ConductorOne client id and secret formats without quoting the secret', () => {
    const jwk = (fields: object): string => Buffer.from(JSON.stringify(fields)).toString('base64url');
    const x = Buffer.alloc(32, 1).toString('base64url');
    const d = Buffer.alloc(32, 2).toString('base64url');
    const good = `secret-token:conductorone.com:v1:${jwk({ kty: 'OKP', crv: 'Ed25519', x, d, kid: 'k1' })}`;
    const ok = resolveConfig({ 'server-path': 'h', ...PAT, 'client-id': 'owl-1@acme.conductor.one:8443/pcc', 'client-secret': good }, {
      needsTableau: true,
      serviceEnv: { apiHost: '127.0.0.1:4443', hostId: 'pod-1' },
    });
    expect(ok.ok && ok.config.conductorOne).toMatchObject({
      clientId: { id: 'owl-1@acme.conductor.one:8443/pcc', clientName: 'owl-1', host: 'acme.conductor.one', hostPort: 'acme.conductor.one:8443' },
      key: { kid: 'k1' },
      apiHost: '127.0.0.1:4443',
      hostId: 'pod-1',
      taskConcurrency: 3,
    });
    expect(ok.ok && ok.config.secrets).toContain(good);
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'client-id': 'no-at-sign/pcc', 'client-secret': good }, /--client-id .* is not a ConductorOne client id/],
      [{ 'client-id': 'owl@acme.conductor.one', 'client-secret': good }, /--client-id .* is not a ConductorOne client id/],
      [{ 'client-id': 'owl@acme.conductor.one/pcc' }, /needs --client-secret/],
      [{ 'client-secret': good }, /--client-secret .* without --client-id/],
      [{ 'client-id': 'owl@acme.conductor.one/pcc', 'client-secret': 'a:b:c' }, /expected 4 parts/],
      [{ 'client-id': 'owl@acme.conductor.one/pcc', 'client-secret': `a:b:v2:${jwk({})}` }, /only version v1/],
      [{ 'client-id': 'owl@acme.conductor.one/pcc', 'client-secret': `a:b:v1:${jwk({ kty: 'EC', crv: 'P-256', x, d })}` }, /not an Ed25519 key/],
      [{ 'client-id': 'owl@acme.conductor.one/pcc', 'client-secret': `a:b:v1:${jwk({ kty: 'OKP', crv: 'Ed25519', x })}` }, /public key/],
      [{ 'client-id': 'owl@acme.conductor.one/pcc', 'client-secret': 'a:b:v1:!!!' }, /not base64url/],
      [{ 'client-id': 'owl@acme.conductor.one/pcc', 'client-secret': good, 'task-concurrency': '101' }, /--task-concurrency "101" must be a whole number from 1 to 100/],
    ];
    for (const [raw, problem] of cases) {
      const problems = problemsOf({ 'server-path': 'h', ...PAT, ...raw });
      expect(problems.join('\n'), JSON.stringify(raw)).toMatch(problem);
      expect(problems.join('\n')).not.toContain(d);
    }
  });

  it('needs no Tableau settings for offline commands', () => {
    expect(resolveConfig({}, { needsTableau: false }).ok).toBe(true);
  });
});

describe('field declarations', () => {
  it('mark exactly the secret fields and derive BATON_* names', () => {
    expect([...SECRET_FIELD_NAMES].sort()).toEqual(['access-token-secret', 'client-secret', 'jwt-secret-value', 'password', 'scim-token']);
    expect(envName('access-token-secret')).toBe('BATON_ACCESS_TOKEN_SECRET');
  });

  it('are all listed by the configuration schema with protojson conventions', () => {
    const json = configurationJson() as { fields: Record<string, unknown>[] };
    expect(json.fields.map((f) => f['name'])).toEqual(FIELDS.map((f) => f.name));
    const concurrency = json.fields.find((f) => f['name'] === 'concurrency');
    expect(concurrency?.['intField']).toEqual({ defaultValue: '4' });
    const secret = json.fields.find((f) => f['name'] === 'password');
    expect(secret?.['isSecret']).toBe(true);
    expect(json.fields.find((f) => f['name'] === 'file')?.['isSecret']).toBeUndefined();
  });
});
