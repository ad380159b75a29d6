/**
 * Detects a user listed on two different pages of one site's users listing: offsets shifted while
 * paging, or a corrupt response. Either way the listing cannot be trusted (a duplicate usually means
 * another user was skipped), so the sync must fail rather than write a silently incomplete c1z.
 * Memory: one small-integer hash and page number per user (~30 bytes); ids are compared exactly only
 * on a hash hit, against the page that listed the hash first. The rare id whose hash another id took
 * first is kept in full, so that its own later duplicate is still caught.
 */
import type { CompactUserPage } from './sync-cache.js';

/** FNV-1a, folded to 31 bits so Map keys stay small integers. */
function hash31(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 1;
}

/** A user id found on two pages. */
export interface DuplicateUser {
  id: string;
  firstPage: number;
  page: number;
}

export class DuplicateUserCheck {
  private readonly firstPageOf = new Map<number, number>();
  private readonly pages = new Map<number, CompactUserPage>();
  /** First page of each id whose hash was already taken by a different id. */
  private readonly collidedFirstPage = new Map<string, number>();

  /** Records a page (reading the same page again is fine); returns a user an earlier page listed. */
  add(page: CompactUserPage): DuplicateUser | undefined {
    this.pages.set(page.page, page);
    for (let i = 0; i < page.size; i++) {
      const id = page.userId(i);
      const hash = hash31(id);
      const firstPage = this.firstPageOf.get(hash);
      // Same page (a re-read, or two ids of one page sharing a hash): a later page still finds the id there.
      if (firstPage === undefined) this.firstPageOf.set(hash, page.page);
      else if (firstPage === page.page) continue;
      else if (this.listedOn(firstPage, id)) return { id, firstPage, page: page.page };
      else {
        const duplicate = this.recordCollided(id, page.page);
        if (duplicate) return duplicate;
      }
    }
    return undefined;
  }

  private recordCollided(id: string, pageNumber: number): DuplicateUser | undefined {
    const firstPage = this.collidedFirstPage.get(id);
    if (firstPage === undefined) this.collidedFirstPage.set(id, pageNumber);
    else if (firstPage !== pageNumber) return { id, firstPage, page: pageNumber };
    return undefined;
  }

  private listedOn(pageNumber: number, id: string): boolean {
    const page = this.pages.get(pageNumber);
    if (!page) return false;
    for (let i = 0; i < page.size; i++) if (page.userId(i) === id) return true;
    return false;
  }
}
