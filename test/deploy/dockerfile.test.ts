/**
 * `docker build` cannot run here, so the Dockerfile's promises are checked by parsing it: multi-stage
 * build with a toolchain for the native modules, a slim non-root runtime with production
 * dependencies only, a node-based HEALTHCHECK, and node as PID 1 in exec form.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultCommandLine, dockerfileStages, type Instruction, type Stage } from './dockerfile-parse.js';

const stages = dockerfileStages();
const byName = (name: string): Stage => {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  return stage;
};
const runs = (stage: Stage): string => stage.steps.filter((s) => s.op === 'RUN').map((s) => s.args).join('\n');
/** A stage's RUN commands including those of the stages it builds on. */
const runsWithBase = (stage: Stage): string => {
  const base = stages.find((s) => s.name === stage.from);
  return (base ? runsWithBase(base) + '\n' : '') + runs(stage);
};
const runtime = stages.at(-1)!;
const step = (op: string): Instruction[] => runtime.steps.filter((s) => s.op === op);

describe('Dockerfile', () => {
  it('builds in a stage with the native toolchain: npm ci, then npm run build', () => {
    const build = stages.find((s) => /npm run build/.test(runs(s)));
    expect(build).toBeDefined();
    const commands = runsWithBase(build!);
    expect(commands).toMatch(/npm ci\b/);
    for (const tool of ['python3', 'make', 'g\\+\\+']) expect(commands).toMatch(new RegExp(`apt-get install[^\\n]*\\b${tool}`));
  });

  it('takes production dependencies from a stage that ran npm ci --omit=dev with the toolchain', () => {
    const copy = step('COPY').find((c) => /node_modules/.test(c.args));
    const source = /--from=(\S+)/.exec(copy?.args ?? '')?.[1];
    expect(source).toBeDefined();
    const prod = byName(source!);
    expect(runs(prod)).toMatch(/npm ci\b[^\n]*--omit=dev/);
    expect(runsWithBase(prod)).toMatch(/g\+\+/);
    // Native modules must be built when install scripts are skipped.
    if (/--ignore-scripts/.test(runs(prod))) expect(runs(prod)).toMatch(/npm rebuild[^\n]*better-sqlite3[^\n]*zstd-napi/);
  });

  it('runs on node:20-slim with no compiler, npm install or build in the final stage', () => {
    expect(runtime.from).toBe('node:20-slim');
    expect(runs(runtime)).not.toMatch(/npm (ci|install|run)|apt-get install|g\+\+/);
    const built = step('COPY').find((c) => /\/app\/dist/.test(c.args));
    expect(built?.args).toMatch(/--from=build/);
    // The codec and reflection read the .proto files at runtime.
    expect(step('COPY').some((c) => /proto/.test(c.args))).toBe(true);
  });

  it('runs as a numeric non-root user', () => {
    const user = step('USER').at(-1)?.args ?? '';
    const [uid, gid] = user.split(':');
    expect(Number(uid)).toBeGreaterThan(0);
    expect(Number.isInteger(Number(uid))).toBe(true);
    if (gid !== undefined) expect(Number.isInteger(Number(gid))).toBe(true);
  });

  it('writes only to /data and /tmp, so a read-only root filesystem works', () => {
    const env = step('ENV').map((e) => e.args).join(' ');
    expect(env).toMatch(/BATON_FILE=\/data\//);
    expect(env).toMatch(/TMPDIR=\/tmp/);
    expect(step('VOLUME').map((v) => v.args).join(' ')).toMatch(/\/data/);
  });

  it('probes /healthz with node (no curl or wget in the slim image)', () => {
    const check = step('HEALTHCHECK')[0]?.args ?? '';
    expect(check).toMatch(/CMD \["node"/);
    expect(check).not.toMatch(/curl|wget/);
    const script = /"(dist\/[^"]+\.js)"/.exec(check)?.[1];
    expect(script).toBeDefined();
    const source = script!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    expect(existsSync(source)).toBe(true);
    expect(readFileSync(source, 'utf8')).toMatch(/\/healthz/);
  });

  it('starts node directly in exec form so it receives SIGTERM as PID 1', () => {
    const entry = JSON.parse(step('ENTRYPOINT')[0]?.args ?? 'null') as string[];
    expect(entry[0]).toBe('node');
    expect(existsSync(entry[1]!.replace(/^dist\//, '').replace(/\.js$/, '.ts'))).toBe(true);
    expect(step('STOPSIGNAL')[0]?.args).toBe('SIGTERM');
  });

  it('runs the default command when started with no arguments (no CMD such as `serve`)', () => {
    // ConductorOne's recipe starts the container with no args: the CLI's default command then picks
    // service mode (BATON_CLIENT_ID set) or a one-shot sync; `serve` must be asked for explicitly.
    expect(step('CMD')).toEqual([]);
    expect(defaultCommandLine(runtime)).toEqual(['node', 'dist/cmd/baton-tableau.js']);
  });

  it('keeps secrets, build output and local state out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', '.git', '**/*.c1z', '*.env']) expect(ignored).toContain(entry);
  });
});
