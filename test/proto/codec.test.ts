/** encode/decode of plain objects, Struct and Timestamp helpers, service method paths. */
import { expect, test } from 'vitest';
import { decode, encode, fromStruct, messageType, packAny, serviceMethods, toStruct, toTimestamp } from '../../proto/index.js';
import type { Grant, GrantsServiceListGrantsResponse, Resource, ResourceType } from '../../proto/types.js';
import { EntitlementPurpose, ResourceStatus, Trait } from '../../proto/types.js';

const site: Resource = {
  id: { resourceType: 'site', resource: 'a1b2' },
  displayName: 'Finance',
  description: 'Tableau site',
  profile: toStruct({ content_url: 'finance', user_quota: 250, suspended: false, tags: ['a', 1, null], nested: { k: 'v' } }),
  status: { status: ResourceStatus.RESOURCE_STATUS_ENABLED },
  createdAt: { seconds: 1_700_000_000, nanos: 250_000_000 },
};

const grant: Grant = {
  id: 'site:a1b2:viewer:user:u1',
  entitlement: {
    id: 'site:a1b2:viewer',
    resource: site,
    displayName: 'Finance Viewer',
    slug: 'viewer',
    purpose: EntitlementPurpose.PURPOSE_VALUE_ASSIGNMENT,
    grantableTo: [{ id: 'user', traits: [Trait.TRAIT_USER] }],
  },
  principal: { id: { resourceType: 'user', resource: 'u1' }, parentResourceId: site.id },
  sources: { sources: { 'group:g1:member': { isDirect: true } } },
  annotations: [packAny('c1.connector.v2.V1Identifier', { id: 'legacy' })],
};

test('a grant with nested resource, Struct, Timestamp, enums, map and Any round-trips exactly', () => {
  const response: GrantsServiceListGrantsResponse = { list: [grant, grant], nextPageToken: '{"p":2}' };
  const back = decode<GrantsServiceListGrantsResponse>(
    'c1.connector.v2.GrantsServiceListGrantsResponse',
    encode('c1.connector.v2.GrantsServiceListGrantsResponse', response),
  );
  expect(back).toEqual(response);
});

test('encoding the plain object directly gives the same bytes as protobufjs fromObject', () => {
  const type = messageType('c1.connector.v2.Grant');
  const viaFromObject = type.encode(type.fromObject(grant)).finish();
  expect(Buffer.from(encode('c1.connector.v2.Grant', grant))).toEqual(Buffer.from(viaFromObject));
});

test('decode leaves default values out and gives enums and int64 as numbers', () => {
  const type: ResourceType = { id: 'user', displayName: '', traits: [Trait.TRAIT_USER], sourcedExternally: false };
  const back = decode<ResourceType>('c1.connector.v2.ResourceType', encode('c1.connector.v2.ResourceType', type));
  expect(back).toEqual({ id: 'user', traits: [1] });
  const limit = decode<{ limit: number }>('c1.connector.v2.RateLimitDescription', encode('c1.connector.v2.RateLimitDescription', { limit: 2 ** 40 }));
  expect(limit.limit).toBe(2 ** 40);
});

test('toStruct / fromStruct keep JSON values and drop undefined members', () => {
  const obj = { s: 'x', n: -1.5, b: true, z: null, list: [1, 'two', [false]], obj: { deep: { er: 'y' } }, gone: undefined };
  const struct = toStruct(obj);
  expect(struct.fields?.['n']).toEqual({ numberValue: -1.5 });
  expect(struct.fields?.['z']).toEqual({ nullValue: 0 });
  const wire = decode<typeof struct>('google.protobuf.Struct', encode('google.protobuf.Struct', struct));
  const { gone: _gone, ...expected } = obj;
  expect(fromStruct(wire)).toEqual(expected);
  expect(fromStruct(undefined)).toEqual({});
});

test('toTimestamp accepts Date, ISO string and epoch milliseconds', () => {
  expect(toTimestamp(new Date('2024-05-01T10:00:00.250Z'))).toEqual({ seconds: 1_714_557_600, nanos: 250_000_000 });
  expect(toTimestamp('2024-05-01T10:00:00Z')).toEqual({ seconds: 1_714_557_600 });
  expect(toTimestamp(1_714_557_600_001)).toEqual({ seconds: 1_714_557_600, nanos: 1_000_000 });
  expect(toTimestamp(-1)).toEqual({ seconds: -1, nanos: 999_000_000 });
  expect(() => toTimestamp('not a date')).toThrow(TypeError);
});

test('serviceMethods gives gRPC paths and message names', () => {
  expect(serviceMethods('c1.connector.v2.EntitlementsService')).toEqual([
    {
      name: 'ListEntitlements',
      path: '/c1.connector.v2.EntitlementsService/ListEntitlements',
      requestType: 'c1.connector.v2.EntitlementsServiceListEntitlementsRequest',
      responseType: 'c1.connector.v2.EntitlementsServiceListEntitlementsResponse',
    },
    {
      name: 'ListStaticEntitlements',
      path: '/c1.connector.v2.EntitlementsService/ListStaticEntitlements',
      requestType: 'c1.connector.v2.EntitlementsServiceListStaticEntitlementsRequest',
      responseType: 'c1.connector.v2.EntitlementsServiceListStaticEntitlementsResponse',
    },
  ]);
  expect(() => messageType('c1.connector.v2.NoSuchMessage')).toThrow();
});
