/** The small sample sync the c1z writer and reader tests write, and the helpers they share. */
import { C1zWriter } from '../../pkg/c1z/index.js';

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{9}$/;

export async function writeSample(target: string, opts: { tempDir?: string } = {}): Promise<C1zWriter> {
  const w = await C1zWriter.create(target, opts);
  w.addResourceType({ id: 'site', data: bytes('rt-site') });
  w.addResourceType({ id: 'user', data: bytes('rt-user') });
  w.addResource({ resourceTypeId: 'site', resourceId: 's1', data: bytes('r-s1') });
  w.addResource({ resourceTypeId: 'user', resourceId: 'u1', parentTypeId: 'site', parentId: 's1', data: bytes('r-u1') });
  w.addEntitlement({ id: 'site:s1:viewer', resourceTypeId: 'site', resourceId: 's1', data: bytes('e-viewer') });
  w.addGrant({
    id: 'site:s1:viewer:user:u1',
    entitlementId: 'site:s1:viewer',
    resourceTypeId: 'site',
    resourceId: 's1',
    principalTypeId: 'user',
    principalId: 'u1',
    data: bytes('g-1'),
  });
  return w;
}
