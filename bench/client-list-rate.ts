/**
 * How fast the simulator starts at the L scale and how fast the Tableau client lists its users, in XML
 * and in JSON (pages of 1,000, the client's default prefetch). The simulator runs as its own process.
 *
 *   npm run build && node dist/bench/client-list-rate.js [--users 200000] [--passes 2]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TableauClient, type WireFormat } from '../pkg/tableau/index.js';
import { SimProcess } from './sim-process.js';

const { values } = parseArgs({ options: { users: { type: 'string', default: '200000' }, passes: { type: 'string', default: '2' } } });
const users = Number(values.users);

async function listPasses(sim: SimProcess, format: WireFormat, passes: number): Promise<void> {
  const client = new TableauClient({ serverUrl: sim.url, credentials: { kind: 'pat', ...sim.info.pat }, format });
  try {
    const site = client.site('');
    await site.siteId();
    for (let pass = 1; pass <= passes; pass++) {
      const started = performance.now();
      let pages = 0;
      let listed = 0;
      for await (const page of site.userPages()) {
        pages++;
        listed += page.items.length;
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(JSON.stringify({ format, pass, users: listed, pages, seconds: +seconds.toFixed(2), pagesPerSecond: Math.round(pages / seconds) }));
    }
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const sim = await SimProcess.start({ name: 'list-rate', users, groups: users / 40, memberships: users * 10, latencyMs: 0, runs: 1 });
  try {
    const startSeconds = (performance.now() - started) / 1000;
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${sim.pid}/status`, 'utf8'))?.[1] ?? 0);
    console.log(JSON.stringify({ simStartSeconds: +startSeconds.toFixed(2), simRssMb: Math.round(rssKb / 1024) }));
    for (const format of ['xml', 'json'] as const) await listPasses(sim, format, Number(values.passes));
  } finally {
    await sim.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
