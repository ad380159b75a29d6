import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildConnector } from '../../pkg/connector/builder.js';
import { groupMemberTarget } from '../../pkg/connector/group/group-member.js';
import { parseEntitlement as parseRef, parseGrant as parseGrantRef, principalUserLuid, type EntitlementRef } from '../../pkg/connector/ids.js';
import { licenseTarget } from '../../pkg/connector/license/license-tier.js';
import { isSettableRole, roleForTier, roleOfSlug, roleRank, roleSlug, licenseTierOf } from '../../pkg/connector/site/roles.js';
import { siteRoleTarget } from '../../pkg/connector/site/site-role.js';
import { ConnectorError } from '../../pkg/connector/errors.js';
import { TableauClient } from '../../pkg/tableau/index.js';
import type { Entitlement, Grant } from '../../proto/types.js';

/** The ids module parses; each grantable type reads the parts in its own terms. */
const READERS: Record<string, (ref: EntitlementRef) => unknown> = { site: siteRoleTarget, group: groupMemberTarget, license: licenseTarget };
const readTarget = (ref: EntitlementRef): unknown => {
  const read = READERS[ref.type];
  if (read === undefined) throw new Error(`no reader for ${ref.type}`);
  return read(ref);
};
const parseEntitlement = (ent: Entitlement | undefined): unknown => readTarget(parseRef(ent));
const parseGrant = (grant: Grant | undefined): { target: unknown; userLuid: string } => {
  const { target, userLuid } = parseGrantRef(grant);
  return { target: readTarget(target), userLuid };
};

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
    expect(licenseTierOf('ServerAdministrator')).toBe('creator');
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
    expect(roleSlug(role)).toBe(slug);
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
    for (const bad of [{ id: 'license:platinum:member' }, { id: 'group:x:owner' }, { id: 'nonsense' }, undefined]) {
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

describe('grant dispatch', () => {
  it('refuses an entitlement of a type without a provisioner with INVALID_ARGUMENT, before any Tableau call', async () => {
    // Nothing listens on port 9 of loopback: a Tableau call would fail with another error.
    const client = new TableauClient({ serverUrl: 'http://127.0.0.1:9', credentials: { kind: 'pat', name: 'n', secret: 's' } });
    const log = pino({ level: 'silent' });
    const connector = buildConnector({ client, sites: { contentUrls: [''] }, log, provisioning: { policy: 'block-if-owner', dryRun: false } });
    const ctx = { signal: AbortSignal.timeout(10_000), log, syncId: '' };
    const request = { entitlement: { id: 'user:x:y' }, principal: { id: { resourceType: 'user', resource: USER } } };
    const err = await connector.grant(request, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).status).toBe('INVALID_ARGUMENT');
    expect((err as ConnectorError).message).toMatch(/resource type "user" has no grantable entitlements/);
    await client.close();
  });
});
