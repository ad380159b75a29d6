/**
 * The image's default command line (ENTRYPOINT, no CMD), run the way the container runs it: the
 * runtime stage's ENV, then ConductorOne's recipe — k8s/service-mode's Deployment env and Secret
 * keys — with test values, no arguments. With BATON_CLIENT_ID it is service mode against the fake
 * ConductorOne and the Tableau simulator (Hello, a full sync uploaded, a grant, SIGTERM → 0); without,
 * a one-shot sync into BATON_FILE. Container paths (/tmp, /data) and the 0.0.0.0:8080 listener are
 * mapped to a temp folder and a free loopback port; nothing else is added but the fake's address
 * (BATON_C1_API_HOST) and its CA (NODE_EXTRA_CA_CERTS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { C1zReader } from '../../pkg/c1z/index.js';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { decode, fromStruct, type Entitlement, type Resource } from '../../proto/index.js';
import { buildDist, REPO } from '../cli/run-cli.js';
import { startFakeC1, type FakeC1 } from '../support/fake-c1/index.js';
import { defaultCommandLine, dockerfileStages, stageEnv } from './dockerfile-parse.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const runtime = dockerfileStages().at(-1)!;
const deployment = parse(readFileSync('k8s/service-mode/deployment.yaml', 'utf8')) as Obj;
const secretKeys = Object.keys((parse(readFileSync('k8s/service-mode/secret.yaml', 'utf8')) as Obj).stringData);
const deploymentEnv = Object.fromEntries(
  (deployment.spec.template.spec.containers[0].env as Obj[]).map((e) => [e.name as string, String(e.value)]),
);

let sim: RunningSimulator;
let fake: FakeC1;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  await buildDist();
  sim = await startSimulator({ users: 30, groups: 4, memberships: 40 });
  fake = await startFakeC1({ nextPollMs: 200 });
  dir = mkdtempSync(join(tmpdir(), 'container-entrypoint-'));
}, 240_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await fake?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The image's ENV with its container paths and wildcard listener mapped onto this machine. */
async function imageEnv(root: string): Promise<Record<string, string>> {
  const env = stageEnv(runtime);
  mkdirSync(join(root, 'tmp'), { recursive: true });
  mkdirSync(join(root, 'data'), { recursive: true });
  const http = `127.0.0.1:${await freePort()}`;
  const mapped = Object.entries(env).map(([k, v]) => [k, v.replace(/^\/(tmp|data)\b/, `${root}/$1`).replace(/^0\.0\.0\.0:8080$/, http)]);
  return { PATH: process.env['PATH'] ?? '', ...Object.fromEntries(mapped) };
}

/** Values for the Secret's keys: the fake's client, the simulator's PAT, the Default site. */
function secretValues(client: { clientId: string; clientSecret: string }): Record<string, string> {
  const values: Record<string, string> = {
    BATON_CLIENT_ID: client.clientId,
    BATON_CLIENT_SECRET: client.clientSecret,
    BATON_ACCESS_TOKEN_NAME: sim.info.pat.name,
    BATON_ACCESS_TOKEN_SECRET: sim.info.pat.secret,
    BATON_SERVER_PATH: sim.url,
    BATON_SITE_ID: '',
  };
  expect(Object.keys(values).sort()).toEqual([...secretKeys].sort());
  return values;
}

function start(env: Record<string, string>): { child: ChildProcess; exit: Promise<number | null>; stderr: () => string } {
  const [node, ...args] = defaultCommandLine(runtime);
  expect(node).toBe('node');
  // WORKDIR /app holds dist/ and proto/ as the repository root does.
  const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, stderr: () => stderr };
}

/** The users and group entitlements of an uploaded c1z, decoded. */
async function usersAndGroupEntitlements(path: string): Promise<{ users: Resource[]; groups: Entitlement[] }> {
  const reader = await C1zReader.open(path, { tempDir: dir });
  try {
    return {
      users: [...reader.resources()].filter((r) => r.resourceTypeId === 'user').map((r) => decode<Resource>('c1.connector.v2.Resource', r.data)),
      groups: [...reader.entitlements()].filter((e) => e.resourceTypeId === 'group').map((e) => decode<Entitlement>('c1.connector.v2.Entitlement', e.data)),
    };
  } finally {
    reader.close();
  }
}

