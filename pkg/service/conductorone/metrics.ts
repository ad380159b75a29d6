/**
 * Metrics of ConductorOne service mode, added to the registry of pkg/service's metrics (so the same
 * /metrics page also has the process and Tableau client series). Labels are task types, outcomes
 * and poll results — never ids or secrets.
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import { createServiceMetrics, type ServiceMetrics } from '../metrics.js';
import type { TableauStatsSource } from '../tableau-stats.js';

const TASK_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

export interface ConductorOneMetrics {
  readonly service: ServiceMetrics;
  readonly tasks: Counter<'type' | 'outcome'>;
  readonly taskSeconds: Histogram<'type' | 'outcome'>;
  readonly tasksRunning: Gauge;
  readonly uploadBytes: Counter;
  readonly tokenRefreshes: Counter;
  readonly polls: Counter<'result'>;
}

export function createConductorOneMetrics(tableau: TableauStatsSource | undefined): ConductorOneMetrics {
  const service = createServiceMetrics(tableau);
  const registers = [service.registry];
  return {
    service,
    tasks: new Counter({ name: 'baton_c1_tasks_total', help: 'ConductorOne tasks handled, by task type and outcome', labelNames: ['type', 'outcome'], registers }),
    taskSeconds: new Histogram({ name: 'baton_c1_task_duration_seconds', help: 'ConductorOne task duration, by task type and outcome', labelNames: ['type', 'outcome'], buckets: TASK_BUCKETS, registers }),
    tasksRunning: new Gauge({ name: 'baton_c1_tasks_running', help: 'ConductorOne tasks being handled now', registers }),
    uploadBytes: new Counter({ name: 'baton_c1_upload_bytes_total', help: 'Bytes of c1z files uploaded to ConductorOne', registers }),
    tokenRefreshes: new Counter({ name: 'baton_c1_token_refreshes_total', help: 'Access tokens fetched from ConductorOne', registers }),
    polls: new Counter({ name: 'baton_c1_polls_total', help: 'GetTask calls, by result (task, empty, error)', labelNames: ['result'], registers }),
  };
}
