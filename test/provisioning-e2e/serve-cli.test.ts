/**
 * `baton-tableau serve` from the built CLI: `-p --dry-run` reaches the provisioning behind the gRPC
 * server (a planned grant, Tableau unchanged), and without `-p` the gate refuses (budget: ~4 s after the
 * build).
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorClient, type ConnectorClient } from '../../pkg/server/index.js';
import { startSimulator } from '../../pkg/tableau-sim/index.js';
import { buildDist, finished, startCli } from '../cli/run-cli.js';
import { annotationNames, entitlementOf, group, rejection, scenario, user, userResource } from './harness.js';

const ALICE = user(1);
const TEAM = group(1);
const data = scenario([{ id: ALICE, name: 'alice', siteRole: 'Viewer' }], [{ id: TEAM, name: 'Team' }]);

let sim: Awaited<ReturnType<typeof startSimulator>>;
const children: ChildProcess[] = [];
beforeAll(async () => {
  sim = await startSimulator({ port: 0, host: '127.0.0.1', data });
  await buildDist();
}, 240_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await sim?.close();
});

/** Starts `serve` with `flags` and a client of its gRPC address (from the ready line). */
async function serve(flags: string[]): Promise<{ child: ChildProcess; rpc: ConnectorClient }> {
  const env = { BATON_SERVER_PATH: sim.url, BATON_ACCESS_TOKEN_NAME: sim.info.pat.name, BATON_ACCESS_TOKEN_SECRET: sim.info.pat.secret };
  const child = startCli(['serve', '--listen', '127.0.0.1:0', '--log-format', 'json', ...flags], { env });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ready line')), 15_000);
    createInterface({ input: child.stdout! }).once('line', (l) => (clearTimeout(timer), resolve(l)));
    child.once('exit', () => reject(new Error('serve exited before the ready line')));
  });
  return { child, rpc: connectorClient((JSON.parse(line) as { grpc: string }).grpc) };
}

async function stop(served: { child: ChildProcess; rpc: ConnectorClient }): Promise<number | null> {
  served.rpc.close();
  const done = finished(served.child, 15_000);
  served.child.kill('SIGTERM');
  return (await done).code;
}

describe('serve with provisioning flags', () => {
  it('-p --dry-run plans a grant and changes nothing', async () => {
    const served = await serve(['-p', '--dry-run']);
    const before = await sim.state();
    const entitlement = await entitlementOf(served.rpc, 'group', TEAM, 'member');
    const res = await served.rpc.grant({ entitlement, principal: await userResource(served.rpc, ALICE) });
    expect(annotationNames(res.annotations)).toEqual(['GrantMetadata']);
    expect(await sim.state()).toEqual(before);
    expect(await stop(served)).toBe(0);
  });

  it('without -p refuses a grant with FAILED_PRECONDITION', async () => {
    const served = await serve([]);
    const entitlement = await entitlementOf(served.rpc, 'group', TEAM, 'member');
    const err = await rejection(served.rpc.grant({ entitlement, principal: await userResource(served.rpc, ALICE) }));
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(err.details).toBe('provisioning is not enabled');
    expect(await stop(served)).toBe(0);
  });
});
