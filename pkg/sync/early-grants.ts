/**
 * Grants listed during the resources phase, for the types a connector marks independent
 * (`SyncHints.independentGrantTypes`). The queue keeps only the row ids of stored resources whose
 * grants are still to be listed; each resource is read back from the c1z when its turn comes. A site
 * with many groups costs ~100 bytes per group (the key of each resource offered). A resource returned
 * again while queued moves its entry to the new row (the last-written copy, as in the grants phase);
 * once taken, its grants are not listed twice.
 */
import { decode } from '../../proto/index.js';
import type { Resource, ResourceId } from '../../proto/types.js';
import { skipsGrants } from './annotations.js';
import { SyncError } from './errors.js';
import { Fifo } from './fifo.js';
import { RESOURCE, resourceKey } from './records.js';
import type { SyncState } from './state.js';

interface PendingGrants {
  /** `<type>:<id>`, its key among the resources offered. */
  key: string;
  typeId: string;
  resourceId: string;
  /** Where the last copy of the resource is stored. */
  rowId: number;
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
  /** Every resource offered, by key; the entry while its grants are still queued. */
  private readonly offered = new Map<string, PendingGrants | undefined>();

  constructor(private readonly s: SyncState) {}

  get size(): number {
    return this.items.size;
  }

  /** Queues a resource just stored at `rowId`, when its type is listed early and it was not offered before. */
  offer(resource: Resource, rowId: number): void {
    const typeId = resource.id?.resourceType ?? '';
    if (!this.s.earlyGrantTypes.has(typeId)) return;
    const key = resourceKey(resource.id);
    if (this.offered.has(key)) {
      const queued = this.offered.get(key);
      if (queued) queued.rowId = rowId;
      return;
    }
    if (skipsGrants(resource.annotations) || skipsGrants(this.s.typeById(typeId)?.annotations)) {
      this.offered.set(key, undefined);
      return;
    }
    const subtree = resourceKey(resource.parentResourceId ?? resource.id);
    const pending = { key, typeId, resourceId: resource.id?.resource ?? '', rowId, subtree };
    this.offered.set(key, pending);
    this.items.push(pending);
  }

  /** The subtree of the next resource, without taking it. */
  peekSubtree(): string | undefined {
    return this.items.peek()?.subtree;
  }

  take(): EarlyGrantWork | undefined {
    const next = this.items.shift();
    if (!next) return undefined;
    this.offered.set(next.key, undefined);
    const data = this.s.writer.resourceAt(next.rowId);
    if (!data) throw new SyncError(`resource ${next.typeId}:${next.resourceId} was stored but cannot be read back`);
    const id = { resourceType: next.typeId, resource: next.resourceId };
    return { resource: decode<Resource>(RESOURCE, data), id, subtree: next.subtree };
  }
}
