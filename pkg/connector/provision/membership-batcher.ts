/**
 * Coalesces group-membership changes. Grants and revokes on the same group that arrive within a few
 * milliseconds become one bulk call (API 3.21+ Add/Remove Users to/from Group), each caller still
 * getting its own result. Tableau does not document what a bulk call does with users already in (or
 * not in) the group, nor its partial failures (REST-API §10), so a batch reads the membership before
 * (to tell "already a member" per user) and after (to verify each user), and retries the users the
 * bulk call did not settle one by one, which yields each its own precise error. Batches of one group
 * run one at a time, so concurrent batches never race on the same membership.
 */
import type { Logger } from 'pino';
import type { SiteRef } from './site-directory.js';

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
  running: boolean;
}

/** Changes of one batch that can be applied together (no user both added and removed). */
interface Segment {
  adds: Map<string, QueuedChange[]>;
  removes: Map<string, QueuedChange[]>;
}

export interface MembershipBatcherOptions {
  /** How long the first change of a batch waits for others. */
  windowMs: number;
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
    const key = `${site.luid}/${groupId}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { site, groupId, pending: [], timer: undefined, running: false };
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
      target.pending.push(change);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.schedule(key, queue);
    return settled;
  }

  private schedule(key: string, queue: GroupQueue): void {
    if (queue.running || queue.timer) return;
    queue.timer = setTimeout(() => void this.drain(key, queue), this.opts.windowMs);
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
    const before = await memberIds(site, groupId, signal);
    const toAdd = [...segment.adds.keys()].filter((id) => !before.has(id));
    const toRemove = [...segment.removes.keys()].filter((id) => before.has(id));
    try {
      if (toAdd.length > 0) await site.client.addUsersToGroup(groupId, toAdd, signal);
      if (toRemove.length > 0) await site.client.removeUsersFromGroup(groupId, toRemove, signal);
    } catch (err) {
      // Verified below: users the failed call did settle succeed, the others are retried one by one.
      this.opts.log.warn({ err, groupId, adds: toAdd.length, removes: toRemove.length }, 'bulk group membership call failed');
    }
    const after = toAdd.length + toRemove.length > 0 ? await memberIds(site, groupId, signal) : before;
    const unsettled: Segment = { adds: new Map(), removes: new Map() };
    settle(segment.adds, unsettled.adds, (id) => (before.has(id) ? 'unchanged' : after.has(id) ? 'changed' : undefined));
    settle(segment.removes, unsettled.removes, (id) => (!before.has(id) ? 'unchanged' : !after.has(id) ? 'changed' : undefined));
    await applySingly(queue, unsettled, signal, new Set([...unsettled.adds.keys(), ...unsettled.removes.keys()]));
  }
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
 * `wasUnsettled` users were checked before the bulk call: any success for them is a change.
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
