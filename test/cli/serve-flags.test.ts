/**
 * The serve and service-mode flags are typed config fields like every other: read from a flag or its
 * BATON_* variable into the typed Config, declared in the `config` schema and `--help`, and checked
 * with every other problem (exit 2, all listed at once).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../pkg/config/config.js';
import { FIELDS, envName } from '../../pkg/config/fields.js';
import { rawValues } from '../../pkg/config/sources.js';
import { buildDist, REPO, runCli } from './run-cli.js';

const PAT = ['--access-token-name', 'n', '--access-token-secret', 'pat-secret-Sf42'];
const SERVE_FIELDS = ['listen', 'http-listen', 'tls-cert', 'tls-key', 'tls-client-ca', 'auth-token-file', 'insecure-listen', 'sync-interval', 'shutdown-timeout', 'max-inflight-rpcs'];

function serveSettings(flags: Record<string, unknown>, env: Record<string, string>) {
  const result = resolveConfig(rawValues(flags, env), { needsTableau: false });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.config.serve;
}

beforeAll(() => buildDist(), 300_000); // may wait for another worker's compile, then compile

describe('serve flags in the typed Config', () => {
  it('read the same from flags and from BATON_* variables, with their defaults otherwise', () => {
    const typed = { syncIntervalMs: 900_000, shutdownTimeoutMs: 45_000, maxInflightRpcs: 8, insecureListen: true, listen: '0.0.0.0:1', httpListen: '127.0.0.1:2' };
    const fromFlags = serveSettings(
      { 'sync-interval': '15m', 'shutdown-timeout': '45s', 'max-inflight-rpcs': '8', 'insecure-listen': true, listen: '0.0.0.0:1', 'http-listen': '127.0.0.1:2' },
      {},
    );
    const fromEnv = serveSettings({}, {
      BATON_SYNC_INTERVAL: '15m', BATON_SHUTDOWN_TIMEOUT: '45s', BATON_MAX_INFLIGHT_RPCS: '8', BATON_INSECURE_LISTEN: '1',
      BATON_LISTEN: '0.0.0.0:1', BATON_HTTP_LISTEN: '127.0.0.1:2',
    });
    expect(fromFlags).toEqual(typed);
    expect(fromEnv).toEqual(typed);
    expect(serveSettings({}, {})).toEqual({ syncIntervalMs: 0, shutdownTimeoutMs: 30_000, maxInflightRpcs: 64, insecureListen: false });
  });

  it('take a flag over its variable, and the env-only service settings from the environment alone', () => {
    expect(serveSettings({ 'shutdown-timeout': '5s' }, { BATON_SHUTDOWN_TIMEOUT: '1h' }).shutdownTimeoutMs).toBe(5_000);
    const raw = rawValues({ 'host-id': 'from-a-flag' }, { BATON_C1_API_HOST: '127.0.0.1:4443', BATON_HOST_ID: 'pod-7' });
    expect(raw).toMatchObject({ 'c1-api-host': '127.0.0.1:4443', 'host-id': 'pod-7' });
  });
});

describe('baton-tableau config and --help', () => {
  it('declare every serve field, typed, with its default (and accept the flags given)', async () => {
    const env = { BATON_ACCESS_TOKEN_SECRET: 'pat-secret-Sf42', BATON_SHUTDOWN_TIMEOUT: '47s' };
    const run = await runCli(['config', '--max-inflight-rpcs', '8'], { env, timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(0);
    const fields = (JSON.parse(run.stdout) as { fields: Record<string, unknown>[] }).fields;
    expect(fields.map((f) => f['name'])).toEqual(FIELDS.map((f) => f.name));
    const byName = new Map(fields.map((f) => [f['name'], f]));
    for (const name of SERVE_FIELDS) expect(byName.get(name)?.['isOps'], name).toBe(true);
    expect(byName.get('sync-interval')?.['stringField']).toEqual({ defaultValue: '0' });
    expect(byName.get('shutdown-timeout')?.['stringField']).toEqual({ defaultValue: '30s' });
    expect(byName.get('max-inflight-rpcs')?.['intField']).toEqual({ defaultValue: '64' });
    expect(byName.get('insecure-listen')?.['boolField']).toEqual({});
    expect(byName.get('c1-api-host')?.['stringField']).toEqual({});
    // A schema, not the values: what was given (a secret included) never shows.
    expect(byName.get('access-token-secret')?.['isSecret']).toBe(true);
    expect(run.stdout).not.toContain('pat-secret-Sf42');
    expect(run.stdout).not.toContain('47s');
  }, 60_000);

  it('--help shows each serve flag with its variable, and the env-only variables', async () => {
    const run = await runCli(['--help'], { timeoutMs: 30_000 });
    expect(run.code).toBe(0);
    for (const name of SERVE_FIELDS) expect(run.stdout).toContain(`--${name}`);
    for (const env of ['BATON_SYNC_INTERVAL', 'BATON_SHUTDOWN_TIMEOUT', 'BATON_MAX_INFLIGHT_RPCS', 'BATON_C1_API_HOST', 'BATON_HOST_ID']) {
      expect(run.stdout).toContain(env);
    }
  }, 60_000);
});

describe("README's Every flag table", () => {
  it('lists every field with its flag and its variable (env-only fields by variable)', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Every flag'), readme.indexOf('### Reading a c1z'));
    const shown = (text: string): boolean => table.includes(`\`${text}\``);
    const missing = FIELDS.filter((f) => !f.notAvailableYet && !(f.envOnly ? shown(envName(f.name)) : shown(`--${f.name}`)));
    expect(missing.map((f) => f.name)).toEqual([]);
  });
});

describe('a bad serve flag is a usage error listed with the other problems', () => {
  const listed = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('  - '));

  it('serve: a bad --shutdown-timeout next to missing credentials', async () => {
    const run = await runCli(['serve', '--server-path', 'tableau.invalid', '--listen', '127.0.0.1:0', '--shutdown-timeout', 'soon'], { timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/usage error \(2 problems\)/);
    expect(listed(run.stderr)).toEqual([expect.stringMatching(/no Tableau credentials/), '  - --shutdown-timeout "soon" is not a duration like 30s, 15m or 1h']);
    expect(run.stdout).toBe('');
  }, 60_000);

  it('service mode and serve: the same from BATON_SHUTDOWN_TIMEOUT and BATON_MAX_INFLIGHT_RPCS', async () => {
    const env = { BATON_SHUTDOWN_TIMEOUT: '10 minutes', BATON_MAX_INFLIGHT_RPCS: '0' };
    const run = await runCli(['serve', '--server-path', 'tableau.invalid', ...PAT], { env, timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(2);
    expect(listed(run.stderr).sort()).toEqual([
      '  - --max-inflight-rpcs must be a whole number of at least 1',
      '  - --shutdown-timeout "10 minutes" is not a duration like 30s, 15m or 1h',
      '  - serve needs --listen HOST:PORT (BATON_LISTEN), e.g. 127.0.0.1:50051',
    ]);
    const serviceMode = await runCli(['--server-path', 'tableau.invalid', ...PAT, '--client-id', 'owl@acme.conductor.one/pcc'], { env, timeoutMs: 30_000 });
    expect(serviceMode.code, serviceMode.stderr).toBe(2);
    expect(listed(serviceMode.stderr).join('\n')).toMatch(/--shutdown-timeout "10 minutes" is not a duration/);
    expect(listed(serviceMode.stderr).join('\n')).toMatch(/needs --client-secret/);
    expect(serviceMode.stderr).not.toContain('pat-secret-Sf42');
  }, 60_000);
});
