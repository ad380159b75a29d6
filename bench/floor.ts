/**
 * The network floor: a plain undici script that fetches exactly the minimum set of Tableau requests
 * (see minimum.ts) with a fixed number in flight, reading each body to the end without parsing it.
 * Run as its own process by the bench (`node dist/bench/floor.js PLAN.json`, PAT secret in
 * BENCH_PAT_SECRET) so its wall time is measured the same way as the connector's.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import type { RequestPlan } from './minimum.js';

/** What the bench writes for this script. */
export interface FloorInput {
  url: string;
  apiVersion: string;
  patName: string;
  concurrency: number;
  plan: RequestPlan;
}

const ACCEPT = { accept: 'application/json' };

async function fetchAll(input: FloorInput, dispatcher: Agent): Promise<number> {
  const api = `${input.url}/api/${input.apiVersion}`;
  const get = async (url: string, token?: string): Promise<string> => {
    const res = await request(url, { dispatcher, headers: token ? { ...ACCEPT, 'x-tableau-auth': token } : ACCEPT });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GET ${url}: HTTP ${res.statusCode}`);
    return text;
  };
  await get(`${api}/serverinfo`);
  const token = await signIn(api, input, dispatcher);
  const site = `${api}/sites/${input.plan.siteId}`;
  await get(site, token);
  const urls = input.plan.listings.flatMap((l) =>
    Array.from({ length: l.pages }, (_, i) => `${site}${l.path}?${l.query}&pageNumber=${i + 1}`));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) await get(urls[next++] ?? '', token);
  };
  await Promise.all(Array.from({ length: input.concurrency }, worker));
  await get(`${input.url}/api/-/authn-service/identity-pools`, token);
  const out = await request(`${api}/auth/signout`, { method: 'POST', dispatcher, headers: { 'x-tableau-auth': token } });
  await out.body.dump();
  return 3 + urls.length + 1 + 1;
}

async function signIn(api: string, input: FloorInput, dispatcher: Agent): Promise<string> {
  const credentials = {
    personalAccessTokenName: input.patName,
    personalAccessTokenSecret: process.env['BENCH_PAT_SECRET'] ?? '',
    site: { contentUrl: input.plan.contentUrl },
  };
  const res = await request(`${api}/auth/signin`, {
    method: 'POST', dispatcher, headers: { ...ACCEPT, 'content-type': 'application/json' }, body: JSON.stringify({ credentials }),
  });
  const body = (await res.body.json()) as { credentials?: { token?: string } };
  const token = body.credentials?.token;
  if (res.statusCode !== 200 || !token) throw new Error(`sign-in failed: HTTP ${res.statusCode}`);
  return token;
}

async function main(): Promise<void> {
  const input = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as FloorInput;
  const dispatcher = new Agent({ connections: input.concurrency + 1 });
  const started = performance.now();
  const requests = await fetchAll(input, dispatcher);
  process.stdout.write(`${JSON.stringify({ requests, ms: Math.round(performance.now() - started) })}\n`);
  await dispatcher.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`floor: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
