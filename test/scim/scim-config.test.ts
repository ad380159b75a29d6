/**
 * The SCIM configuration: `--scim-base-url` and the secret `--scim-token` (both or neither, https or
 * loopback http), `--scim-override` only with `-p`; the token is a secret field (redacted) and the
 * one-shot CLI refuses a SCIM user's role change without ever printing the SCIM secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type RawValues } from '../../pkg/config/config.js';
import { SECRET_FIELD_NAMES, envName } from '../../pkg/config/fields.js';
import { startSimulator } from '../../pkg/tableau-sim/index.js';
import { buildDist, runCli } from '../cli/run-cli.js';

const BASE = { 'server-path': 'tableau.example.com', 'access-token-name': 'tok', 'access-token-secret': 's3cr3t-value' };
const SCIM_URL = 'https://scim.online.tableau.com/pods/prod-ca-a/sites/0f7e3f2a-1111-4222-8333-444455556666/scim/v2/';

const problemsOf = (raw: RawValues): string[] => {
  const result = resolveConfig(raw, { needsTableau: true });
  return result.ok ? [] : result.problems;
};

describe('SCIM configuration', () => {
  it('takes the SCIM read as a pair, with the token secret', () => {
    const result = resolveConfig({ ...BASE, 'scim-base-url': SCIM_URL, 'scim-token': 'scim-secret-xyz' }, { needsTableau: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.tableau?.scim).toEqual({ baseUrl: SCIM_URL.replace(/\/$/, ''), token: 'scim-secret-xyz' });
    expect(result.config.secrets).toContain('scim-secret-xyz');
    expect(SECRET_FIELD_NAMES).toContain('scim-token');
    expect(envName('scim-token')).toBe('BATON_SCIM_TOKEN');
  });

  it('names each problem on one line', () => {
    expect(problemsOf({ ...BASE, 'scim-base-url': SCIM_URL })).toEqual([expect.stringContaining('--scim-base-url needs --scim-token')]);
    expect(problemsOf({ ...BASE, 'scim-token': 'x' })).toEqual([expect.stringContaining('--scim-token needs --scim-base-url')]);
    expect(problemsOf({ ...BASE, 'scim-base-url': 'http://scim.example.com/x', 'scim-token': 'x' })).toEqual([expect.stringContaining('must be https')]);
    expect(problemsOf({ ...BASE, 'scim-base-url': 'http://127.0.0.1:9/x', 'scim-token': 'x' })).toEqual([]);
    expect(problemsOf({ ...BASE, 'scim-override': true })).toEqual(['--scim-override needs --provisioning (-p)']);
    const ok = resolveConfig({ ...BASE, provisioning: true, 'scim-override': true }, { needsTableau: true });
    expect(ok.ok && ok.config.provisioning?.scimOverride).toBe(true);
  });
});

describe('one-shot CLI against a SCIM site', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 7, users: 40, groups: 8, memberships: 120, scim: true, scimToken: 'cli-scim-secret-4711' });
    await buildDist();
  }, 240_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('refuses a SCIM user\'s site role with exit 1 naming the IdP configuration, never printing the secret', async () => {
    const site = sim.state().sites[0];
    const target = site?.users.find((u) => u.managedBy === 'scim' && u.siteRole === 'Viewer') ?? site?.users.find((u) => u.managedBy === 'scim');
    const scim = sim.scim[0];
    if (!site || !target || !scim) throw new Error('no SCIM user in the seeded world');
    const env = {
      BATON_SERVER_PATH: sim.url, BATON_ACCESS_TOKEN_NAME: sim.info.pat.name, BATON_ACCESS_TOKEN_SECRET: sim.info.pat.secret,
      BATON_LOG_FORMAT: 'json', BATON_SCIM_TOKEN: scim.token,
    };
    const args = ['-p', '--scim-base-url', scim.baseUrl, '--grant-entitlement', `site:${site.id}:creator`, '--grant-principal', target.id, '--grant-principal-type', 'user'];
    const run = await runCli(args, { env, timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(scim.idpConfigurationId);
    expect(`${run.stdout}${run.stderr}`).not.toContain(scim.token);
    expect(sim.state().sites[0]?.users.find((u) => u.id === target.id)?.siteRole).toBe(target.siteRole);
  }, 60_000);
});
