/**
 * The hand-written grant encoding is byte-identical to protobufjs for every shape it takes, and hands
 * every other shape to protobufjs. Budget: < 1 s.
 */
import { describe, expect, it } from 'vitest';
import { decode, encode, packAny } from '../../proto/index.js';
import type { Grant } from '../../proto/types.js';
import { GrantEncoder } from '../../pkg/sync/grant-encoder.js';

const GRANT = 'c1.connector.v2.Grant';

function grant(entitlementId: string, groupId: string, userId: string, extra: Partial<Grant> = {}): Grant {
  return {
    id: `${entitlementId}:user:${userId}`,
    entitlement: { id: entitlementId, resource: { id: { resourceType: 'group', resource: groupId } } },
    principal: { id: { resourceType: 'user', resource: userId } },
    ...extra,
  };
}

const immutable = [packAny('c1.connector.v2.GrantImmutable', {})];

const shapes: [string, Grant][] = [
  ['the usual grant', grant('group:g1:member', 'g1', 'u1')],
  ['with annotations', { ...grant('group:g1:member', 'g1', 'u2'), annotations: immutable }],
  ['non-ASCII and long strings', grant(`group:${'é'.repeat(90)}:member`, 'é'.repeat(90), 'ü'.repeat(300))],
  ['empty strings', grant('', '', '')],
  ['no principal', { id: 'x', entitlement: { id: 'e', resource: { id: { resourceType: 't', resource: 'r' } } } }],
  ['entitlement without resource', { id: 'x', entitlement: { id: 'e' }, principal: { id: { resourceType: 'user', resource: 'u' } } }],
  ['resources without ids', { id: 'x', entitlement: { id: 'e', resource: {} }, principal: {} }],
  ['only an id', { id: 'just-an-id' }],
  ['entitlement with a display name (protobufjs path)', { ...grant('e', 'g', 'u'), entitlement: { id: 'e', displayName: 'E' } }],
  ['principal with a display name (protobufjs path)', { ...grant('e', 'g', 'u'), principal: { id: { resourceType: 'user', resource: 'u' }, displayName: 'U' } }],
  ['grant with sources (protobufjs path)', { ...grant('e', 'g', 'u'), sources: { sources: { 'group:g2:member': {} } } }],
  ['entitlement resource with a parent (protobufjs path)', {
    ...grant('e', 'g', 'u'),
    entitlement: { id: 'e', resource: { id: { resourceType: 'group', resource: 'g' }, parentResourceId: { resourceType: 'site', resource: 's' } } },
  }],
  ['baton resource flag (protobufjs path)', { ...grant('e', 'g', 'u'), principal: { id: { resourceType: 'user', resource: 'u', batonResource: true } } }],
];

describe('GrantEncoder', () => {
  it.each(shapes)('%s: same bytes as protobufjs', (_name, g) => {
    const bytes = new GrantEncoder().encode(g);
    expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(encode(GRANT, g)).toString('hex'));
  });

  it('stays exact across a run of grants that share, then change, entitlement and annotations', () => {
    const encoder = new GrantEncoder();
    const run: Grant[] = [];
    for (let i = 0; i < 300; i++) {
      const group = `g${Math.floor(i / 100)}`;
      run.push({ ...grant(`group:${group}:member`, group, `u${i}`), ...(i % 100 < 50 ? { annotations: immutable } : {}) });
    }
    run.push(grant('group:g2:member', 'g-other', 'u-x'));
    for (const g of run) {
      const bytes = encoder.encode(g);
      expect(Buffer.from(bytes).equals(Buffer.from(encode(GRANT, g)))).toBe(true);
      expect(decode<Grant>(GRANT, bytes).id).toBe(g.id);
    }
  });

  it('reuses one buffer: a grant larger than the scratch space still comes out exact', () => {
    const encoder = new GrantEncoder();
    const small = encoder.encode(grant('group:g:member', 'g', 'u1'));
    const smallCopy = Buffer.from(small);
    // The next grant is written over the same memory: no fresh buffer per grant.
    expect(encoder.encode(grant('group:g:member', 'g', 'u4')).buffer).toBe(small.buffer);
    const huge = grant(`group:${'x'.repeat(5000)}:member`, 'x'.repeat(5000), 'u2');
    expect(Buffer.from(encoder.encode(huge)).equals(Buffer.from(encode(GRANT, huge)))).toBe(true);
    const next = encoder.encode(grant('group:g:member', 'g', 'u3'));
    expect(decode<Grant>(GRANT, next).id).toBe('group:g:member:user:u3');
    expect(decode<Grant>(GRANT, smallCopy).id).toBe('group:g:member:user:u1');
  });
});
