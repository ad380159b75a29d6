/**
 * Coalesces group-membership changes. Grants and revokes on the same group that arrive close together
 * become one bulk call (API 3.21+ Add/Remove Users to/from Group), each caller still getting its own
 * result. The window is adaptive: a batch closes once no change arrived for `windowMs`, or at the
 * latest `maxWaitMs` after its first change, so a burst becomes one batch per group; changes arriving
 * while a batch is in flight wait for the next one. Batches of one group run one at a time, so
 * concurrent batches never race on the same membership.
 *
 * Adds need no read: Tableau's bulk add answers with the users it added, which both tells "changed"
 * and verifies them. When users are missing from that answer (already members, or not settled by the
 * call), one read of the membership tells which are in (already members); each user still absent is
 * retried with its own call, whose errors are that user's own. Removes read the membership before (to tell "already absent") and after (the bulk
 * remove answers with no body, so that read is the verification). A failed bulk call falls back to
 * one call per user.
 */
import type { Logger } from 'pino';
import type { SiteRef } from '../provisioning/locator.js';

export type MembershipChange = 'add' | 'remove';
/** `changed`: Tableau changed the membership; `unchanged`: the user was already in (or out). */
export type MembershipResult = 'changed' | 'unchanged';

interface QueuedChange {
  kind: MembershipChange;
  userId: string;
  resolve(result: MembershipResult): void;
  reject(err: unknown): void;
}

interface GroupQueue {
  site: SiteRef;
  groupId: string;
  pending: QueuedChange[];
  timer: NodeJS.Timeout | undefined;
  /** When the first change still waiting arrived (performance.now()). */
  openedAt: number;
  running: boolean;
}

/** Changes of one batch that can be applied together (no user both added and removed). */
interface Segment {
  adds: Map<string, QueuedChange[]>;
  removes: Map<string, QueuedChange[]>;
}

export interface MembershipBatcherOptions {
  /** A batch closes once no change arrived for this long. */
  windowMs: number;
  /** ... or at the latest this long after its first change (default 10 × windowMs). */
  maxWaitMs?: number;
  /** Most changes per batch (one bulk request body). */
  maxBatch: number;
  /** Whether the server has the 3.21 bulk endpoints. */
  bulkSupported: () => Promise<boolean>;
  log: Logger;
}

/** Upper bound on one batch's Tableau calls: a stuck server must not hold callers forever. */
const BATCH_TIMEOUT_MS = 120_000;
const SINGLE_CALL_CONCURRENCY = 4;

export class MembershipBatcher {
  private readonly queues = new Map<string, GroupQueue>();

  constructor(private readonly opts: MembershipBatcherOptions) {}

