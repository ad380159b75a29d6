import { describe, expect, it } from 'vitest';
import { parseEntitlement, parseGrant, principalUserLuid } from '../../pkg/connector/provision/ids.js';
import { isSettableRole, roleForTier, roleOfSlug, roleRank, slugOfRole, tierOfRole } from '../../pkg/connector/provision/roles.js';
import { ConnectorError } from '../../pkg/connector/errors.js';

const SITE = '11111111-1111-4111-8111-111111111111';
const USER = '22222222-2222-4222-8222-222222222222';

describe('license tier mapping keeps admin level and publish right', () => {
  it.each([
    ['SiteAdministratorExplorer', 'creator', 'SiteAdministratorCreator'],
    ['SiteAdministratorCreator', 'explorer', 'SiteAdministratorExplorer'],
    ['SiteAdministratorCreator', 'viewer', undefined],
    ['SiteAdministratorExplorer', 'unlicensed', undefined],
    ['ServerAdministrator', 'creator', undefined],
    ['ExplorerCanPublish', 'creator', 'Creator'],
    ['ExplorerCanPublish', 'viewer', 'Viewer'],
    ['Creator', 'explorer', 'ExplorerCanPublish'],
    ['Viewer', 'explorer', 'Explorer'],
    ['Unlicensed', 'explorer', 'Explorer'],
    ['Publisher', 'creator', 'Creator'],
    ['SiteAdministrator', 'creator', 'SiteAdministratorCreator'],
    ['Explorer', 'unlicensed', 'Unlicensed'],
  ] as const)('%s moved to %s → %s', (role, tier, expected) => {
    expect(roleForTier(role, tier)).toBe(expected);
  });

  it('ranks roles by tier, then admin, then publish', () => {
    expect(roleRank('Unlicensed')).toBeLessThan(roleRank('Viewer'));
    expect(roleRank('Explorer')).toBeLessThan(roleRank('ExplorerCanPublish'));
    expect(roleRank('ExplorerCanPublish')).toBeLessThan(roleRank('SiteAdministratorExplorer'));
    expect(roleRank('SiteAdministratorExplorer')).toBeLessThan(roleRank('Creator'));
    expect(tierOfRole('ServerAdministrator')).toBe('creator');
  });
});

describe('slugs and roles', () => {
  it.each([
    ['SiteAdministratorCreator', 'site administrator creator'],
    ['ExplorerCanPublish', 'explorer can publish'],
    ['ServerAdministrator', 'server administrator'],
    ['ReadOnly', 'readonly'],
    ['SupportUser', 'support user'],
    ['Viewer', 'viewer'],
  ])('%s ⇄ %s', (role, slug) => {
    expect(slugOfRole(role)).toBe(slug);
    expect(roleOfSlug(slug)).toBe(role);
  });

  it('knows which roles REST can set', () => {
    expect(isSettableRole('Creator')).toBe(true);
    expect(isSettableRole('ServerAdministrator')).toBe(false);
    expect(isSettableRole('Publisher')).toBe(false);
    expect(isSettableRole('Guest')).toBe(false);
  });
});

describe('ids', () => {
  it('parses site, group and license entitlements from the id alone', () => {
    expect(parseEntitlement({ id: `site:${SITE}:explorer can publish` })).toMatchObject({
      kind: 'site-role',
      siteLuid: SITE,
      role: 'ExplorerCanPublish',
    });
    expect(parseEntitlement({ id: `group:${SITE}:member` })).toMatchObject({ kind: 'group-member', groupLuid: SITE });
    expect(parseEntitlement({ id: 'license:creator:member' })).toMatchObject({ kind: 'license', tier: 'creator' });
  });

  it('prefers the nested resource and slug when the id is missing', () => {
    const ent = { resource: { id: { resourceType: 'site', resource: SITE } }, slug: 'viewer' };
    expect(parseEntitlement(ent)).toMatchObject({ kind: 'site-role', role: 'Viewer', entitlementId: `site:${SITE}:viewer` });
  });

  it('rejects unknown entitlements and non-user principals with INVALID_ARGUMENT', () => {
    for (const bad of [{ id: 'license:platinum:member' }, { id: 'group:x:owner' }, { id: 'user:x:y' }, { id: 'nonsense' }, undefined]) {
      expect(() => parseEntitlement(bad)).toThrow(ConnectorError);
    }
    const groupPrincipal = { id: { resourceType: 'group', resource: SITE } };
    expect(() => principalUserLuid(groupPrincipal)).toThrow(/group cannot be granted/);
  });

  it('parses a revoke from the grant id alone', () => {
    expect(parseGrant({ id: `group:${SITE}:member:user:${USER}` })).toMatchObject({
      userLuid: USER,
      target: { kind: 'group-member', groupLuid: SITE },
    });
    expect(() => parseGrant({ id: `group:${SITE}:member:group:${USER}` })).toThrow(ConnectorError);
  });
});
