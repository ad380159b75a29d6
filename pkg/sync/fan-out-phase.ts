/**
 * Static entitlements, entitlements and grants: fan out over the resources already stored in the
 * c1z (read back from SQLite in batches, decoded one at a time), with bounded concurrency, paging
 * each listing and writing every page before asking for the next.
 */
import { decode } from '../../proto/index.js';
import type { Any, Entitlement, Resource, ResourceId, ResourceType } from '../../proto/types.js';
import { skipsEntitlements, skipsGrants } from './annotations.js';
import { isNotFound } from './errors.js';
import { forEachPage, type ListPage } from './paging.js';
import { RESOURCE, resourceKey } from './records.js';
import type { SyncState } from './state.js';

type Skip = (annotations: Any[] | undefined) => boolean;

export async function syncEntitlements(s: SyncState): Promise<void> {
  s.enterPhase('entitlements');
  for (const type of s.types) {
    if (skipsEntitlements(type.annotations)) continue;
    await stampStaticEntitlements(s, type);
    await forEachStoredResource(s, type, skipsEntitlements, (resource, id, pending) =>
      listPerResource(
        s, 'ListEntitlements', id, pending,
        (pageToken) => s.api.listEntitlements({ resource, pageToken, activeSyncId: s.syncId }, s.ctx()),
        (e) => s.sink.entitlement(e, id),
      ),
    );
  }
}

export async function syncGrants(s: SyncState): Promise<void> {
  s.enterPhase('grants');
  for (const type of s.types) {
    // Types listed early already had every stored resource's grants listed in the resources phase.
    if (skipsGrants(type.annotations) || s.earlyGrantTypes.has(type.id ?? '')) continue;
    await forEachStoredResource(s, type, skipsGrants, (resource, id, pending) => listGrantsOf(s, resource, id, pending));
  }
}

/** Every page of one resource's grants, written as it arrives; NOT_FOUND skips the resource with a warning. */
export function listGrantsOf(s: SyncState, resource: Resource, id: ResourceId, pending: () => number): Promise<void> {
  return listPerResource(
    s, 'ListGrants', id, pending,
    (pageToken) => s.api.listGrants({ resource, pageToken, activeSyncId: s.syncId }, s.ctx()),
    (g) => s.sink.grant(g, id),
  );
}

/**
 * Every page of one resource's `method` listing, each record stored as it arrives and progress
 * reported per page. NOT_FOUND skips that resource with a warning; anything else fails the sync.
 */
async function listPerResource<T>(
  s: SyncState,
  method: string,
  id: ResourceId,
  pending: () => number,
  fetchPage: (pageToken: string) => Promise<ListPage<T>>,
  store: (item: T) => void,
): Promise<void> {
  try {
    await forEachPage(`${method} ${resourceKey(id)}`, fetchPage, (items) => {
      for (const item of items) store(item);
      s.progress(pending());
    });
  } catch (err) {
    if (s.signal.aborted || !isNotFound(err)) throw err;
    s.warn(`${method} ${resourceKey(id)}: not found, skipped`);
  }
}

/**
 * Template entitlements of a type (ListStaticEntitlements), stamped onto every stored resource of
 * the type as `<type>:<resource>:<slug>` (what the SDK syncer does). Templates are few; kept in memory.
 */
async function stampStaticEntitlements(s: SyncState, type: ResourceType): Promise<void> {
  const typeId = type.id ?? '';
  const templates: Entitlement[] = [];
  await forEachPage(
    `ListStaticEntitlements ${typeId}`,
    (pageToken) => s.api.listStaticEntitlements({ resourceTypeId: typeId, pageToken, activeSyncId: s.syncId }, s.ctx()),
    (page) => templates.push(...page),
  );
  if (templates.length === 0) return;
  await forEachStoredResource(s, type, skipsEntitlements, async (resource, id) => {
    for (const template of templates) {
      const slug = template.slug || template.displayName || '';
      s.sink.entitlement({ ...template, resource, id: `${id.resourceType}:${id.resource}:${slug}` }, id);
    }
  });
}

async function forEachStoredResource(
  s: SyncState,
  type: ResourceType,
  skip: Skip,
  work: (resource: Resource, id: ResourceId, pending: () => number) => Promise<void>,
): Promise<void> {
  const typeId = type.id ?? '';
  const stored = s.writer.resourcesOfType(typeId);
  let notStarted = s.writer.countResourcesOfType(typeId);
  let running = 0;
  const pending = (): number => running + notStarted;
  const next = (): Resource | undefined => {
    for (;;) {
      const step = stored.next();
      if (step.done) return undefined;
      notStarted = Math.max(0, notStarted - 1);
      const resource = decode<Resource>(RESOURCE, step.value.data);
      if (!skip(resource.annotations)) return resource;
    }
  };
  // A root resource heads its own subtree; any other belongs to its parent's.
  const subtreeOf = (resource: Resource): string => resourceKey(resource.parentResourceId ?? resource.id);
  await s.fanOut(next, subtreeOf, async (resource) => {
    running++;
    try {
      await work(resource, { resourceType: typeId, resource: resource.id?.resource ?? '' }, pending);
    } finally {
      running--;
    }
  });
}
