/**
 * Test helpers: plain fetch calls against a running simulator (deliberately not the pkg/tableau client,
 * so the simulator is an independent check of it).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { RunningSimulator, ScenarioData, ScenarioSite, ScenarioUser } from '../../pkg/tableau-sim/index.js';

export const V = '3.29';

export interface Call {
  status: number;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

export async function call(sim: RunningSimulator, method: string, path: string,
  opts: { token?: string; body?: string | object; json?: boolean } = {}): Promise<Call> {
  const headers: Record<string, string> = {};
  if (opts.token) headers['X-Tableau-Auth'] = opts.token;
  if (opts.json !== false) headers.Accept = 'application/json';
  let body: string | undefined;
  if (typeof opts.body === 'string') {
    body = opts.body;
    headers['Content-Type'] = 'text/xml';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${sim.url}${path.startsWith('/_sim') ? '' : `/api/${sim.info.apiVersion}`}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown = undefined;
  if (text.startsWith('{')) json = JSON.parse(text);
  return { status: res.status, text, json, headers: res.headers };
}

export interface Signed {
  token: string;
  siteId: string;
  userId: string;
}

export async function signInPat(sim: RunningSimulator, contentUrl = ''): Promise<Signed> {
  const { pat } = sim.info;
  const res = await call(sim, 'POST', '/auth/signin', { body: { credentials: {
    personalAccessTokenName: pat.name, personalAccessTokenSecret: pat.secret, site: { contentUrl } } } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  const c = res.json.credentials;
  return { token: c.token, siteId: c.site.id, userId: c.user.id };
}

export function makeJwt(sim: RunningSimulator, overrides: Record<string, unknown> = {}, secret?: string): string {
  const app = sim.info.connectedApp;
  const header = { alg: 'HS256', typ: 'JWT', kid: app.secretId, iss: app.clientId };
  const claims = { iss: app.clientId, sub: app.username, aud: 'tableau', exp: Math.floor(Date.now() / 1000) + 300,
    jti: randomUUID(), scp: ['tableau:users:read', 'tableau:groups:read', 'tableau:sites:read'], ...overrides };
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc(header)}.${enc(claims)}`;
  const sig = createHmac('sha256', secret ?? app.secretValue).update(input).digest('base64url');
  return `${input}.${sig}`;
}

/** A fetch Response body as loosely typed JSON (tests assert on its shape). */
export async function jsonOf(res: Response): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return res.json();
}

let counter = 0;
function luid(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

/** A scenario with one site: an admin plus `n` viewers, and the given groups/memberships. */
export function scenario(n: number, extra: Partial<ScenarioSite> = {}, more: Partial<ScenarioData> = {}): ScenarioData {
  const users: ScenarioUser[] = [{ id: luid(), name: 'admin', siteRole: 'ServerAdministrator', lastLogin: '2026-01-01T00:00:00Z' }];
  for (let i = 0; i < n; i++) {
    users.push({ id: luid(), name: `user${String(i).padStart(5, '0')}`, siteRole: 'Viewer', email: `u${i}@example.com`,
      fullName: `User ${i}`, lastLogin: i % 3 === 0 ? null : `2025-0${1 + (i % 9)}-15T10:00:00Z` });
  }
  return { sites: [{ id: luid(), contentUrl: '', name: 'Default', users, groups: [], memberships: [], ...extra }], ...more };
}

export { luid };
