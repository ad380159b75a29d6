/**
 * DeleteResource / DeleteResourceV2 of users over real gRPC under each `--deprovision-policy`, with and
 * without a content successor (`--map-assets-to`), checked against the simulator's ground truth
 * (budget: ~3 s).
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { findAnnotation, fromStruct } from '../../proto/index.js';
import type { GrantMetadata } from '../../proto/types.js';
import { annotationNames, rejection, roleOf, scenario, startE2e, user, usersOf, type E2e, type E2eOptions } from './harness.js';

const OWNER = user(1);
const PLAIN = user(2);
const HEIR = user(3);
const OWNED = { workbooks: 2, datasources: 1, flows: 1 };

const data = scenario([
  { id: OWNER, name: 'olivia', siteRole: 'Creator', ownedContent: OWNED },
  { id: PLAIN, name: 'paul', siteRole: 'Explorer' },
  { id: HEIR, name: 'hana', siteRole: 'Creator' },
]);

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

async function open(opts: E2eOptions): Promise<E2e> {
  e2e = await startE2e(data, opts);
  return e2e;
}

const userId = (id: string) => ({ resourceId: { resourceType: 'user', resource: id } });
const deprovision = (annotations: { typeUrl: string; value: Uint8Array }[] | undefined) =>
  fromStruct(findAnnotation<GrantMetadata>(annotations, 'c1.connector.v2.GrantMetadata')?.metadata)['deprovision'];

async function expectRefusedOwner(e: E2e): Promise<void> {
  const before = await e.state();
  const err = await rejection(e.rpc.deleteResource(userId(OWNER)));
  expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
  expect(err.details).toMatch(/olivia owns 2 workbooks, 1 data sources, 1 flows/);
  expect(await e.state()).toEqual(before);
}

describe('block-if-owner (the default)', () => {
  it('refuses an owner with the counts, removes a user without content, then reports it gone', async () => {
    const e = await open({});
    await expectRefusedOwner(e);
    const removed = await e.rpc.deleteResourceV2(userId(PLAIN));
    expect(annotationNames(removed.annotations)).toEqual(['ResourceDeleted', 'GrantMetadata']);
    expect(await roleOf(e, PLAIN)).toBeUndefined();
    const again = await e.rpc.deleteResource(userId(PLAIN));
    expect(annotationNames(again.annotations)).toEqual(['ResourceDoesNotExist']);
  });
});

describe('remove', () => {
  it('without a successor refuses an owner like block-if-owner', async () => {
    const e = await open({ policy: 'remove' });
    await expectRefusedOwner(e);
    expect(e.audits()).toContainEqual(expect.objectContaining({ operation: 'delete-resource', result: 'failed' }));
  });

  it('with a successor (username) moves the content, removes the user and says how much moved', async () => {
    const e = await open({ policy: 'remove', mapAssetsTo: 'hana' });
    const res = await e.rpc.deleteResource(userId(OWNER));
    expect(annotationNames(res.annotations)).toEqual(['ResourceDeleted', 'GrantMetadata']);
    expect(deprovision(res.annotations)).toMatchObject({ policy: 'remove', action: 'removed', ownedContent: OWNED, mappedTo: 'hana', mappedToId: HEIR });
    const users = await usersOf(e);
    expect(users.map((u) => u.id).sort()).toEqual([HEIR, PLAIN, user(0)].sort());
  });

  it('with a successor given by LUID removes a user without content too', async () => {
    const e = await open({ policy: 'remove', mapAssetsTo: HEIR });
    await e.rpc.deleteResource(userId(PLAIN));
    await e.rpc.deleteResource(userId(OWNER));
    expect((await usersOf(e)).map((u) => u.name).sort()).toEqual(['admin', 'hana']);
  });
});

describe('unlicense', () => {
  it('keeps an owner as Unlicensed with the content untouched; a second call changes nothing', async () => {
    const e = await open({ policy: 'unlicense' });
    const res = await e.rpc.deleteResource(userId(OWNER));
    expect(deprovision(res.annotations)).toMatchObject({ policy: 'unlicense', action: 'unlicensed', ownedContent: OWNED });
    expect(await roleOf(e, OWNER)).toBe('Unlicensed');
    const before = await e.state();
    await e.rpc.deleteResource(userId(OWNER));
    expect(await e.state()).toEqual(before);
    expect(e.audits().map((a) => [a['operation'], a['before'], a['result']])).toEqual([
      ['delete-resource', 'Creator', 'unlicensed'],
      ['delete-resource', 'Unlicensed', 'unlicensed'],
    ]);
  });
});
