/**
 * TableauClientOptions.maxInFlight caps the requests in flight across all callers (the one-shot sync
 * sets it to --concurrency); by default the cap is twice pageConcurrency. A loopback server counts
 * the requests it holds at once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableauClient } from '../../pkg/tableau/client.js';

const SERVER_INFO = JSON.stringify({ serverInfo: { productVersion: { value: '2025.3.0', build: '20253' }, restApiVersion: '3.27' } });

let server: Server;
let url: string;
let open = 0;
let most = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    open++;
    most = Math.max(most, open);
    setTimeout(() => {
      open--;
      res.writeHead(200, { 'content-type': 'application/json' }).end(SERVER_INFO);
    }, 30);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function mostAtOnce(opts: { pageConcurrency: number; maxInFlight?: number }): Promise<number> {
  most = 0;
  const client = new TableauClient({ serverUrl: url, credentials: { kind: 'pat', name: 'n', secret: 's' }, format: 'json', ...opts });
  try {
    const answers = await Promise.all(Array.from({ length: 12 }, () => client.serverInfo(AbortSignal.timeout(10_000))));
    expect(answers.every((a) => a.restApiVersion === '3.27')).toBe(true);
  } finally {
    await client.close();
  }
  return most;
}

describe('requests in flight', () => {
  it('never exceed maxInFlight', async () => {
    expect(await mostAtOnce({ pageConcurrency: 4, maxInFlight: 4 })).toBe(4);
    expect(await mostAtOnce({ pageConcurrency: 4, maxInFlight: 2 })).toBe(2);
  });

  it('default to twice pageConcurrency', async () => {
    expect(await mostAtOnce({ pageConcurrency: 4 })).toBe(8);
  });
});
