/**
 * The grant benchmark: `baton-tableau serve -p` against a 0 ms simulator, then 1,000 concurrent
 * GrantManagerService.Grant calls (group `member` for users not yet in the group, 100 each on 10 local
 * groups) over a real gRPC client. Reports the Tableau calls the burst made (sim stats delta), the
 * grant RPC latency p50/p99, and the RPC overhead: p50 of sequential GetMetadata calls, which reach
 * no Tableau endpoint, i.e. what gRPC + the service layer add to every call.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { connectorClient, type ConnectorClient } from '../pkg/server/client.js';
import { distPath } from './paths.js';
import type { Scenario } from './scenarios.js';
import { SimProcess, type SimState } from './sim-process.js';
import { quantile } from './stats.js';

export interface GrantBenchResult {
  grants: number;
  failed: number;
  /** The first failure's message, when any grant failed. */
  firstError?: string;
  tableauCalls: number;
  byRoute: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  overheadP50Ms: number;
}

const GRANT_SCENARIO: Scenario = { name: 'grants', users: 5_000, groups: 125, memberships: 25_000, latencyMs: 0, runs: 1 };
const GROUPS = 10;
const PER_GROUP = 100;
const OVERHEAD_CALLS = 200;
const RPC_DEADLINE_MS = 120_000;

interface GrantTarget {
  groupId: string;
  userId: string;
}

export async function benchGrants(): Promise<GrantBenchResult> {
  const sim = await SimProcess.start(GRANT_SCENARIO);
  let serve: ChildProcess | undefined;
  let client: ConnectorClient | undefined;
  try {
    const targets = pickTargets(await sim.state());
    serve = startServe(sim);
    client = connectorClient(await firstJsonLine(serve).then((l) => (l as { grpc: string }).grpc));
    await client.validate({}); // signs in, so the burst measures grants only
    const overheadP50Ms = await measureOverhead(client);
    await sim.resetStats();
    const latencies: number[] = [];
    const outcomes = await Promise.allSettled(targets.map((t) => timedGrant(client!, t, latencies)));
    const stats = await sim.stats();
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    return {
      ...(rejected ? { firstError: String((rejected.reason as Error).message ?? rejected.reason) } : {}),
      grants: targets.length, failed: outcomes.filter((o) => o.status === 'rejected').length, tableauCalls: stats.total,
      byRoute: stats.byRoute, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), overheadP50Ms,
    };
  } finally {
    client?.close();
    if (serve) await stopChild(serve);
    await sim.stop();
  }
}

/** 100 non-members on each of 10 local groups (not "All Users", which Tableau manages itself). */
function pickTargets(state: SimState): GrantTarget[] {
  const site = state.sites[0]!;
  const groups = site.groups.filter((g) => g.name !== 'All Users' && g.domain === 'local').slice(0, GROUPS);
  const members = new Set(site.memberships.map((m) => `${m.groupId}/${m.userId}`));
  return groups.flatMap((g) =>
    site.users.filter((u) => !members.has(`${g.id}/${u.id}`)).slice(0, PER_GROUP).map((u) => ({ groupId: g.id, userId: u.id })));
}

async function timedGrant(client: ConnectorClient, t: GrantTarget, latencies: number[]): Promise<void> {
  const group = { id: { resourceType: 'group', resource: t.groupId } };
  const started = performance.now();
  await client.grant(
    { entitlement: { id: `group:${t.groupId}:member`, resource: group }, principal: { id: { resourceType: 'user', resource: t.userId } } },
    undefined,
    { deadline: Date.now() + RPC_DEADLINE_MS },
  );
  latencies.push(performance.now() - started);
}

async function measureOverhead(client: ConnectorClient): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < OVERHEAD_CALLS; i++) {
    const started = performance.now();
    await client.getMetadata({});
    samples.push(performance.now() - started);
  }
  return quantile(samples, 0.5);
}

function startServe(sim: SimProcess): ChildProcess {
  const args = [distPath('cmd/baton-tableau.js'), 'serve', '--listen', '127.0.0.1:0', '-p', '--server-path', sim.url,
    '--access-token-name', sim.info.pat.name, '--log-format', 'json', '--log-level', 'warn',
    // The burst is meant to reach the connector all at once; the default limit (64) would shed most of it.
    '--max-inflight-rpcs', String(GROUPS * PER_GROUP + 24)];
  const env = { ...process.env, BATON_ACCESS_TOKEN_SECRET: sim.info.pat.secret };
  return spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
}

function firstJsonLine(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('serve did not start in time')), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before it was ready`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