/** The image's HEALTHCHECK command, in the container's environment. */
function runHealthcheck(env: Record<string, string>): Promise<number | null> {
  const check = runtime.steps.find((s) => s.op === 'HEALTHCHECK')!.args;
  const [node, ...args] = JSON.parse(/CMD (\[.*\])/.exec(check)![1]!) as string[];
  expect(node).toBe('node');
  const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: 'ignore' });
  return bounded(new Promise((resolve) => child.on('exit', resolve)), 30_000, 'HEALTHCHECK');
}

const bounded = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

describe('the image started with no arguments', () => {
  it('runs a one-shot sync into BATON_FILE when no ConductorOne client id is set', async () => {
    const root = join(dir, 'one-shot');
    const env = { ...(await imageEnv(root)), ...secretValues({ clientId: 'x', clientSecret: 'x' }) };
    delete env['BATON_CLIENT_ID'];
    delete env['BATON_CLIENT_SECRET'];
    const run = start(env);
    expect(await bounded(run.exit, 120_000, 'one-shot sync'), run.stderr()).toBe(0);
    expect(env['BATON_FILE']).toBe(join(root, 'data', 'sync.c1z'));
    expect(existsSync(env['BATON_FILE']!)).toBe(true);
  }, 180_000);

  it('runs ConductorOne service mode from the recipe env: Hello, a synced upload, a grant, SIGTERM → 0', async () => {
    const client = fake.newClient();
    const image = await imageEnv(join(dir, 'service'));
    const env: Record<string, string> = {
      ...image, ...deploymentEnv, ...secretValues(client),
      BATON_PROVISIONING: 'true', // the Secret's optional key, uncommented
      BATON_C1_API_HOST: fake.address, NODE_EXTRA_CA_CERTS: fake.caFile,
      // The Deployment's listener is 0.0.0.0:8080 too: keep the mapped free port.
      BATON_HTTP_LISTEN: image['BATON_HTTP_LISTEN']!,
    };
    const run = start(env);
    const hello = await fake.records.waitForHello(1, 60_000);
    expect(hello.request.hostId).toBe('baton-tableau');
    expect(hello.request.connectorMetadata?.displayName).toBeTruthy();

    // The Deployment's probes and the metrics scrape, on BATON_HTTP_LISTEN.
    const http = `http://${env['BATON_HTTP_LISTEN']}`;
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      ready = (await fetch(`${http}/readyz`)).status;
      if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(200);
    expect((await fetch(`${http}/metrics`)).status).toBe(200);
    expect(await runHealthcheck(env)).toBe(0);

    const syncId = fake.enqueue('syncFull');
    const upload = await fake.records.waitForUpload(syncId, 120_000);
    expect((await fake.records.waitForFinish(syncId, 30_000)).request.success).toBeDefined();
    const { users, groups } = await usersAndGroupEntitlements(upload.path!);
    const site = sim.state().sites[0]!;
    expect(users).toHaveLength(site.users.length);

    // A membership of a local group (directory groups refuse changes) that the simulator lacks yet.
    const isMember = (groupId: string, user: Resource) => site.memberships.some((m) => m.groupId === groupId && m.userId === user.id!.resource);
    const isLocal = (g: Entitlement) => fromStruct(g.resource?.profile)['is_local'] === true;
    const group = groups.find((g) => g.id?.endsWith(':member') && isLocal(g) && users.some((u) => !isMember(g.resource!.id!.resource!, u)))!;
    const groupId = group.resource!.id!.resource!;
    const outsider = users.find((u) => !isMember(groupId, u))!;
    const grantId = fake.enqueue('grant', { entitlement: group, principal: outsider });
    const finish = await fake.records.waitForFinish(grantId, 60_000);
    expect(finish.request.status).toBeUndefined();
    expect(finish.request.success?.response?.typeUrl).toMatch(/GrantManagerServiceGrantResponse$/);
    expect(sim.state().sites[0]!.memberships).toContainEqual({ groupId, userId: outsider.id!.resource });

    run.child.kill('SIGTERM');
    expect(await bounded(run.exit, 60_000, 'exit after SIGTERM'), run.stderr()).toBe(0);
    expect(run.stderr()).not.toContain(client.clientSecret.split(':')[3]!);
  }, 300_000);
});
