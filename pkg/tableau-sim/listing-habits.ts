/**
 * Real Tableau servers' listing habits, played on request (fault options, so `POST /_sim/faults`,
 * the CLI flags and SimOptions all reach them): listings that promise more than they deliver
 * (`overPromise` extra items in `totalAvailable`, for the kinds in `overPromiseListings` or all),
 * pages past the real end answered with an empty page instead of `400006` (`pastEndEmpty`), the
 * older shapes of directory groups (`groupShape`), and users left out of the users listing while
 * still members of their groups (`unlistedUsers`, as when a user is removed during a sync).
 */
import { SimError } from './errors.js';
import { pageWindow, type PageParams } from './query.js';
import type { FaultOptions } from './types.js';

/** The listings whose pagination the habits can bend. */
export type ListingKind = 'users' | 'groups' | 'group-users' | 'sites';

const LISTING_KINDS: readonly ListingKind[] = ['users', 'groups', 'group-users', 'sites'];

/**
 * How directory (non-local) groups are rendered: `standard` (`<domain>` and
 * `<import source domainName siteRole grantLicenseMode>`), `import-only` (the `<import>` without `<domain>`), or
 * `attributes-on-group` (older versions: `siteRole`/`grantLicenseMode` on `<group>`, no `<import>`).
 */
export type GroupShape = 'standard' | 'import-only' | 'attributes-on-group';

export const GROUP_SHAPES: readonly GroupShape[] = ['standard', 'import-only', 'attributes-on-group'];

function overPromises(habits: FaultOptions, kind: ListingKind): boolean {
  if (habits.overPromise <= 0) return false;
  const kinds = habits.overPromiseListings.split(',').map((k) => k.trim()).filter((k) => k !== '');
  return kinds.length === 0 || kinds.includes(kind);
}

/** The `totalAvailable` a listing of `real` items reports. */
export function promisedTotal(habits: FaultOptions, kind: ListingKind, real: number): number {
  return overPromises(habits, kind) ? real + habits.overPromise : real;
}

/**
 * The item range of a page. Past the real end: `400006` (Tableau's "beyond the final page"), or an
 * empty page with `pastEndEmpty` while the page is within what the listing promised.
 */
export function listingWindow(habits: FaultOptions, kind: ListingKind, real: number, page: PageParams): { start: number; end: number } {
  const promised = promisedTotal(habits, kind, real);
  const lastPromised = Math.max(1, Math.ceil(promised / page.pageSize));
  if (habits.pastEndEmpty && page.pageNumber <= lastPromised && (page.pageNumber - 1) * page.pageSize >= real) {
    return { start: real, end: real };
  }
  return pageWindow(real, page);
}

/** The user ids `unlistedUsers` leaves out of the users listing. */
export function unlistedUserIds(habits: FaultOptions): ReadonlySet<string> {
  if (habits.unlistedUsers === '') return EMPTY;
  return new Set(habits.unlistedUsers.split(',').map((id) => id.trim()).filter((id) => id !== ''));
}

const EMPTY: ReadonlySet<string> = new Set();

/** Checks the habit options of a `POST /_sim/faults` body; returns the problem, or undefined. */
export function habitProblem(change: Partial<FaultOptions>): string | undefined {
  if (change.overPromise !== undefined && (!Number.isInteger(change.overPromise) || change.overPromise < 0)) {
    return 'overPromise must be a non-negative integer';
  }
  const kinds = (change.overPromiseListings ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
  const unknown = kinds.find((k) => !(LISTING_KINDS as readonly string[]).includes(k));
  if (unknown !== undefined) return `overPromiseListings: unknown listing ${unknown} (one of ${LISTING_KINDS.join(', ')})`;
  if (change.groupShape !== undefined && !(GROUP_SHAPES as readonly string[]).includes(change.groupShape)) {
    return `groupShape must be one of ${GROUP_SHAPES.join(', ')}`;
  }
  return undefined;
}

/** A SimError for an invalid habit given at start-up (CLI flags, SimOptions). */
export function checkHabits(options: FaultOptions): void {
  const problem = habitProblem(options);
  if (problem !== undefined) throw new SimError('400000', 'Bad Request', problem);
}
