/**
 * The sync engine: drives any ConnectorApi in the Baton SDK's order (PROTOCOL §3.1) and streams
 * every record into a c1z writer, page by page.
 *
 * validate → resource types → resources (roots, then children) → static + per-resource
 * entitlements → grants → cleanup. The caller finishes the writer; on failure runSync aborts it.
 * One exception, on the connector's word (SyncHints.independentGrantTypes): grants of types that
 * depend on no other listing start with the resources phase and may run on in the background.
 */
import { syncEntitlements, syncGrants } from './fan-out-phase.js';
import { syncResources, syncResourceTypes } from './resource-phase.js';
import { SyncState } from './state.js';
import type { SyncOptions, SyncResult } from './types.js';

export type { SyncCounts, SyncHints, SyncOptions, SyncProgress, SyncResult, TypeCounts } from './types.js';
export { SyncError } from './errors.js';

const CLEANUP_TIMEOUT_MS = 10_000;

/** Run one full sync into `opts.writer` (not finished here: the caller calls `writer.finish()`). */
export async function runSync(opts: SyncOptions): Promise<SyncResult> {
  const started = performance.now();
  const s = new SyncState(opts);
  try {
    opts.signal.throwIfAborted();
    await s.api.validate({}, s.ctx());
    await syncResourceTypes(s);
    await syncResources(s);
    await syncEntitlements(s);
    await syncGrants(s);
    await s.awaitBackground();
    await s.api.cleanup({ activeSyncId: s.syncId }, s.ctx());
  } catch (err) {
    const reported = await s.stopAfterFailure(err);
    await opts.writer.abort();
    await bestEffortCleanup(s);
    throw reported;
  }
  s.enterPhase('done');
  const result: SyncResult = {
    counts: { ...s.sink.counts },
    perType: structuredClone(s.sink.perType),
    warnings: s.warnings(),
    durationMs: Math.round(performance.now() - started),
    syncId: s.syncId,
  };
  s.logger().info({ counts: result.counts, warnings: result.warnings.length, durationMs: result.durationMs }, 'sync complete');
  return result;
}

/** The connector may hold per-sync caches; release them even when the sync failed. */
async function bestEffortCleanup(s: SyncState): Promise<void> {
  // The run's own signal may be the reason we are here; give cleanup a short one of its own.
  const ctx = { ...s.ctx(), signal: AbortSignal.timeout(CLEANUP_TIMEOUT_MS) };
  try {
    await s.api.cleanup({ activeSyncId: s.syncId }, ctx);
  } catch (err) {
    s.logger().debug({ err: (err as Error).message }, 'cleanup after a failed sync also failed');
  }
}
