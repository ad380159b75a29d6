/**
 * Soak of ConductorOne service mode: the simulator and the connector run as their own processes, the
 * fake ConductorOne in this one. For a fixed time it keeps the task queue fed with a mix an hour of
 * real use would bring, compressed: a full sync every `--sync-every` seconds, group member grants and
 * revokes, hello tasks and unsupported task types; tokens live 15 s (a refresh every ~5 s) and
 * heartbeats come every second. It samples the connector's resident memory to show it stays flat.
 * Every loop ends by the deadline; then the connector gets SIGTERM and must exit 0.
 *
 *   npm run build && node dist/bench/soak-c1.js [--seconds 300] [--users 5000] [--sync-every 20] [--rate 20]
 */
import { readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeC1 } from '../test/support/fake-c1/index.js';
import { ServiceProcess } from './c1-service-process.js';
import { SimProcess } from './sim-process.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

async function main(): Promise<void> {
  const seconds = arg('seconds', 300);
  const users = arg('users', 5000);
  const syncEvery = arg('sync-every', 20);
  const rate = arg('rate', 20);
  const sim = await SimProcess.start({ name: 'soak', users, groups: 125, memberships: users * 5, latencyMs: 0, runs: 1 });
  const fake = await startFakeC1({ nextPollMs: 50, nextHeartbeatMs: 1000, tokenTtlSeconds: 15 });
  const service = ServiceProcess.start(fake, sim, { BATON_TASK_CONCURRENCY: '3' });
  try {
    await fake.records.waitForHello(1, 120_000);
    const state = await sim.state();
    const site = state.sites[0]!;
    const groups = site.groups.filter((g) => g.name !== 'All Users' && g.domain === 'local').map((g) => g.id);
    const userIds = site.users.map((u) => u.id);
    const { pid } = service;
    const samples: { t: number; rssMb: number }[] = [];
    const start = Date.now();
    const deadline = start + seconds * 1000;
    const sampler = setInterval(() => samples.push({ t: Math.round((Date.now() - start) / 1000), rssMb: rssMb(pid) }), 5000);
    const enqueued = new Map<string, number>();
    const add = (type: Parameters<typeof fake.enqueue>[0], payload: object): void => {
      fake.enqueue(type, payload);
      enqueued.set(type, (enqueued.get(type) ?? 0) + 1);
    };
    let nextSync = start;
    while (Date.now() < deadline) {
      if (Date.now() >= nextSync) {
        add('syncFull', {});
        nextSync += syncEvery * 1000;
      }
      // Keep the queue short: a backlog would measure the queue, not the connector.
      if (fake.queue.queued() < rate) {
        const group = pick(groups);
        const user = pick(userIds);
        const entitlement = { id: `group:${group}:member`, resource: { id: { resourceType: 'group', resource: group } }, slug: 'member' };
        const principal = { id: { resourceType: 'user', resource: user } };
        const roll = Math.random();
        if (roll < 0.45) add('grant', { entitlement, principal });
        else if (roll < 0.9) add('revoke', { grant: { id: `${entitlement.id}:user:${user}`, entitlement, principal } });
        else if (roll < 0.95) add('hello', {});
        else add('eventFeed', {});
      }
      for (const u of fake.records.uploads) if (u.path) rmSync(u.path, { force: true });
      await sleep(1000 / rate);
    }
    clearInterval(sampler);
    const window = (from: number, to: number): number[] => samples.filter((s) => s.t >= from && s.t < to).map((s) => s.rssMb);
    const avg = (xs: number[]): number => Math.round((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)) * 10) / 10;
    const finishes = fake.records.finishes;
    const summary = {
      seconds, users, syncEvery, rate, enqueued: Object.fromEntries(enqueued),
      finished: finishes.length, succeeded: finishes.filter((f) => f.request.success).length,
      syncsUploaded: fake.records.uploads.filter((u) => u.ok).length, tokensIssued: fake.tokens.issued,
      polls: fake.records.count('GetTask'), heartbeats: fake.records.heartbeats.length, unauthenticated: fake.records.unauthenticated,
      rssMb: { min: Math.min(...samples.map((s) => s.rssMb)), max: Math.max(...samples.map((s) => s.rssMb)), firstMinute: avg(window(0, 60)), lastMinute: avg(window(seconds - 60, seconds + 1)) },
      samples,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await service.stop();
    await fake.close();
    await sim.stop();
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`soak-c1: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
