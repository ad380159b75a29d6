/**
 * Query parameters shared by Tableau's list endpoints: 1-based paging (`pageSize` 1..1000, default 100),
 * `filter=field:op:value[,…]` and `sort=field:asc|desc[,…]`.
 */
import { SimError } from './errors.js';

/** Validated paging parameters. */
export interface PageParams {
  pageSize: number;
  pageNumber: number;
}

const MAX_PAGE_SIZE = 1000;
const INTEGER = /^[0-9]+$/;

export function pageParams(query: URLSearchParams): PageParams {
  const size = query.get('pageSize');
  const number = query.get('pageNumber');
  let pageSize = 100;
  if (size !== null) {
    if (!INTEGER.test(size) || Number(size) < 1) {
      throw new SimError('400007', 'Invalid page size', `The page size '${size}' is not a positive integer.`);
    }
    pageSize = Number(size);
    if (pageSize > MAX_PAGE_SIZE) {
      throw new SimError('403014', 'Page size limit exceeded', `The page size must be ${MAX_PAGE_SIZE} or less.`);
    }
  }
  if (number !== null && (!INTEGER.test(number) || Number(number) < 1)) {
    throw new SimError('400006', 'Invalid page number', `The page number '${number}' is not a positive integer.`);
  }
  return { pageSize, pageNumber: number === null ? 1 : Number(number) };
}

/** Item range of a page; page 1 of an empty list is fine, any page past the last one is 400006. */
export function pageWindow(total: number, page: PageParams): { start: number; end: number } {
  const lastPage = Math.max(1, Math.ceil(total / page.pageSize));
  if (page.pageNumber > lastPage) {
    throw new SimError('400006', 'Invalid page number',
      `The page number '${page.pageNumber}' is past the last page (${lastPage}).`);
  }
  const start = (page.pageNumber - 1) * page.pageSize;
  return { start, end: Math.min(total, start + page.pageSize) };
}

/** One `field:op:value` filter term (`in` has several values). */
export interface FilterTerm {
  field: string;
  op: string;
  values: string[];
}

/** Splits on commas that are not inside `in:[a,b]` brackets. */
function splitTerms(raw: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of raw) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.filter((t) => t !== '');
}

/** Parses `filter`; `allowed` maps each field to its operators. */
export function parseFilter(raw: string | null, allowed: Record<string, string[]>): FilterTerm[] {
  if (raw === null || raw === '') return [];
  return splitTerms(raw).map((term) => {
    const first = term.indexOf(':');
    const second = term.indexOf(':', first + 1);
    if (first < 0 || second < 0) throw badFilter(term);
    const field = term.slice(0, first);
    const op = term.slice(first + 1, second);
    const value = term.slice(second + 1);
    if (!allowed[field]?.includes(op)) throw badFilter(term);
    if (op === 'in') {
      if (!value.startsWith('[') || !value.endsWith(']')) throw badFilter(term);
      return { field, op, values: value.slice(1, -1).split(',').filter((v) => v !== '') };
    }
    return { field, op, values: [value] };
  });
}

function badFilter(term: string): SimError {
  return new SimError('400065', 'Bad Request', `The filter expression '${term}' is not valid.`);
}

/** One `field:asc|desc` sort key. */
export interface SortKey {
  field: string;
  descending: boolean;
}

export function parseSort(raw: string | null, allowedFields: string[]): SortKey[] {
  if (raw === null || raw === '') return [];
  return raw.split(',').map((term) => {
    const [field = '', direction = 'asc'] = term.split(':');
    if (!allowedFields.includes(field) || (direction !== 'asc' && direction !== 'desc')) {
      throw new SimError('400065', 'Bad Request', `The sort expression '${term}' is not valid.`);
    }
    return { field, descending: direction === 'desc' };
  });
}

/** Compares two optional strings, absent values first (ascending). */
export function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
