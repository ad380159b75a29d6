/**
 * Request counters for `GET /_sim/stats`: every /api request, failed or faulted ones included.
 */
import type { SimStats } from './types.js';

const LUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

/** `GET /api/3.29/sites/<luid>/users` → `GET /sites/{}/users`. */
export function routeKey(method: string, pathname: string): string {
  const below = pathname.replace(/^\/api\/[^/]+/, '');
  return `${method} ${below.replace(LUID, '{}')}`;
}

export class StatsCounter {
  private stats: SimStats = { total: 0, byRoute: {}, byStatus: {} };

  record(route: string, status: string): void {
    this.stats.total++;
    this.stats.byRoute[route] = (this.stats.byRoute[route] ?? 0) + 1;
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
  }

  snapshot(): SimStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = { total: 0, byRoute: {}, byStatus: {} };
  }
}
