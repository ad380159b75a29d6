/** What every phase of one sync run shares: the connector, the sink, the known types, progress. */
import type { Logger } from 'pino';
import type { ResourceType } from '../../proto/types.js';
import type { ConnectorApi } from '../connector/api.js';
import type { CallCtx } from '../connector/types.js';
import type { C1zWriter } from '../c1z/index.js';
import { oneGroupAtATime, runBounded } from './bounded-pool.js';
import { RecordSink } from './records.js';
import { RunWarnings } from '../log/warnings.js';
import type { SyncOptions, SyncProgress, SyncScope } from './types.js';

const DEFAULT_CONCURRENCY = 4;

export class SyncState {
  readonly api: ConnectorApi;
  readonly writer: C1zWriter;
  /** The caller's signal, also aborted when background work fails (see {@link runInBackground}). */
  readonly signal: AbortSignal;
  readonly concurrency: number;
  /** See {@link SyncOptions.oneParentAtATime}. */
  readonly oneParentAtATime: boolean;
  /** The types of `SyncHints.independentGrantTypes`: their grants are listed during the resources phase. */
  readonly earlyGrantTypes: ReadonlySet<string>;
  /** What this sync leaves out or narrows to (see {@link SyncScope}). */
  readonly scope: SyncScope;
  readonly sink: RecordSink;
  /** Resource types as the connector listed them (a handful: kept in memory). */
  readonly types: ResourceType[] = [];
  /** Shared with the connector through the call context: one count for the whole run. */
  readonly runWarnings: RunWarnings;
  private phase: SyncProgress['phase'] = 'resource-types';
  private log: Logger;
  private readonly stopBackground = new AbortController();
  private background: Promise<void>[] = [];
  private backgroundFailure: { error: unknown } | undefined;

  constructor(private readonly opts: SyncOptions) {
    this.api = opts.api;
    this.writer = opts.writer;
    this.signal = AbortSignal.any([opts.signal, this.stopBackground.signal]);
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY));
    this.oneParentAtATime = opts.oneParentAtATime ?? opts.api.syncHints?.oneParentAtATime ?? false;
    this.scope = opts.scope ?? {};
    const grantsWanted = !this.scope.skipGrants && !this.scope.skipEntitlementsAndGrants;
    this.earlyGrantTypes = new Set(grantsWanted ? (opts.api.syncHints?.independentGrantTypes ?? []) : []);
    this.sink = new RecordSink(opts.writer);
    this.runWarnings = opts.warnings ?? new RunWarnings();
    this.log = opts.log.child({ syncId: opts.writer.syncId });
  }

  /**
   * Runs `task` over the items of `source` with the sync's concurrency; with
   * {@link oneParentAtATime}, items of one `parentOf` key finish before the next key's start.
   */
  fanOut<T>(source: () => T | undefined, parentOf: (item: T) => string, task: (item: T) => Promise<void>): Promise<void> {
    const work = this.oneParentAtATime ? oneGroupAtATime(source, parentOf, task) : { next: source, task };
    return runBounded(work.next, this.concurrency, this.signal, work.task);
  }

  /**
   * Lets `work` go on while the next phases run. Its failure aborts the sync's signal (so the
   * foreground stops soon) and is what the sync reports.
   */
  runInBackground(work: Promise<void>): void {
    this.background.push(
      work.catch((error: unknown) => {
        this.backgroundFailure ??= { error };
        this.stopBackground.abort(error);
      }),
    );
  }

  /** Waits for the background work; throws its failure. */
  async awaitBackground(): Promise<void> {
    await Promise.all(this.background);
    this.background = [];
    if (this.backgroundFailure) throw this.backgroundFailure.error;
  }

  /**
   * After a failure: stops the background work and waits for it, so that nothing writes once the
   * writer is aborted. Returns the error to report (a background failure explains the foreground's).
   */
  async stopAfterFailure(foregroundError: unknown): Promise<unknown> {
    if (!this.stopBackground.signal.aborted) this.stopBackground.abort(foregroundError);
    await Promise.all(this.background);
    return this.backgroundFailure ? this.backgroundFailure.error : foregroundError;
  }

  typeById(typeId: string | undefined): ResourceType | undefined {
    return this.types.find((t) => t.id === typeId);
  }

  get syncId(): string {
    return this.writer.syncId;
  }

  /** The per-call context of the current phase. */
  ctx(): CallCtx {
    return { signal: this.signal, log: this.log, syncId: this.syncId, warnings: this.runWarnings };
  }

  enterPhase(phase: SyncProgress['phase']): void {
    this.phase = phase;
    this.log = this.opts.log.child({ syncId: this.syncId, phase });
    this.log.debug('sync phase started');
    this.progress(0);
  }

  progress(pendingActions: number): void {
    this.opts.onProgress?.({ phase: this.phase, counts: { ...this.sink.counts }, pendingActions });
  }

  warn(message: string): void {
    this.runWarnings.warn(this.log, message);
  }

  warnings(): string[] {
    return this.runWarnings.messages();
  }

  logger(): Logger {
    return this.log;
  }
}
