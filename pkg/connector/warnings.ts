/**
 * Warnings of the connector: counted in the run's warnings when the caller keeps them (the one-shot
 * sync engine passes its {@link RunWarnings} in the call context), logged otherwise (gRPC callers).
 */
import { shortfallMessage, type ListingShortfall, type ShortfallSink } from '../tableau/index.js';
import type { CallCtx } from './types.js';

/** Reports a warning once per `key` within the run (see RunWarnings.warn). */
export function warnOnce(ctx: CallCtx, message: string, key: string, fields: Record<string, unknown> = {}): void {
  if (ctx.warnings) ctx.warnings.warn(ctx.log, message, key, fields);
  else ctx.log.warn(fields, message);
}

/** A listing that ended short of what Tableau promised: one warning per listing. */
export function warnShortfall(ctx: CallCtx, shortfall: ListingShortfall): void {
  const { listing, promised, delivered } = shortfall;
  warnOnce(ctx, shortfallMessage(shortfall), `shortfall ${listing}`, { listing, promised, delivered });
}

/** Where the sync's listings report a shortfall (see {@link warnShortfall}). */
export const warnShortfallTo = (ctx: CallCtx): ShortfallSink => (shortfall) => warnShortfall(ctx, shortfall);
