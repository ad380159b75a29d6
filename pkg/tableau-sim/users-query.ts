/**
 * Get Users on Site filtering and sorting. Without `sort` the order is the store's insertion order:
 * stable, but deliberately not sorted by name (Tableau documents the default order as undefined).
 */
import { compareText, parseFilter, parseSort, type FilterTerm, type SortKey } from './query.js';
import type { SimUser, SiteStore } from './site-store.js';

const USER_FILTERS: Record<string, string[]> = {
  name: ['eq', 'cieq', 'in'],
  siteRole: ['eq', 'in'],
  lastLogin: ['eq', 'gt', 'gte', 'lt', 'lte'],
  email: ['eq', 'cieq'],
  domainName: ['eq'],
  isLocal: ['eq'],
  luid: ['eq', 'in'],
};
const USER_SORTS = ['name', 'siteRole', 'lastLogin', 'email', 'fullName'];

function matchText(value: string | null, term: FilterTerm): boolean {
  const wanted = term.values[0] ?? '';
  switch (term.op) {
    case 'eq': return value === wanted;
    case 'cieq': return value !== null && value.toLowerCase() === wanted.toLowerCase();
    case 'in': return value !== null && term.values.includes(value);
    case 'gt': return value !== null && value > wanted;
    case 'gte': return value !== null && value >= wanted;
    case 'lt': return value !== null && value < wanted;
    case 'lte': return value !== null && value <= wanted;
    default: return false;
  }
}

function fieldValue(user: SimUser, field: string): string | null {
  switch (field) {
    case 'name': return user.name;
    case 'siteRole': return user.siteRole;
    case 'lastLogin': return user.lastLogin;
    case 'email': return user.email;
    case 'fullName': return user.fullName;
    case 'domainName': return user.domain;
    case 'isLocal': return String(user.domain === 'local');
    case 'luid': return user.id;
    default: return null;
  }
}

// Tableau compares names without regard to case when sorting.
function sortValue(user: SimUser, field: string): string | null {
  const value = fieldValue(user, field);
  return field === 'lastLogin' || value === null ? value : value.toLowerCase();
}

/** Sorts user indexes with each key's values computed once (fast for 200k users). */
function sortUsers(matching: number[], keys: SortKey[], users: SimUser[]): Int32Array {
  const columns = keys.map((key) => matching.map((idx) => sortValue(users[idx] as SimUser, key.field)));
  const positions = matching.map((_, i) => i);
  positions.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const column = columns[k] as (string | null)[];
      const order = compareText(column[a] ?? null, column[b] ?? null);
      if (order !== 0) return (keys[k] as SortKey).descending ? -order : order;
    }
    return a - b;
  });
  return Int32Array.from(positions, (p) => matching[p] as number);
}

/** User indexes matching `filter`, ordered by `sort` (cached per site until users change). */
export function selectUsers(site: SiteStore, rawFilter: string | null, rawSort: string | null): ArrayLike<number> {
  const terms = parseFilter(rawFilter, USER_FILTERS);
  const keys = parseSort(rawSort, USER_SORTS);
  if (terms.length === 0 && keys.length === 0) return site.userView('', () => new Int32Array(0));
  return site.userView(`${rawFilter ?? ''}|${rawSort ?? ''}`, () => {
    const matching = site.liveUsers().filter((idx) => {
      const user = site.users[idx] as SimUser;
      return terms.every((t) => matchText(fieldValue(user, t.field), t));
    });
    return keys.length > 0 ? sortUsers(matching, keys, site.users) : Int32Array.from(matching);
  });
}
