/**
 * Atomicity: a writer process killed with SIGKILL at any moment must leave the previous target
 * byte-identical, and the next C1zWriter.create() must remove the temps it left behind.
 * The child runs pkg/c1z transpiled to plain JS (TypeScript's transpiler, no type check).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { C1zWriter } from '../../pkg/c1z/index.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
let buildDir: string;
let workDir: string;

const CHILD = `
import { C1zWriter } from './c1z/index.js';
const [target, rows] = process.argv.slice(2);
const w = await C1zWriter.create(target);
const data = Buffer.alloc(200, 1);
for (let i = 0; i < Number(rows); i++) {
  const id = 'user-' + String(i).padStart(10, '0');
  w.addGrant({ id: 'group:g:member:user:' + id, entitlementId: 'group:g:member', resourceTypeId: 'group',
    resourceId: 'g', principalTypeId: 'user', principalId: id, data });
  if (i === 20000) process.stdout.write('inserting\\n');
}
process.stdout.write('finishing\\n');
await w.finish();
process.stdout.write('done\\n');
`;

beforeAll(async () => {
  buildDir = await fs.mkdtemp(path.join(os.tmpdir(), 'c1z-child-'));
  await fs.mkdir(path.join(buildDir, 'c1z'));
  for (const name of await fs.readdir(path.join(repoRoot, 'pkg/c1z'))) {
    if (!name.endsWith('.ts')) continue;
    const source = await fs.readFile(path.join(repoRoot, 'pkg/c1z', name), 'utf8');
    const out = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await fs.writeFile(path.join(buildDir, 'c1z', name.replace(/\.ts$/, '.js')), out.outputText);
  }
  await fs.writeFile(path.join(buildDir, 'package.json'), '{"type":"module"}');
  await fs.writeFile(path.join(buildDir, 'child.js'), CHILD);
  await fs.symlink(path.join(repoRoot, 'node_modules'), path.join(buildDir, 'node_modules'));
});
afterAll(async () => {
  await fs.rm(buildDir, { recursive: true, force: true });
});
beforeEach(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'c1z-atomic-'));
});

function startWriter(target: string, rows: number): { child: ChildProcess; output: () => string; exited: Promise<void> } {
  const child = spawn(process.execPath, [path.join(buildDir, 'child.js'), target, String(rows)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, output: () => out, exited };
}

/** Poll (bounded) until `condition` holds; returns false on timeout. */
async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs; waited += 2) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 2));
  }
  return false;
}

const tempsIn = async (dir: string): Promise<string[]> => (await fs.readdir(dir)).filter((n) => n.includes('.tmp-'));

describe('a writer killed with SIGKILL', () => {
  const moments: [string, number, (dir: string, out: string) => Promise<boolean> | boolean][] = [
    ['during inserts', 400_000, (_dir, out) => out.includes('inserting')],
    ['while sealing (index build)', 150_000, (_dir, out) => out.includes('finishing')],
    ['during compression', 250_000, async (dir) => (await tempsIn(dir)).some((n) => n.endsWith('.c1z'))],
  ];

  test.each(moments)('%s leaves the old target byte-identical; the next create removes its temps', async (_label, rows, moment) => {
    const target = path.join(workDir, 'sync.c1z');
    const previous = Buffer.from(`previous c1z ${Math.random()}`);
    await fs.writeFile(target, previous);
    const writer = startWriter(target, rows);
    const reached = await waitFor(() => moment(workDir, writer.output()));
    writer.child.kill('SIGKILL');
    await writer.exited;
    expect(reached, writer.output()).toBe(true);
    expect(writer.output()).not.toContain('done');
    expect(await fs.readFile(target)).toEqual(previous);
    expect((await tempsIn(workDir)).length).toBeGreaterThan(0);

    const next = await C1zWriter.create(target);
    const left = await tempsIn(workDir);
    expect(left, JSON.stringify(left)).toHaveLength(1);
    expect(left[0]).toContain(`.tmp-${process.pid}-`);
    await next.abort();
    expect(await fs.readdir(workDir)).toEqual(['sync.c1z']);
    await fs.rm(workDir, { recursive: true, force: true });
  });

  test('a completed child run replaces the target with a c1z', async () => {
    const target = path.join(workDir, 'sync.c1z');
    await fs.writeFile(target, 'old');
    const writer = startWriter(target, 1000);
    await writer.exited;
    expect(writer.output()).toContain('done');
    expect((await fs.readFile(target)).subarray(0, 5).toString('latin1')).toBe('C1ZF\0');
    expect(await fs.readdir(workDir)).toEqual(['sync.c1z']);
    await fs.rm(workDir, { recursive: true, force: true });
  });

  test("temps of a live process are not removed", async () => {
    const target = path.join(workDir, 'sync.c1z');
    const live = path.join(workDir, `.sync.c1z.tmp-${process.pid}-abcdef.db`);
    const otherTarget = path.join(workDir, `.other.c1z.tmp-999999999-abcdef.db`);
    await fs.writeFile(live, 'x');
    await fs.writeFile(otherTarget, 'x');
    const w = await C1zWriter.create(target);
    await w.abort();
    expect((await fs.readdir(workDir)).sort()).toEqual([path.basename(otherTarget), path.basename(live)].sort());
    await fs.rm(workDir, { recursive: true, force: true });
  });
});

describe('temps left by a writer whose pid is reused (node is PID 1 in every container)', () => {
  test('same pid but another process or host tag is abandoned; the live writer keeps its temp', async () => {
    const target = path.join(workDir, 'sync.c1z');
    const live = await C1zWriter.create(target);
    const [liveTemp] = await tempsIn(workDir);
    const tags = /\.tmp-(\d+)-([0-9a-f]{8})-([0-9a-f]{8})-/.exec(liveTemp ?? '');
    expect(tags, liveTemp).not.toBeNull();
    const [, pid, hostTag, processTag] = tags!;
    const flip = (tag: string): string => tag.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const earlierRun = `.sync.c1z.tmp-${pid}-${hostTag}-${flip(processTag!)}-abcdef.db`;
    const otherHost = `.sync.c1z.tmp-${pid}-${flip(hostTag!)}-${processTag}-abcdef.c1z`;
    await fs.writeFile(path.join(workDir, earlierRun), 'x');
    await fs.writeFile(path.join(workDir, otherHost), 'x');

    const next = await C1zWriter.create(target);
    const left = await tempsIn(workDir);
    expect(left).toContain(liveTemp);
    expect(left).not.toContain(earlierRun);
    expect(left).not.toContain(otherHost);
    expect(left).toHaveLength(2);
    await next.abort();
    await live.abort();
    expect(await fs.readdir(workDir)).toEqual([]);
    await fs.rm(workDir, { recursive: true, force: true });
  });
});
