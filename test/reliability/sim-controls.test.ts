/**
 * The simulator's fault controls the reliability suites rely on: `POST /_sim/faults` (usable from
 * another process), the outage switch, latency spikes and the response hook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { TableauClient } from '../../pkg/tableau/index.js';
import { startSim } from './helpers.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSim({ users: 20, groups: 2, memberships: 10 });
});

const client = (maxAttempts = 1): TableauClient =>
  new TableauClient({ serverUrl: sim.url, credentials: { kind: 'pat', ...sim.info.pat }, retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 5 } });

const postFaults = (body: string): Promise<Response> => fetch(`${sim.url}/_sim/faults`, { method: 'POST', body });

afterAll(() => sim.setFaults({ down: false }));

describe('/_sim/faults', () => {
  it('changes fault options over HTTP and refuses unknown keys and wrong types', async () => {
    const changed = (await (await postFaults('{"fault429Rate":0.25,"latencySpikeMs":7}')).json()) as Record<string, unknown>;
    expect(changed).toMatchObject({ fault429Rate: 0.25, latencySpikeMs: 7, down: false });
    expect(await (await fetch(`${sim.url}/_sim/faults`)).json()).toMatchObject({ fault429Rate: 0.25 });
    expect((await postFaults('{"explode":1}')).status).toBe(400);
    expect((await postFaults('{"down":"yes"}')).status).toBe(400);
    expect((await postFaults('not json')).status).toBe(400);
    await postFaults('{"fault429Rate":0,"latencySpikeMs":0}');
  });

  it('down resets every /api connection, serverinfo included, until it is switched off', async () => {
    await postFaults('{"down":true}');
    const tableau = client();
    await expect(tableau.serverInfo()).rejects.toMatchObject({ code: 'NETWORK' });
    expect(sim.stats().byStatus['reset']).toBeGreaterThan(0);
    await postFaults('{"down":false}');
    expect((await tableau.serverInfo()).restApiVersion).toBe('3.29');
    await tableau.close();
  });
});

describe('response hook', () => {
  it('a lost response still applied the write; a replaced one reaches the client', async () => {
    const tableau = client(3);
    const site = tableau.site('');
    const before = sim.state().sites[0]!.users.length;
    let lost = 0;
    sim.interceptResponses((request) => (request.route === 'POST /sites/{}/users' && lost++ === 0 ? 'reset' : undefined));
    const added = await site.addUser({ name: 'lost.answer', siteRole: 'Viewer' }).catch((e: unknown) => e);
    sim.interceptResponses(null);
    expect(lost).toBeGreaterThan(0);
    expect(sim.state().sites[0]!.users.length).toBe(before + 1);
    expect(added).toMatchObject({ user: { name: 'lost.answer', siteRole: 'Viewer' } });
    sim.interceptResponses((request, response) =>
      request.route === 'GET /serverinfo' ? { ...response, body: Buffer.from('{"serverInfo":{"restApiVersion":"3.7"}}') } : undefined);
    expect((await client().serverInfo()).restApiVersion).toBe('3.7');
    sim.interceptResponses(null);
    await tableau.close();
  });
});
