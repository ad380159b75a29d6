/**
 * Grants listed during the resources phase, for the types a connector marks independent
 * (`SyncHints.independentGrantTypes`). The queue keeps only the ids of stored resources whose grants
 * are still to be listed; each resource is read back from the c1z when its turn comes (so it is the
 * last-written copy, as in the grants phase), and a site with many groups costs a few bytes per group.
 */
import { decode } from '../../proto/index.js';
import type { Resource, ResourceId } from '../../proto/types.js';
import { skipsGrants } from './annotations.js';
import { SyncError } from './errors.js';
import { Fifo } from './fifo.js';
import { RESOURCE, resourceKey } from './records.js';
import type { SyncState } from './state.js';

interface PendingGrants {
  typeId: string;
  resourceId: string;
  /** The resource's parent subtree, for one-parent-at-a-time scheduling. */
  subtree: string;
}

/** A stored resource taken from the queue, ready for ListGrants. */
export interface EarlyGrantWork {
  resource: Resource;
  id: ResourceId;
  subtree: string;
}

export class EarlyGrantQueue {
  private readonly items = new Fifo<PendingGrants>();

  constructor(private readonly s: SyncState) {}

  get size(): number {
    return this.items.size;
  }

  /** Queues a resource just stored, when its type is listed early and it was not stored before. */
  offer(resource: Resource, isNew: boolean): void {
    const typeId = resource.id?.resourceType ?? '';
    if (!isNew || !this.s.earlyGrantTypes.has(typeId) || skipsGrants(resource.annotations)) return;
    if (skipsGrants(this.s.typeById(typeId)?.annotations)) return;
    const subtree = resourceKey(resource.parentResourceId ?? resource.id);
    this.items.push({ typeId, resourceId: resource.id?.resource ?? '', subtree });
  }

  /** The subtree of the next resource, without taking it. */
  peekSubtree(): string | undefined {
    return this.items.peek()?.subtree;
  }

  take(): EarlyGrantWork | undefined {
    const next = this.items.shift();
    if (!next) return undefined;
    const data = this.s.writer.resourceData(next.typeId, next.resourceId);
    if (!data) throw new SyncError(`resource ${next.typeId}:${next.resourceId} was stored but cannot be read back`);
    const id = { resourceType: next.typeId, resource: next.resourceId };
    return { resource: decode<Resource>(RESOURCE, data), id, subtree: next.subtree };
  }
}
