/**
 * Prometheus metrics of the serve mode, on a registry of its own (so several services in one process,
 * as in tests, do not collide). Labels carry method names, codes, routes and tiers — never secrets.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { routeStatusCounts, type TableauStatsSource } from './tableau-stats.js';

const RPC_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const SYNC_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

/** Every metric the service updates, plus the registry `/metrics` renders. */
export interface ServiceMetrics {
  readonly registry: Registry;
  readonly rpcHandled: Counter<'method' | 'code'>;
  readonly rpcSeconds: Histogram<'method' | 'code'>;
  readonly rpcInflight: Gauge;
  readonly rpcUnauthenticated: Counter<'method'>;
  readonly syncRuns: Counter<'result'>;
  readonly syncSeconds: Histogram<'result'>;
  readonly syncLastSuccess: Gauge;
  readonly licenseSeats: Gauge<'tier'>;
  readonly ready: Gauge;
}

export function createServiceMetrics(tableau: TableauStatsSource | undefined): ServiceMetrics {
  const registry = new Registry();
  // Standard process_* / nodejs_* names, so stock dashboards work.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: ServiceMetrics = {
    registry,
    rpcHandled: new Counter({ name: 'baton_grpc_server_handled_total', help: 'RPCs completed, by method and gRPC status code', labelNames: ['method', 'code'], registers }),
    rpcSeconds: new Histogram({ name: 'baton_grpc_server_handling_seconds', help: 'RPC latency, by method and gRPC status code', labelNames: ['method', 'code'], buckets: RPC_BUCKETS, registers }),
    rpcInflight: new Gauge({ name: 'baton_grpc_server_inflight', help: 'RPCs being handled now (health checks excluded)', registers }),
    rpcUnauthenticated: new Counter({ name: 'baton_grpc_server_unauthenticated_total', help: 'RPCs refused for a missing or wrong bearer token', labelNames: ['method'], registers }),
    syncRuns: new Counter({ name: 'baton_sync_runs_total', help: 'Background syncs, by result', labelNames: ['result'], registers }),
    syncSeconds: new Histogram({ name: 'baton_sync_duration_seconds', help: 'Background sync duration, by result', labelNames: ['result'], buckets: SYNC_BUCKETS, registers }),
    syncLastSuccess: new Gauge({ name: 'baton_sync_last_success_timestamp_seconds', help: 'Unix time of the last successful background sync', registers }),
    licenseSeats: new Gauge({ name: 'baton_tableau_license_seats', help: 'Users holding each license tier, from the last background sync', labelNames: ['tier'], registers }),
    ready: new Gauge({ name: 'baton_ready', help: '1 when signed in to Tableau and not draining', registers }),
  };
  if (tableau) registerTableauMetrics(registry, tableau);
  return metrics;
}

/** Tableau client counters are read from the client at scrape time (it owns the numbers). */
function registerTableauMetrics(registry: Registry, source: TableauStatsSource): void {
  const registers = [registry];
  const scalar = (name: string, help: string, read: (s: ReturnType<TableauStatsSource['stats']>) => number): void => {
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read(source.stats()));
      },
    });
  };
  new Counter({
    name: 'baton_tableau_requests_total',
    help: 'HTTP requests to Tableau, by route and HTTP status',
    labelNames: ['route', 'status'],
    registers,
    collect() {
      this.reset();
      for (const { route, status, count } of routeStatusCounts(source.stats())) this.inc({ route, status }, count);
    },
  });
  scalar('baton_tableau_retries_total', 'Tableau requests retried', (s) => s.retries);
  scalar('baton_tableau_rate_limited_total', 'Tableau responses with HTTP 429', (s) => s.rateLimited);
  scalar('baton_tableau_sign_ins_total', 'Tableau sign-ins', (s) => s.signIns);
  scalar('baton_tableau_reauths_total', 'Tableau re-sign-ins after an expired session', (s) => s.reauths);
}
