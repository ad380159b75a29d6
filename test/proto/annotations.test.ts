/**
 * Annotations travel as google.protobuf.Any. A type missing from our protos would silently become an
 * empty Any on the far side, so every annotation we emit or read must round-trip with its content.
 */
import { describe, expect, test } from 'vitest';
import { decode, encode, findAnnotation, packAny, toStruct, unpackAny } from '../../proto/index.js';
import type { Any, Resource } from '../../proto/types.js';
import { AccountType, RateLimitStatus, UserTraitStatus } from '../../proto/types.js';

const samples: Record<string, object> = {
  UserTrait: {
    emails: [{ address: 'ada@example.com', isPrimary: true }],
    status: { status: UserTraitStatus.STATUS_DISABLED, details: 'unlicensed' },
    profile: toStruct({ login: 'ada', site_role: 'Viewer' }),
    accountType: AccountType.ACCOUNT_TYPE_HUMAN,
    login: 'ada',
    loginAliases: ['ada@example.com'],
    lastLogin: { seconds: 1_700_000_000, nanos: 1000 },
    structuredName: { givenName: 'Ada', familyName: 'Lovelace' },
  },
  GroupTrait: { profile: toStruct({ group_id: 'g1', group_name: 'Analysts' }), groupSourceType: 'local' },
  RoleTrait: { profile: toStruct({ role: 'Creator' }) },
  LicenseProfileTrait: { licenseName: 'Creator', purchasedSeats: 40, consumedSeats: 12, entitlementIds: ['license:creator:member'] },
  ChildResourceType: { resourceTypeId: 'user' },
  ExternalLink: { url: 'https://tableau.example.com/#/site/finance/users' },
  V1Identifier: { id: 'site' },
  SkipEntitlementsAndGrants: {},
  SkipEntitlements: {},
  SkipGrants: {},
  GrantAlreadyExists: {},
  GrantAlreadyRevoked: {},
  GrantReplaced: { replacedGrantId: 'site:s1:viewer:user:u1' },
  GrantImmutable: { sourceId: 'All Users', metadata: toStruct({ reason: 'implicit' }) },
  GrantMetadata: { metadata: toStruct({ via: 'minimumSiteRole', n: 3 }) },
  GrantExpandable: { entitlementIds: ['group:g1:member'], shallow: true, resourceTypeIds: ['user'] },
  ResourceDeleted: { resourceId: { resourceType: 'user', resource: 'u1' } },
  ResourceDoesNotExist: {},
  EntitlementImmutable: { sourceId: 'tableau', metadata: toStruct({ builtin: true }) },
  RateLimitDescription: { status: RateLimitStatus.STATUS_OVERLIMIT, limit: 100, remaining: 3, resetAt: { seconds: 1_800_000_000 } },
  RequestId: { requestId: 'req-42' },
};

describe('every annotation we emit round-trips through Any inside a Resource', () => {
  for (const [name, message] of Object.entries(samples)) {
    test(name, () => {
      const fullName = `c1.connector.v2.${name}`;
      const annotation = packAny(fullName, message);
      expect(annotation.typeUrl).toBe(`type.googleapis.com/${fullName}`);
      const bytes = encode('c1.connector.v2.Resource', { id: { resourceType: 't', resource: 'r' }, annotations: [annotation] });
      const back = decode<Resource>('c1.connector.v2.Resource', bytes).annotations ?? [];
      expect(back).toHaveLength(1);
      expect(back[0]!.typeUrl).toBe(annotation.typeUrl);
      expect(Buffer.from(back[0]!.value)).toEqual(Buffer.from(annotation.value));
      expect(unpackAny(back[0]!)).toEqual({ fullName, message });
      expect(findAnnotation(back, fullName)).toEqual(message);
    });
  }
});

test('non-empty annotations carry their content (an unloaded type would encode to nothing)', () => {
  for (const [name, message] of Object.entries(samples)) {
    const size = packAny(`c1.connector.v2.${name}`, message).value.length;
    if (Object.keys(message).length > 0) expect(size, name).toBeGreaterThan(0);
  }
});

test('unknown types and absent annotations are reported as undefined, not as empty messages', () => {
  const foreign: Any = { typeUrl: 'type.googleapis.com/acme.v1.Widget', value: new Uint8Array([8, 1]) };
  expect(unpackAny(foreign)).toBeUndefined();
  expect(findAnnotation([foreign], 'c1.connector.v2.UserTrait')).toBeUndefined();
  expect(findAnnotation(undefined, 'c1.connector.v2.UserTrait')).toBeUndefined();
});

test('findAnnotation picks the requested type among several', () => {
  const annotations = [packAny('c1.connector.v2.V1Identifier', { id: 'x' }), packAny('c1.connector.v2.ExternalLink', { url: 'https://a.example' })];
  expect(findAnnotation(annotations, 'c1.connector.v2.ExternalLink')).toEqual({ url: 'https://a.example' });
});

test('an empty Any value from the wire (Go omits empty bytes) still decodes to {typeUrl, value}', () => {
  // field 1 (type_url) only, as Go encodes Any{TypeUrl: ".../SkipGrants"}: no field 2.
  const typeUrl = 'type.googleapis.com/c1.connector.v2.SkipGrants';
  const any = [10, typeUrl.length, ...Buffer.from(typeUrl)];
  const resource = Uint8Array.from([0x22, any.length, ...any]);
  const decoded = decode<Resource>('c1.connector.v2.Resource', resource);
  const skip = decoded.annotations?.[0];
  expect(skip?.typeUrl).toBe(typeUrl);
  expect(skip?.value).toBeInstanceOf(Uint8Array);
  expect(skip?.value.length).toBe(0);
  expect(findAnnotation(decoded.annotations, 'c1.connector.v2.SkipGrants')).toEqual({});
});
