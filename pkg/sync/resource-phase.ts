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
import { Fifo } from './fifo.js';
import { listGrantsOf } from './fan-out-phase.js';
import { SyncError } from './errors.js';
import { forEachPage } from './paging.js';
import { resourceKey } from './records.js';
import type { SyncState } from './state.js';
import type { SyncScope } from './types.js';

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
  const work = new ResourcePhaseWork(s);
  for (const type of s.types) {
    await listResources(s, { typeId: type.id ?? '' }, work);
  }
  const pool = runBounded(() => work.next(), s.concurrency, s.signal, (item) => work.run(item));
  await Promise.race([pool, work.listingsDone]);
  // Every resource is stored: repeats collapse to their last copy, and the counts become exact. Early
  // grants still being listed may go on through the next phases — unless they span several subtrees
  // and the connector wants one subtree at a time.
  s.sink.recountResources();
  if (s.oneParentAtATime && work.subtreeCount > 1) await pool;
  else s.runInBackground(pool);
}

/**
 * A targeted sync's resources phase: each wanted resource fetched with GetResource (the SDK's partial
 * sync), no listings. The later phases then cover exactly these stored resources.
 */
export async function syncTargetedResources(s: SyncState, targets: NonNullable<SyncScope['targetedResources']>): Promise<void> {
  s.enterPhase('resources');
  for (const { resourceId, parentResourceId } of targets) {
    const response = await s.api.getResource({ resourceId, ...(parentResourceId ? { parentResourceId } : {}), activeSyncId: s.syncId }, s.ctx());
    if (!response.resource) throw new SyncError(`GetResource ${resourceKey(resourceId)}: no resource returned`);
    s.sink.resource(response.resource);
    s.progress(targets.length);
  }
  s.sink.recountResources();
}

type PhaseWork =
  | { kind: 'list'; action: ListAction; subtree: string }
  | { kind: 'grants'; grants: EarlyGrantWork; subtree: string };

/**
 * The work of the resources phase: child listings and early grants, chosen so that work of the
 * subtree in progress comes first (with one session per PAT another site costs a switchSite), and
 * listings before early grants otherwise, so resources still come before their grants.
 */
class ResourcePhaseWork {
  private readonly queue = new ChildListingQueue();
  private readonly early: EarlyGrantQueue;
  private readonly subtrees = new Set<string>();
  private current: string | undefined;
  private running = 0;
  private listingsRunning = 0;
  private listingsFinished = (): void => undefined;
  /** Resolves once no listing is queued or running: every resource is stored. */
  readonly listingsDone = new Promise<void>((resolve) => (this.listingsFinished = resolve));

  constructor(private readonly s: SyncState) {
    this.early = new EarlyGrantQueue(s);
  }

  get subtreeCount(): number {
    return this.subtrees.size;
  }

  /** Listings queued or running, early grants queued or running (progress). */
  pending(): number {
    return this.queue.size + this.early.size + this.running;
  }

  /** Stores one listed resource and queues what it leads to. */
  store(resource: Resource): void {
    assertTraits(this.s, resource);
    const rowId = this.s.sink.resource(resource);
    this.queue.addChildrenOf(resource);
    this.early.offer(resource, rowId);
  }

  next(): PhaseWork | undefined {
    const listing = this.queue.peekSubtree();
    const grants = this.early.peekSubtree();
    if (grants !== undefined && grants === this.current) return this.take(this.earlyWork());
    if (listing !== undefined && listing === this.current) return this.take(this.listingWork());
    if (this.s.oneParentAtATime && this.running > 0) return undefined;
    if (listing !== undefined) return this.take(this.listingWork());
    const work = this.take(this.earlyWork());
    // Nothing was listed under a parent (no child listings at all): the listings are over.
    this.noteIfListingsOver();
    return work;
  }

  async run(work: PhaseWork): Promise<void> {
    this.running++;
    if (work.kind === 'list') this.listingsRunning++;
    try {
      if (work.kind === 'list') await listResources(this.s, work.action, this);
      else await listGrantsOf(this.s, work.grants.resource, work.grants.id, () => this.pending());
    } finally {
      this.running--;
      if (work.kind === 'list') {
        this.listingsRunning--;
        this.noteIfListingsOver();
      }
    }
  }

  private noteIfListingsOver(): void {
    if (this.queue.size === 0 && this.listingsRunning === 0) this.listingsFinished();
  }

  private take(work: PhaseWork | undefined): PhaseWork | undefined {
    if (work) this.subtrees.add((this.current = work.subtree));
    return work;
  }

  private listingWork(): PhaseWork | undefined {
    const action = this.queue.take();
    return action && { kind: 'list', action, subtree: resourceKey(action.parent) };
  }

  private earlyWork(): PhaseWork | undefined {
    const grants = this.early.take();
    return grants && { kind: 'grants', grants, subtree: grants.subtree };
  }
}

async function listResources(s: SyncState, action: ListAction, work: ResourcePhaseWork): Promise<void> {
  const label = action.parent ? `ListResources ${action.typeId} of ${resourceKey(action.parent)}` : `ListResources ${action.typeId}`;
  await forEachPage(
    label,
    (pageToken) =>
      s.api.listResources(
        { resourceTypeId: action.typeId, parentResourceId: action.parent, pageToken, activeSyncId: s.syncId },
        s.ctx(),
      ),
    (resources) => {
      for (const resource of resources) work.store(resource);
      s.progress(work.pending());
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
  private readonly actions = new Fifo<ListAction>();
  private readonly seen = new Set<string>();

  get size(): number {
    return this.actions.size;
  }

  /** The parent subtree of the next listing, without taking it. */
  peekSubtree(): string | undefined {
    const action = this.actions.peek();
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
    return this.actions.shift();
  }
}
