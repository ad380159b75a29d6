/**
 * The node:http request handler: `/_sim/*` test endpoints, then `/api/…` with latency, faults,
 * statistics, version checks, routing and rendering.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { versionNumber, type Reply, type RequestCtx, type ServerSettings } from './context.js';
import { SimError, unknownResource } from './errors.js';
import type { FaultInjector } from './faults.js';
import { habitProblem } from './listing-habits.js';
import { parseOutageSpec, UNAVAILABLE_PAGE, type Outage } from './outage.js';
import { notTableauPage, type NotTableauKind } from './not-tableau.js';
import { isScimPath, scimResponse } from './routes-scim.js';
import { renderBody, type Format } from './render.js';
import { dispatch } from './router.js';
import { handleAuthnService } from './routes-identity.js';
import type { SessionStore } from './sessions.js';
import { routeKey, type StatsCounter } from './stats.js';
import type { FaultOptions, OutgoingResponse, ResponseInterceptor } from './types.js';
import type { World } from './world.js';

/** What the request handler works on. */
export interface HandlerDeps {
  world: World;
  sessions: SessionStore;
  settings: ServerSettings;
  faults: FaultInjector;
  stats: StatsCounter;
  /** The test's response hook, if one is set. */
  interceptor: { current: ResponseInterceptor | null };
  outage: Outage;
  notTableau?: NotTableauKind | undefined;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const API_PATH = /^\/api\/([^/]+)(\/.*)?$/;
/** The oldest version the simulator serves, unless it plays an older server (which serves its own). */
const OLDEST_VERSION = '3.4';
// Tableau introduced serverinfo in 2.4; clients probe it with old versions before negotiating.
const OLDEST_SERVERINFO_VERSION = '2.4';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function formatOf(req: IncomingMessage): Format {
  return (req.headers.accept ?? '').includes('application/json') ? 'json' : 'xml';
}

function errorReply(err: SimError): Reply {
  return { status: err.status, pieces: [err.toNode()], headers: err.headers };
}

type Outgoing = OutgoingResponse;

const EMPTY = Buffer.alloc(0);

function render(reply: Reply, format: Format): Outgoing {
  const headers = { ...reply.headers };
  if (reply.status === 204) return { status: 204, headers, body: EMPTY };
  if (reply.json !== undefined) {
    return { status: reply.status, headers: { ...headers, 'Content-Type': 'application/json;charset=UTF-8' },
      body: Buffer.from(JSON.stringify(reply.json)) };
  }
  const type = format === 'json' ? 'application/json;charset=UTF-8' : 'application/xml;charset=UTF-8';
  return { status: reply.status, headers: { ...headers, 'Content-Type': type }, body: renderBody(reply.pieces ?? [], format) };
}

function send(res: ServerResponse, out: Outgoing, truncate: boolean): void {
  const bytes = out.body;
  if (!truncate || bytes.length < 2) {
    res.writeHead(out.status, { ...out.headers, 'Content-Length': String(bytes.length) });
    res.end(bytes);
    return;
  }
  // A truncated body: announce the full length, send half, then drop the connection.
  res.writeHead(out.status, { ...out.headers, 'Content-Length': String(bytes.length) });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
}

const FAULT_KEYS: Record<keyof FaultOptions, 'number' | 'boolean' | 'string'> = {
  fault429Rate: 'number', fault5xxRate: 'number', faultResetRate: 'number', faultTruncateRate: 'number',
  sessionKillEvery: 'number', latencyMs: 'number', latencySpikeRate: 'number', latencySpikeMs: 'number', down: 'boolean',
  overPromise: 'number', overPromiseListings: 'string', pastEndEmpty: 'boolean', groupShape: 'string', unlistedUsers: 'string',
  errorsWithStatus200: 'boolean', signInOtherSite: 'boolean',
};

/** Body of `POST /_sim/faults`: a JSON object of FaultOptions fields, or an error text. */
function faultChange(body: string): Partial<FaultOptions> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'body is not a JSON object';
  for (const [key, value] of Object.entries(parsed)) {
    const type = FAULT_KEYS[key as keyof FaultOptions];
    if (type === undefined) return `unknown fault option ${key}`;
    if (typeof value !== type) return `${key} must be a ${type}`;
  }
  return habitProblem(parsed as Partial<FaultOptions>) ?? (parsed as Partial<FaultOptions>);
}

