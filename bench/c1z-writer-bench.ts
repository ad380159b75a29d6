/**
 * C1zWriter micro-benchmark: feeds the writer the L200k shape without Tableau, the simulator or
 * protobuf (1 site, 200k users, 5k groups, 2.6M grants: site role + license per user, then group
 * members), with row sizes like the real ones (resources ~1.1 KB, grants ~240 B, UUID ids), and
 * reports wall and CPU seconds of the insert phase and of finish(), plus the process's peak RSS.
 *
 *   node dist/bench/c1z-writer-bench.js [--scale 1] [--out FILE]   (default: a temp dir made at run time)
 *
 * Scale 1 is L200k; 0.025 is S5k. The data is generated from a fixed seed, so runs are comparable.
 */
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { C1zWriter } from '../pkg/c1z/index.js';

/** xorshift32: deterministic ids and filler, so every run writes the same bytes. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const next = prng(0x5eed);
const hex = (n: number): string => (next() % 16 ** n).toString(16).padStart(n, '0').slice(0, n);
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(6)}${hex(6)}`;

const FILLER = Buffer.from(Array.from({ length: 1 << 16 }, () => 0x20 + (next() % 90)));

/** Protobuf-like bytes: the ids the real message repeats, plus printable filler up to `size`. */
function record(size: number, ...texts: string[]): Buffer {
  const head = Buffer.from(texts.join('\u0012'), 'latin1');
  const out = Buffer.alloc(Math.max(size, head.length));
  head.copy(out);
  const from = next() % (FILLER.length - out.length);
  FILLER.copy(out, head.length, from, from + out.length - head.length);
  return out;
}

function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : Math.round(process.resourceUsage().maxRSS / 1024);
}

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
};

function insertAll(w: C1zWriter, scale: number): void {
  const users = Math.round(200_000 * scale);
  const groups = Math.round(5_000 * scale);
  const membersPerGroup = 440;
  const site = uuid();
  w.addResourceType({ id: 'site', data: record(120, 'site') });
  w.addResourceType({ id: 'user', data: record(120, 'user') });
  w.addResourceType({ id: 'group', data: record(120, 'group') });
  w.addResource({ resourceTypeId: 'site', resourceId: site, data: record(459, site) });
  const userIds: string[] = [];
  for (let i = 0; i < users; i++) {
    const id = uuid();
    userIds.push(id);
    w.addResource({ resourceTypeId: 'user', resourceId: id, parentTypeId: 'site', parentId: site, data: record(1148, id, site) });
  }
  const groupIds: string[] = [];
  for (let i = 0; i < groups; i++) {
    const id = uuid();
    groupIds.push(id);
    w.addResource({ resourceTypeId: 'group', resourceId: id, parentTypeId: 'site', parentId: site, data: record(900, id, site) });
  }
  // The fan-out reads back what it stored, as the sync engine does.
  let read = 0;
  for (const r of w.resourcesOfType('group')) read += r.data.length > 0 ? 1 : 0;
  if (read !== groups || w.countResourcesOfType('user') !== users) throw new Error('read-back mismatch');
  const grant = (resType: string, resId: string, slug: string, userId: string): void => {
    const entitlementId = `${resType}:${resId}:${slug}`;
    const id = `${entitlementId}:user:${userId}`;
    w.addGrant({
      id,
      entitlementId,
      resourceTypeId: resType,
      resourceId: resId,
      principalTypeId: 'user',
      principalId: userId,
      data: record(242, entitlementId, 'user', userId, id),
    });
  };
  for (const slug of ['explorer', 'creator', 'viewer']) {
    w.addEntitlement({ id: `site:${site}:${slug}`, resourceTypeId: 'site', resourceId: site, data: record(650, site, slug) });
  }
  userIds.forEach((u, i) => grant('site', site, ['explorer', 'creator', 'viewer'][i % 3]!, u));
  userIds.forEach((u, i) => grant('site', site, `license-${i % 4}`, u));
  for (const g of groupIds) {
    w.addEntitlement({ id: `group:${g}:member`, resourceTypeId: 'group', resourceId: g, data: record(851, g, 'member') });
    // Distinct members per group (a prime stride through the users), as Tableau returns them.
    const start = next() % users;
    for (let i = 0; i < membersPerGroup; i++) grant('group', g, 'member', userIds[(start + i * 7919) % users]!);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const scale = Number(opt('--scale') ?? '1');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'c1z-writer-bench-'));
  const out = opt('--out') ?? path.join(dir, 'bench.c1z');
  try {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const w = await C1zWriter.create(out);
    insertAll(w, scale);
    const t1 = performance.now();
    const insertCpuS = cpuSeconds(c0);
    const c1 = process.cpuUsage();
    const rssInsert = peakRssMb();
    const result = await w.finish();
    const t2 = performance.now();
    console.log(
      JSON.stringify({
        scale,
        counts: result.counts,
        bytes: result.bytes,
        insertWallS: +((t1 - t0) / 1000).toFixed(2),
        insertCpuS: +insertCpuS.toFixed(2),
        finishWallS: +((t2 - t1) / 1000).toFixed(2),
        finishCpuS: +cpuSeconds(c1).toFixed(2),
        peakRssInsertMb: rssInsert,
        peakRssMb: peakRssMb(),
      }),
    );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

await main();
