/**
 * The provisioning part of the Config: `-p` settings with their defaults, the one-shot action read
 * from the Baton SDK's flag names, and serve refusing one-shot flags (budget: < 1 s).
 */
import { describe, expect, it } from 'vitest';
import { serveOptionsFrom } from '../../cmd/serve.js';
import { resolveConfig, type Config, type RawValues } from '../../pkg/config/config.js';

const BASE = { 'server-path': 'http://127.0.0.1:1', 'access-token-name': 'tok', 'access-token-secret': 'pat-secret-1' };

function configOf(raw: RawValues): Config {
  const result = resolveConfig({ ...BASE, ...raw }, { needsTableau: true });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.config;
}

describe('provisioning settings', () => {
  it('are absent without -p and default to block-if-owner without a dry run with it', () => {
    expect(configOf({}).provisioning).toBeUndefined();
    expect(configOf({ provisioning: true }).provisioning).toEqual({ policy: 'block-if-owner', dryRun: false });
  });

  it('carry the policy, the successor and the dry run', () => {
    const config = configOf({ provisioning: true, 'dry-run': true, 'deprovision-policy': 'remove', 'map-assets-to': 'hana' });
    expect(config.provisioning).toEqual({ policy: 'remove', mapAssetsTo: 'hana', dryRun: true });
    expect(config.action).toBeUndefined();
  });
});

describe('one-shot actions', () => {
  it('are read with the ids exactly as given', () => {
    const grant = configOf({ provisioning: true, 'grant-entitlement': 'site:S:explorer can publish', 'grant-principal': 'U', 'grant-principal-type': 'user' });
    expect(grant.action).toEqual({ kind: 'grant', entitlementId: 'site:S:explorer can publish', principalId: 'U', principalType: 'user' });
    expect(configOf({ provisioning: true, 'revoke-grant': 'group:G:member:user:U' }).action).toEqual({ kind: 'revoke', grantId: 'group:G:member:user:U' });
    const create = configOf({ provisioning: true, 'create-account-login': 'n', 'create-account-email': 'n@x', 'create-account-profile': '{"site_role":"Creator"}' });
    expect(create.action).toEqual({ kind: 'create-account', login: 'n', email: 'n@x', profile: { site_role: 'Creator' } });
    const del = configOf({ provisioning: true, 'delete-resource': 'U', 'delete-resource-type': 'user' });
    expect(del.action).toEqual({ kind: 'delete-resource', resourceId: 'U', resourceType: 'user' });
  });

  it('need their companion flags', () => {
    const result = resolveConfig({ ...BASE, provisioning: true, 'delete-resource-type': 'user', 'create-account-profile': '{}' }, { needsTableau: true });
    expect(result.ok ? [] : result.problems).toEqual([
      '--create-account-login, --delete-resource are mutually exclusive: give one provisioning action at a time',
      'one-shot create-account needs --create-account-login, --create-account-email: missing --create-account-login, --create-account-email',
      'one-shot delete-resource needs --delete-resource, --delete-resource-type: missing --delete-resource',
    ]);
  });

  it('must be shaped like Baton ids', () => {
    const result = resolveConfig({ ...BASE, provisioning: true, 'revoke-grant': 'group:G:member' }, { needsTableau: true });
    expect(result.ok ? [] : result.problems).toEqual(['--revoke-grant "group:G:member" is not a grant id <entitlement id>:<principal type>:<principal id>']);
    const grant = { provisioning: true, 'grant-entitlement': 'group:G', 'grant-principal': 'U', 'grant-principal-type': 'user' };
    const bad = resolveConfig({ ...BASE, ...grant }, { needsTableau: true });
    expect(bad.ok ? [] : bad.problems).toEqual(['--grant-entitlement "group:G" is not an entitlement id <type>:<resource id>:<slug>']);
  });

  it('are refused by serve, which takes the -p settings instead', () => {
    const listen = { listen: '127.0.0.1:0' };
    const withAction = serveOptionsFrom(configOf({ ...listen, provisioning: true, 'revoke-grant': 'group:G:member:user:U' }));
    expect(withAction.problems.join()).toMatch(/serve takes no one-shot provisioning flags/);
    const plain = serveOptionsFrom(configOf({ ...listen, provisioning: true, 'deprovision-policy': 'unlicense' }));
    expect(plain.options?.provisioning).toBe(true);
    expect(plain.options?.provisioningSettings).toEqual({ policy: 'unlicense', dryRun: false });
  });
});
