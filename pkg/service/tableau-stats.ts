/**
 * The counters the Tableau client keeps (`TableauClient.stats()`), as the service reads them for
 * `/metrics`. Only the shape is relied on, so tests and other clients can supply their own source.
 */

/** Counters of a Tableau client since it was created. */
export interface TableauStats {
  requests: number;
  retries: number;
  rateLimited: number;
  signIns: number;
  reauths: number;
  /** Per route template (`GET /sites/{}/users`): a count, or counts by HTTP status. */
  byRoute: Record<string, number | Record<string, number>>;
  /** Per route template, counts by HTTP status (`"200"`, `"429"`, ...); preferred when present. */
  byRouteStatus?: Record<string, Record<string, number>>;
}

export interface TableauStatsSource {
  stats(): TableauStats;
}

/** Flattens the per-route counters into (route, status, count) rows; a bare count gets status "all". */
export function routeStatusCounts(stats: Pick<TableauStats, 'byRoute' | 'byRouteStatus'>): { route: string; status: string; count: number }[] {
  const rows: { route: string; status: string; count: number }[] = [];
  for (const [route, value] of Object.entries(stats.byRouteStatus ?? stats.byRoute ?? {})) {
    if (typeof value === 'number') {
      rows.push({ route, status: 'all', count: value });
      continue;
    }
    for (const [status, count] of Object.entries(value ?? {})) {
      if (typeof count === 'number') rows.push({ route, status, count });
    }
  }
  return rows;
}