/** A `/_sim/*` answer, and what to do once it is sent (an outage must not cut its own answer). */
type SimAnswer = Outgoing & { after?: () => void };

function json(status: number, value: unknown): SimAnswer {
  return { status, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(value)) };
}

/** `POST /_sim/faults`: fault options, plus `outage` (`{seconds, afterRequests, mode}`, or null to end it). */
function changeFaults(deps: HandlerDeps, body: string): SimAnswer {
  let outage: unknown;
  let rest = body;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    if (typeof parsed === 'object' && parsed !== null && 'outage' in parsed) {
      ({ outage } = parsed);
      const { outage: _omit, ...others } = parsed;
      rest = JSON.stringify(others);
    }
  } catch {
    // faultChange reports it.
  }
  const spec = outage === undefined || outage === null ? outage : parseOutageSpec(outage);
  if (typeof spec === 'string') return json(400, { error: spec });
  const change = faultChange(rest);
  if (typeof change === 'string') return json(400, { error: change });
  deps.faults.set(change);
  const answer = json(200, { ...deps.faults.options, outage: deps.outage.status() });
  if (spec === null) deps.outage.end();
  else if (spec !== undefined) answer.after = () => deps.outage.schedule(spec);
  return answer;
}

function simEndpoint(deps: HandlerDeps, method: string, path: string, body: string): SimAnswer {
  if (method === 'GET' && path === '/_sim/state') return json(200, deps.world.state());
  if (method === 'GET' && path === '/_sim/stats') return json(200, deps.stats.snapshot());
  if (method === 'GET' && path === '/_sim/faults') return json(200, { ...deps.faults.options, outage: deps.outage.status() });
  if (method === 'POST' && path === '/_sim/faults') return changeFaults(deps, body);
  if (method === 'POST' && path === '/_sim/reset-stats') {
    deps.stats.reset();
    return { status: 204, headers: {}, body: EMPTY };
  }
  return json(404, { error: `unknown simulator endpoint ${method} ${path}` });
}

function checkVersion(deps: HandlerDeps, versionText: string, rest: string): number {
  const newest = deps.settings.apiVersion;
  const oldestServed = versionNumber(newest) < versionNumber(OLDEST_VERSION) ? newest : OLDEST_VERSION;
  const oldest = /^\/serverinfo$/i.test(rest) ? OLDEST_SERVERINFO_VERSION : oldestServed;
  const valid = /^\d+\.\d+$/.test(versionText);
  const version = valid ? versionNumber(versionText) : 0;
  if (!valid || version < versionNumber(oldest) || version > versionNumber(deps.settings.apiVersion)) {
    throw new SimError('404003', 'Resource Not Found',
      `The REST API version '${versionText}' is not supported by this server (supported: ${oldest} to ${deps.settings.apiVersion}).`);
  }
  return version;
}

function apiReply(deps: HandlerDeps, req: IncomingMessage, url: URL, rawBody: string, format: Format): Reply {
  const match = API_PATH.exec(url.pathname);
  if (!match) throw unknownResource(url.pathname);
  const [, versionText = '', rest = '/'] = match;
  const method = req.method ?? 'GET';
  if (versionText === '-' && rest.startsWith('/authn-service/')) {
    const token = req.headers['x-tableau-auth'];
    return handleAuthnService({ ...deps, method, path: rest.slice('/authn-service'.length),
      token: typeof token === 'string' ? token : undefined });
  }
  const ctx: RequestCtx = {
    world: deps.world, sessions: deps.sessions, settings: deps.settings, method, path: rest,
    version: checkVersion(deps, versionText, rest), query: url.searchParams, params: {}, format,
    headers: req.headers, rawBody, sessionKill: () => deps.faults.killSessionNow(), habits: deps.faults.options,
    signInOtherSite: () => deps.faults.options.signInOtherSite,
  };
  return dispatch(ctx);
}

