/**
 * Resource types, then resources: every type listed once with no parent, then the child listings
 * that ChildResourceType annotations ask for, parents before children, each (child type, parent)
 * pair once. Only compact (type, parent id) actions are queued, never resources. Grants of the
 * connector's independent types are listed in the same pool as soon as each resource is stored.
 */
import type { Resource, ResourceId } from '../../proto/types.js';
import { childResourceTypeIds, missingTraits } from './annotations.js';
import { runBounded } from './bounded-pool.js';
import { EarlyGrantQueue, type EarlyGrantWork } from './early-grants.js';
import { listGrantsOf } from './fan-out-phase.js';
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
  const early = new EarlyGrantQueue(s);
  let running = 0;
  const pending = (): number => queue.size + early.size + running;
  const store = (resource: Resource): void => {
    assertTraits(s, resource);
    const isNew = s.sink.resource(resource);
    queue.addChildrenOf(resource);
    early.offer(resource, isNew);
  };
  for (const type of s.types) {
    await listResources(s, { typeId: type.id ?? '' }, store, pending);
  }
  let current: string | undefined;
  let listingsRunning = 0;
  const subtrees = new Set<string>();
  let listingsFinished = (): void => undefined;
  const listingsDone = new Promise<void>((resolve) => (listingsFinished = resolve));
  const take = <T extends { subtree: string }>(work: T | undefined): T | undefined => {
    if (work) subtrees.add((current = work.subtree));
    return work;
  };
  // Work of the subtree in progress comes first (with one session per PAT another site costs a
  // switchSite); listings before early grants otherwise, so resources still come before their grants.
  const next = (): PhaseWork | undefined => {
    const listing = queue.peekSubtree();
    const grants = early.peekSubtree();
    if (grants !== undefined && grants === current) return take(earlyWork(early));
    if (listing !== undefined && listing === current) return take(listingWork(queue));
    if (s.oneParentAtATime && running > 0) return undefined;
    if (listing !== undefined) return take(listingWork(queue));
    return take(earlyWork(early));
  };
  const pool = runBounded(next, s.concurrency, s.signal, async (work) => {
    running++;
    if (work.kind === 'list') listingsRunning++;
    try {
      if (work.kind === 'list') await listResources(s, work.action, store, pending);
      else await listGrantsOf(s, work.grants.resource, work.grants.id, pending);
    } finally {
      running--;
      if (work.kind === 'list' && --listingsRunning === 0 && queue.size === 0) listingsFinished();
    }
  });
  if (queue.size === 0 && listingsRunning === 0) listingsFinished();
  await Promise.race([pool, listingsDone]);
  // Every resource is stored; early grants still being listed may go on through the next phases —
  // unless they span several subtrees and the connector wants one subtree at a time.
  if (s.oneParentAtATime && subtrees.size > 1) await pool;
  else s.runInBackground(pool);
}

type PhaseWork =
  | { kind: 'list'; action: ListAction; subtree: string }
  | { kind: 'grants'; grants: EarlyGrantWork; subtree: string };

function listingWork(queue: ChildListingQueue): PhaseWork | undefined {
  const action = queue.take();
  return action && { kind: 'list', action, subtree: resourceKey(action.parent) };
}

function earlyWork(early: EarlyGrantQueue): PhaseWork | undefined {
  const grants = early.take();
  return grants && { kind: 'grants', grants, subtree: grants.subtree };
}

async function listResources(
  s: SyncState,
  action: ListAction,
  store: (resource: Resource) => void,
  pending: () => number,
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
      for (const resource of resources) store(resource);
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

  /** The parent subtree of the next listing, without taking it. */
  peekSubtree(): string | undefined {
    const action = this.actions[this.head];
    return action && resourceKey(action.parent);
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
