/** Tableau client counters → Prometheus rows, whatever detail the client keeps per route. */
import { describe, expect, it } from 'vitest';
import { routeStatusCounts } from '../../pkg/service/tableau-stats.js';

describe('routeStatusCounts', () => {
  it('labels bare per-route counts with status "all"', () => {
    expect(routeStatusCounts({ byRoute: { 'GET /sites/{}/users': 3 } })).toEqual([{ route: 'GET /sites/{}/users', status: 'all', count: 3 }]);
  });

  it('prefers counts by HTTP status when the client keeps them', () => {
    const rows = routeStatusCounts({
      byRoute: { 'GET /sites/{}/users': 5 },
      byRouteStatus: { 'GET /sites/{}/users': { '200': 4, '429': 1 } },
    });
    expect(rows).toEqual([
      { route: 'GET /sites/{}/users', status: '200', count: 4 },
      { route: 'GET /sites/{}/users', status: '429', count: 1 },
    ]);
  });
});
