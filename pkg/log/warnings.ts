/**
 * Counted warnings of one run: things that did not fail the run but that its operator should know
 * (a Tableau listing that over-promised, group members missing from the users listing, a skipped
 * resource). Each warning is logged once, when first reported under its key, and counted; the sync
 * engine keeps its own warnings here too, and the one-shot summary prints them on its `Warnings:` line.
 */
import type { Logger } from 'pino';

/** Warnings kept verbatim; past this only a count is kept (a vanished site could produce thousands). */
const MAX_KEPT = 1000;

export class RunWarnings {
  private readonly keys = new Set<string>();
  private readonly kept: string[] = [];
  private dropped = 0;

  /**
   * Logs and counts `message` unless a warning with the same `key` was reported before (the same
   * listing read twice, e.g. a page read again after a lost response, is one warning). `key`
   * defaults to the message itself. Returns whether the warning was new.
   */
  warn(log: Logger, message: string, key: string = message, fields: Record<string, unknown> = {}): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    log.warn(fields, message);
    if (this.kept.length < MAX_KEPT) this.kept.push(message);
    else this.dropped++;
    return true;
  }

  /** Warnings reported so far. */
  get count(): number {
    return this.kept.length + this.dropped;
  }

  /** The warnings in order, with a final "... and N more warnings" line past the cap. */
  messages(): string[] {
    return this.dropped ? [...this.kept, `... and ${this.dropped} more warnings`] : [...this.kept];
  }
}
