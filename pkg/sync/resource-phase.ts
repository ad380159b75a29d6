/**
 * Resource types, then resources: every type listed once with no parent, then the child listings
 * that ChildResourceType annotations ask for, parents before children, each (child type, parent)
 * pair once. Only compact (type, parent id) actions are queued, never resources.
 */
import type { Resource, ResourceId } from '../../proto/types.js';
import { childResourceTypeIds, missingTraits } from './annotations.js';
import { SyncError } from './errors.js';
import { forEachPage } from './paging.js';
import { resourceKey } from './records.js';
import type { SyncState } from './state.js';

interface ListAction {
  typeId: string;
  parent?: ResourceId;
}

export async function syncResourceTypes(s: SyncState): Promise<void> {
  s.enterPhase('resource-types');
  await forEachPage(
    'ListResourceTypes',
    (pageToken) => s.api.listResourceTypes({ pageToken, activeSyncId: s.syncId }, s.ctx()),
    (types) => {
      for (const rt of types) {
        s.sink.resourceType(rt);
        s.types.push(rt);
      }
      s.progress(0);
    },
  );
}

export async function syncResources(s: SyncState): Promise<void> {
  s.enterPhase('resources');
  const queue = new ChildListingQueue();
  for (const type of s.types) {
    await listResources(s, { typeId: type.id ?? '' }, queue);
  }
  let running = 0;
  await s.fanOut(() => queue.take(), (action) => resourceKey(action.parent), async (action) => {
    running++;
    try {
      await listResources(s, action, queue, () => queue.size + running);
    } finally {
      running--;
    }
  });
}

async function listResources(
  s: SyncState,
  action: ListAction,
  queue: ChildListingQueue,
  pending: () => number = () => queue.size,
): Promise<void> {
  const label = action.parent ? `ListResources ${action.typeId} of ${resourceKey(action.parent)}` : `ListResources ${action.typeId}`;
  await forEachPage(
    label,
    (pageToken) =>
      s.api.listResources(
        { resourceTypeId: action.typeId, parentResourceId: action.parent, pageToken, activeSyncId: s.syncId },
        s.ctx(),
      ),
    (resources) => {
      for (const resource of resources) {
        assertTraits(s, resource);
        s.sink.resource(resource);
        queue.addChildrenOf(resource);
      }
      s.progress(pending());
    },
  );
}

/** Like the SDK: a resource of a USER/GROUP/ROLE/APP/SECRET type must carry that trait annotation. */
function assertTraits(s: SyncState, resource: Resource): void {
  const typeId = resource.id?.resourceType;
  const missing = missingTraits(s.typeById(typeId), resource.annotations);
  if (missing.length > 0) {
    throw new SyncError(`resource ${resourceKey(resource.id)} was missing expected trait ${missing.join(', ')}`);
  }
}

/** FIFO of child listings, deduplicated for the whole run by (child type, parent type, parent id). */
class ChildListingQueue {
  private readonly actions: ListAction[] = [];
  private head = 0;
  private readonly seen = new Set<string>();

  get size(): number {
    return this.actions.length - this.head;
  }

  addChildrenOf(resource: Resource): void {
    const parent = resource.id;
    if (!parent?.resourceType || !parent.resource) return;
    for (const typeId of childResourceTypeIds(resource.annotations)) {
      const key = `${typeId}\n${parent.resourceType}\n${parent.resource}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.actions.push({ typeId, parent: { resourceType: parent.resourceType, resource: parent.resource } });
    }
  }

  take(): ListAction | undefined {
    const action = this.actions[this.head];
    if (!action) return undefined;
    this.head++;
    // Drop the consumed prefix now and then so a long run does not keep every action alive.
    if (this.head >= 4096 && this.head * 2 >= this.actions.length) {
      this.actions.splice(0, this.head);
      this.head = 0;
    }
    return action;
  }
}