function faultReply(deps: HandlerDeps, kind: '429' | '5xx'): Reply {
  if (kind === '429') {
    return errorReply(new SimError('429000', 'Too Many Requests',
      "Too many requests for 'api.rest.users'. Please retry after 1 minutes.", { 'Retry-After': '1' }));
  }
  const status = deps.faults.serverErrorStatus();
  return errorReply(new SimError(`${status}000`, status === 500 ? 'Internal server error' : 'Service Unavailable',
    'The server encountered an error (injected by the simulator).'));
}

async function handleApi(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const key = routeKey(req.method ?? 'GET', url.pathname);
  const format = formatOf(req);
  const rawBody = await readBody(req);
  const outage = deps.outage.onRequest();
  if (outage === '503') {
    deps.stats.record(key, '503');
    send(res, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: UNAVAILABLE_PAGE }, false);
    return;
  }
  if (deps.faults.options.down || outage !== null) {
    deps.stats.record(key, 'reset');
    req.socket.destroy();
    return;
  }
  const delayMs = deps.faults.delayMs();
  if (delayMs > 0) await sleep(delayMs);
  const fault = /^\/api\/[^/]+\/serverinfo$/i.test(url.pathname) ? null : deps.faults.decide();
  if (fault === 'reset') {
    deps.stats.record(key, 'reset');
    req.socket.destroy();
    return;
  }
  let reply: Reply;
  try {
    reply = fault === '429' || fault === '5xx' ? faultReply(deps, fault) : apiReply(deps, req, url, rawBody, format);
  } catch (err) {
    if (!(err instanceof SimError)) throw err;
    reply = errorReply(err);
  }
  if (deps.faults.options.errorsWithStatus200 && reply.status >= 400) reply = { ...reply, status: 200 };
  const out = intercepted(deps, req, url, key, render(reply, format));
  deps.stats.record(key, out === 'reset' ? 'reset' : String(out.status));
  if (out === 'reset') req.socket.destroy();
  else send(res, out, fault === 'truncate');
}

function intercepted(deps: HandlerDeps, req: IncomingMessage, url: URL, route: string, out: Outgoing): Outgoing | 'reset' {
  const hook = deps.interceptor.current;
  return (hook && hook({ route, method: req.method ?? 'GET', url }, out)) ?? out;
}

export function createRequestHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (deps.notTableau && !url.pathname.startsWith('/_sim/')) {
      const page = notTableauPage(deps.notTableau);
      void readBody(req).then(() => send(res, { status: page.status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page.body }, false));
      return;
    }
    const work = url.pathname.startsWith('/_sim/')
      ? readBody(req).then((body) => {
        const answer = simEndpoint(deps, req.method ?? 'GET', url.pathname, body);
        if (answer.after) res.once('finish', answer.after);
        send(res, answer, false);
      })
      : url.pathname.startsWith('/api/')
        ? handleApi(deps, req, res, url)
        : isScimPath(url.pathname)
          ? readBody(req).then(() => send(res, scimResponse(deps.world, req.method ?? 'GET', url, req.headers.authorization), false))
          : readBody(req).then(() => send(res, render(errorReply(unknownResource(url.pathname)), formatOf(req)), false));
    work.catch((err: unknown) => {
      const detail = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) send(res, render(errorReply(new SimError('500000', 'Internal server error', detail)), 'xml'), false);
      else res.destroy();
    });
  };
}
