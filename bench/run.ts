/**
 * `npm run bench`: every sync scenario (medians of several runs) and the grant benchmark; prints one
 * table and the target checks, and writes bench/results.json.
 *
 *   node dist/bench/run.js [--quick] [--only S5k[,M20k…]] [--no-grants] [--out FILE]
 *   node dist/bench/run.js --c1 [--quick | --runs N] [--only L200k]   (ConductorOne service mode, bench/c1-bench.ts)
 *
 * --quick takes one run per scenario; --only also accepts T200, a tiny scenario for the harness test.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchGrants, type GrantBenchResult } from './grant-bench.js';
import { distPath } from './paths.js';
import { grantLine, machine, syncTable, targetChecks } from './report.js';
import { SCENARIOS, TINY, type Scenario } from './scenarios.js';
import { benchSyncScenario, type SyncScenarioResult } from './sync-bench.js';

function selectScenarios(only: string | undefined): Scenario[] {
  if (!only) return [...SCENARIOS];
  const known = [...SCENARIOS, TINY];
  return only.split(',').map((name) => {
    const found = known.find((s) => s.name.toLowerCase() === name.trim().toLowerCase());
    if (!found) throw new Error(`unknown scenario ${name}; known: ${known.map((s) => s.name).join(', ')}`);
    return found;
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false }, only: { type: 'string' }, 'no-grants': { type: 'boolean', default: false }, out: { type: 'string' },
      c1: { type: 'boolean', default: false }, runs: { type: 'string' },
    },
  });
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  if (values.c1) return runC1(values, log);
  const started = performance.now();
  const results: SyncScenarioResult[] = [];
  for (const scenario of selectScenarios(values.only)) {
    log(`${scenario.name}: ${scenario.users} users, ${scenario.groups} groups, ${scenario.memberships} memberships, ${scenario.latencyMs} ms latency`);
    results.push(await benchSyncScenario(scenario, values.quick ? 1 : scenario.runs, log));
  }
  let grants: GrantBenchResult | undefined;
  if (!values['no-grants']) {
    log('grants: 1,000 concurrent group-member grants over gRPC');
    grants = await benchGrants();
  }
  const host = machine();
  const lines = [
    `machine: ${host.cpus} × ${host.cpuModel}, ${host.memoryGb} GB, node ${host.node}; peak RSS from ${host.rssSource}`,
    syncTable(results),
    ...(grants ? [grantLine(grants)] : []),
    ...targetChecks(results, grants),
    `bench took ${((performance.now() - started) / 1000).toFixed(0)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const out = values.out ?? distPath('../bench/results.json');
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine: host, scenarios: results, grants }, null, 2)}\n`);
}

async function runC1(values: { quick?: boolean; only?: string; out?: string; runs?: string }, log: (line: string) => void): Promise<void> {
  const { benchC1 } = await import('./c1-bench.js');
  const { c1Lines } = await import('./c1-report.js');
  const started = performance.now();
  const scenario = values.only ? selectScenarios(values.only)[0] : undefined;
  const runs = values.quick ? 1 : values.runs ? Number(values.runs) : undefined;
  const result = await benchC1({ ...(scenario ? { scenario } : {}), ...(runs ? { runs } : {}) }, log);
  const host = machine();
  const lines = [`machine: ${host.cpus} × ${host.cpuModel}, ${host.memoryGb} GB, node ${host.node}`, ...c1Lines(result), `bench took ${((performance.now() - started) / 1000).toFixed(0)} s`];
  process.stdout.write(`${lines.join('\n')}\n`);
  const out = values.out ?? distPath('../bench/results-c1.json');
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine: host, ...result }, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
