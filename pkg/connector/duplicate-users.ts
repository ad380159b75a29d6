/**
 * Detects a user listed on two different pages of one site's users listing (or of one group's
 * members): offsets shifted while paging, or a corrupt response. Either way the listing cannot be
 * trusted (a duplicate usually means another user was skipped), so the sync must fail rather than
 * write a silently incomplete c1z. Memory: each id with the page that listed it first, in an
 * `IdTable` (~20-25 bytes a user, outside the V8 heap); ids are compared exactly, and no page has to
 * be kept for the comparison.
 */
import { IdTable } from './id-table.js';

/** The ids of one Tableau page (a compact users page qualifies). */
export interface IdPage {
  /** Tableau's 1-based page number. */
  page: number;
  size: number;
  userId(i: number): string;
}

/** A user id found on two pages. */
export interface DuplicateUser {
  id: string;
  firstPage: number;
  page: number;
}

export class DuplicateUserCheck {
  private readonly firstPageOf = new IdTable();

  /**
   * Records a page; returns a user an earlier page listed. Reading the same page again is fine, and
   * so is an id twice on one page (a page never shifts against itself).
   */
  add(page: IdPage): DuplicateUser | undefined {
    for (let i = 0; i < page.size; i++) {
      const id = page.userId(i);
      const firstPage = this.firstPageOf.getOrSet(id, page.page);
      if (firstPage !== page.page) return { id, firstPage, page: page.page };
    }
    return undefined;
  }
}
