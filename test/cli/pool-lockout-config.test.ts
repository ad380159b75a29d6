/**
 * `--allow-pool-lockout` (BATON_ALLOW_POOL_LOCKOUT): a provisioning switch, off by default, refused
 * without `-p`, and handed to provisioning as `allowPoolLockout`.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, type RawValues } from '../../pkg/config/config.js';
import { envName, FIELDS } from '../../pkg/config/fields.js';

const BASE: RawValues = { 'server-path': 'https://tableau.example.com', 'access-token-name': 'tok', 'access-token-secret': 's3cr3t-value' };

describe('--allow-pool-lockout', () => {
  it('is one boolean provisioning field, read from BATON_ALLOW_POOL_LOCKOUT too', () => {
    const field = FIELDS.find((f) => f.name === 'allow-pool-lockout');
    expect(field).toMatchObject({ kind: 'bool', area: 'provisioning', defaultValue: false });
    expect(envName('allow-pool-lockout')).toBe('BATON_ALLOW_POOL_LOCKOUT');
  });

  it('reaches the provisioning settings only when given, and needs -p', () => {
    const on = resolveConfig({ ...BASE, provisioning: true, 'allow-pool-lockout': true }, { needsTableau: true });
    expect(on.ok && on.config.provisioning?.allowPoolLockout).toBe(true);
    const off = resolveConfig({ ...BASE, provisioning: true }, { needsTableau: true });
    expect(off.ok && off.config.provisioning?.allowPoolLockout).toBeUndefined();
    const alone = resolveConfig({ ...BASE, 'allow-pool-lockout': true }, { needsTableau: true });
    expect(alone.ok ? [] : alone.problems).toContain('--allow-pool-lockout needs --provisioning (-p)');
  });
});
