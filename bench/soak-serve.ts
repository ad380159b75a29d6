/**
 * Soak of `baton-tableau serve`: the simulator and the service run as separate processes; this process
 * drives a bounded mix of RPCs (listings, lookups, member grants and revokes) for a fixed time and samples
 * the service's resident memory, to show it stays flat. Loopback only; every loop ends by the deadline.
 *
 *   npm run build && node dist/bench/soak-serve.js [--seconds 300] [--workers 8] [--users 5000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { connectorClient, type ConnectorClient } from '../pkg/server/index.js';
import type { Resource } from '../proto/types.js';
import { distPath } from './paths.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Starts a child and resolves with the first JSON line it prints. */
function startJsonChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; line: Record<string, unknown> }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${args[0]} did not get ready`)), 60_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      ok({ child, line: JSON.parse(line) as Record<string, unknown> });
    });
    child.once('exit', (code) => fail(new Error(`${args[0]} exited with ${code}`)));
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

interface Fixtures { site: Resource; groups: Resource[]; users: Resource[] }

async function fixtures(client: ConnectorClient): Promise<Fixtures> {
  const sites = await client.listResources({ resourceTypeId: 'site' });
  const site = sites.list![0]!;
  const parent = site.id!;
  const groups = (await client.listResources({ resourceTypeId: 'group', parentResourceId: parent })).list ?? [];
  const users = (await client.listResources({ resourceTypeId: 'user', parentResourceId: parent })).list ?? [];
  return { site, groups: groups.filter((g) => g.displayName !== 'All Users'), users };
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** One RPC of the mix; returns its name. */
async function oneCall(client: ConnectorClient, f: Fixtures): Promise<string> {
  const roll = Math.random();
  if (roll < 0.2) {
    await client.listResources({ resourceTypeId: 'user', parentResourceId: f.site.id! });
    return 'ListResources(user)';
  }
  if (roll < 0.4) {
    await client.listGrants({ resource: pick(f.groups) });
    return 'ListGrants(group)';
  }
  if (roll < 0.5) {
    await client.listEntitlements({ resource: f.site });
    return 'ListEntitlements(site)';
  }
  if (roll < 0.6) {
    await client.getResource({ resourceId: pick(f.users).id! });
    return 'GetResource(user)';
  }
  if (roll < 0.7) {
    await client.listResourceTypes({});
    return 'ListResourceTypes';
  }
  const group = pick(f.groups);
  const user = pick(f.users);
  const entitlement = { id: `group:${group.id!.resource}:member`, resource: group, slug: 'member' };
  if (roll < 0.85) {
    await client.grant({ entitlement, principal: user });
    return 'Grant';
  }
  const grantId = `${entitlement.id}:user:${user.id!.resource}`;
  await client.revoke({ grant: { id: grantId, entitlement, principal: user } });
  return 'Revoke';
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 300);
  const workers = arg('workers', 8);
  const users = arg('users', 5000);
  const sim = await startJsonChild(
    [distPath('pkg/tableau-sim/cli.js'), '--users', String(users), '--groups', '125', '--memberships', String(users * 5)],
    process.env,
  );
  const pat = sim.line.pat as { name: string; secret: string };
  const serve = await startJsonChild(
    [distPath('cmd/baton-tableau.js'), 'serve', '--listen', '127.0.0.1:0', '--http-listen', '127.0.0.1:0', '-p',
      '--server-path', String(sim.line.url), '--access-token-name', pat.name, '--log-level', 'error'],
    { ...process.env, BATON_ACCESS_TOKEN_SECRET: pat.secret },
  );
  const client = connectorClient(String(serve.line.grpc));
  const pid = serve.child.pid!;
  try {
    await client.validate({});
    const f = await fixtures(client);
    const counts = new Map<string, number>();
    const errors = new Map<string, number>();
    const samples: { t: number; rssMb: number }[] = [];
    const start = Date.now();
    const deadline = start + seconds * 1000;
    const sampler = setInterval(() => samples.push({ t: Math.round((Date.now() - start) / 1000), rssMb: rssMb(pid) }), 5000);
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (Date.now() < deadline) {
          try {
            const name = await oneCall(client, f);
            counts.set(name, (counts.get(name) ?? 0) + 1);
          } catch (err) {
            const code = String((err as { code?: unknown }).code ?? 'error');
            errors.set(code, (errors.get(code) ?? 0) + 1);
          }
        }
      }),
    );
    clearInterval(sampler);
    const minute = (from: number, to: number): number[] => samples.filter((s) => s.t >= from && s.t < to).map((s) => s.rssMb);
    const avg = (xs: number[]): number => Math.round((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)) * 10) / 10;
    const firstMinute = avg(minute(0, 60));
    const lastMinute = avg(minute(seconds - 60, seconds + 1));
    const summary = {
      seconds, workers, users, rpcs: Object.fromEntries(counts), errors: Object.fromEntries(errors),
      totalRpcs: [...counts.values()].reduce((a, b) => a + b, 0),
      rssMb: { min: Math.min(...samples.map((s) => s.rssMb)), max: Math.max(...samples.map((s) => s.rssMb)), firstMinute, lastMinute },
      samples,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    client.close();
    serve.child.kill('SIGTERM');
    sim.child.kill('SIGTERM');
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`soak: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