  /**
   * Queues one change; resolves when Tableau's membership has been verified for this user. When
   * `signal` aborts, a change still waiting is dropped from its batch and the caller gets the abort
   * reason (a change already sent to Tableau may still complete).
   */
  submit(site: SiteRef, groupId: string, kind: MembershipChange, userId: string, signal?: AbortSignal): Promise<MembershipResult> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const key = `${site.id}/${groupId}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { site, groupId, pending: [], timer: undefined, openedAt: 0, running: false };
      this.queues.set(key, queue);
    }
    const target = queue;
    const settled = new Promise<MembershipResult>((resolve, reject) => {
      const onAbort = (): void => withdraw(target, change, signal?.reason);
      const detach = (): void => signal?.removeEventListener('abort', onAbort);
      const change: QueuedChange = {
        kind,
        userId,
        resolve: (result) => (detach(), resolve(result)),
        reject: (err) => (detach(), reject(err)),
      };
      if (target.pending.length === 0) target.openedAt = performance.now();
      target.pending.push(change);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.schedule(key, queue);
    return settled;
  }

  /** (Re)arms the batch timer: each new change extends the wait by `windowMs`, up to `maxWaitMs`. */
  private schedule(key: string, queue: GroupQueue): void {
    if (queue.running) return;
    clearTimeout(queue.timer);
    const maxWait = this.opts.maxWaitMs ?? this.opts.windowMs * 10;
    // A full batch has nothing left to wait for.
    const left = queue.pending.length >= this.opts.maxBatch ? 0 : queue.openedAt + maxWait - performance.now();
    queue.timer = setTimeout(() => void this.drain(key, queue), Math.max(0, Math.min(this.opts.windowMs, left)));
  }

  private async drain(key: string, queue: GroupQueue): Promise<void> {
    queue.timer = undefined;
    queue.running = true;
    const batch = queue.pending.splice(0, this.opts.maxBatch);
    const signal = AbortSignal.timeout(BATCH_TIMEOUT_MS);
    try {
      for (const segment of segmentsOf(batch)) await this.applySegment(queue, segment, signal);
    } catch (err) {
      for (const change of batch) change.reject(err);
    } finally {
      queue.running = false;
      if (queue.pending.length > 0) this.schedule(key, queue);
      else this.queues.delete(key);
    }
  }

  private async applySegment(queue: GroupQueue, segment: Segment, signal: AbortSignal): Promise<void> {
    const users = segment.adds.size + segment.removes.size;
    if (users > 1 && (await this.opts.bulkSupported())) await this.applyBulk(queue, segment, signal);
    else await applySingly(queue, segment, signal, new Set());
  }

  private async applyBulk(queue: GroupQueue, segment: Segment, signal: AbortSignal): Promise<void> {
    const { site, groupId } = queue;
    const before = segment.removes.size > 0 ? await memberIds(site, groupId, signal) : undefined;
    const unsettled: Segment = { adds: new Map(), removes: new Map() };
    await this.bulkAdd(queue, segment.adds, before, unsettled.adds, signal);
    if (before) await this.bulkRemove(queue, segment.removes, before, unsettled.removes, signal);
    // Removes left over were members before the bulk call: any success for them is a change.
    await applySingly(queue, unsettled, signal, new Set(unsettled.removes.keys()));
  }

  /** Users the answer lists are added and verified; the others are read once, then get their own call. */
  private async bulkAdd(
    queue: GroupQueue,
    adds: Map<string, QueuedChange[]>,
    before: Set<string> | undefined,
    unsettled: Map<string, QueuedChange[]>,
    signal: AbortSignal,
  ): Promise<void> {
    const toAdd = [...adds.keys()].filter((id) => !before?.has(id));
    let listed = new Set<string>();
    if (toAdd.length > 0) {
      try {
        listed = new Set((await queue.site.client.addUsersToGroup(queue.groupId, toAdd, signal)).map((user) => user.id));
      } catch (err) {
        this.opts.log.warn({ err, groupId: queue.groupId, adds: toAdd.length }, 'bulk group add failed; adding one by one');
      }
    }
    const missing = toAdd.filter((id) => !listed.has(id));
    const after = missing.length > 0 ? await memberIds(queue.site, queue.groupId, signal) : new Set<string>();
    settle(adds, unsettled, (id) => addOutcome(id, before, listed, after));
  }

  /** The bulk remove answers with no body, so a second read verifies it. */
  private async bulkRemove(
    queue: GroupQueue,
    removes: Map<string, QueuedChange[]>,
    before: Set<string>,
    unsettled: Map<string, QueuedChange[]>,
    signal: AbortSignal,
  ): Promise<void> {
    const { site, groupId } = queue;
    const toRemove = [...removes.keys()].filter((id) => before.has(id));
    let after = before;
    if (toRemove.length > 0) {
      try {
        await site.client.removeUsersFromGroup(groupId, toRemove, signal);
      } catch (err) {
        // Verified below: users the failed call did remove succeed, the others are retried one by one.
        this.opts.log.warn({ err, groupId, removes: toRemove.length }, 'bulk group remove failed');
      }
      after = await memberIds(site, groupId, signal);
    }
    settle(removes, unsettled, (id) => (!before.has(id) ? 'unchanged' : !after.has(id) ? 'changed' : undefined));
  }
}

/**
 * One read settles every user the bulk answer left out: a member now that the call did not list was
 * already in (unless a read before the call showed it absent); users still absent get their own call.
 */
function addOutcome(userId: string, before: Set<string> | undefined, listed: Set<string>, after: Set<string>): MembershipResult | undefined {
  if (before?.has(userId)) return 'unchanged';
  if (listed.has(userId)) return 'changed';
  if (!after.has(userId)) return undefined;
  return before ? 'changed' : 'unchanged';
}

function withdraw(queue: GroupQueue, change: QueuedChange, reason: unknown): void {
  const index = queue.pending.indexOf(change);
  if (index >= 0) queue.pending.splice(index, 1);
  change.reject(reason);
}

/** Splits a batch in arrival order so that no segment both adds and removes the same user. */
function segmentsOf(batch: QueuedChange[]): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { adds: new Map(), removes: new Map() };
  for (const change of batch) {
    const opposite = change.kind === 'add' ? current.removes : current.adds;
    if (opposite.has(change.userId)) {
      segments.push(current);
      current = { adds: new Map(), removes: new Map() };
    }
    const same = change.kind === 'add' ? current.adds : current.removes;
    same.set(change.userId, [...(same.get(change.userId) ?? []), change]);
  }
  segments.push(current);
  return segments;
}

/** Resolves the users `outcome` knows; the others go to `unsettled`. Duplicates of a user see `unchanged`. */
function settle(
  changes: Map<string, QueuedChange[]>,
  unsettled: Map<string, QueuedChange[]>,
  outcome: (userId: string) => MembershipResult | undefined,
): void {
  for (const [userId, queued] of changes) {
    const result = outcome(userId);
    if (result) resolveAll(queued, result);
    else unsettled.set(userId, queued);
  }
}

function resolveAll(queued: QueuedChange[], result: MembershipResult): void {
  queued.forEach((change, index) => change.resolve(index === 0 ? result : 'unchanged'));
}

/**
 * One Tableau call per user (older servers, a batch of one, or users a bulk call left unsettled).
 * `wasUnsettled` users were members before a bulk remove: any success for them is a change.
 */
async function applySingly(queue: GroupQueue, segment: Segment, signal: AbortSignal, wasUnsettled: Set<string>): Promise<void> {
  const { site, groupId } = queue;
  const work = [
    ...[...segment.adds].map(([userId, queued]) => ({ userId, queued, kind: 'add' as const })),
    ...[...segment.removes].map(([userId, queued]) => ({ userId, queued, kind: 'remove' as const })),
  ];
  const runOne = async ({ userId, queued, kind }: (typeof work)[number]): Promise<void> => {
    try {
      const done =
        kind === 'add'
          ? (await site.client.addUserToGroup(groupId, userId, signal)).added
          : (await site.client.removeUserFromGroup(groupId, userId, signal)).removed;
      resolveAll(queued, done || wasUnsettled.has(userId) ? 'changed' : 'unchanged');
    } catch (err) {
      for (const change of queued) change.reject(err);
    }
  };
  for (let i = 0; i < work.length; i += SINGLE_CALL_CONCURRENCY) {
    await Promise.all(work.slice(i, i + SINGLE_CALL_CONCURRENCY).map(runOne));
  }
}

async function memberIds(site: SiteRef, groupId: string, signal: AbortSignal): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const user of site.client.groupUsers(groupId, { signal })) ids.add(user.id);
  return ids;
}
