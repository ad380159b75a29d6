/**
 * The fake's `POST /auth/v1/token` (OAuth client credentials with a JWT-bearer client assertion, as
 * ConductorOne's) and the store of access tokens it issued, which the BatonService checks.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { Readable } from 'node:stream';
import { assertionProblem } from './client-credentials.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_BODY_BYTES = 64 * 1024;

/** One refused token request: why (never the assertion itself). */
export interface TokenRefusal {
  clientId: string;
  reason: string;
  at: number;
}

/** Issued tokens: access token → expiry (ms since epoch) and owner. */
export class TokenStore {
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  /** Tokens issued so far (a refresh counts again). */
  issued = 0;
  readonly refusals: TokenRefusal[] = [];

  issue(clientId: string, ttlSeconds: number): string {
    const token = `fake-c1-${randomBytes(18).toString('base64url')}`;
    this.tokens.set(token, { clientId, expiresAt: Date.now() + ttlSeconds * 1000 });
    this.issued++;
    return token;
  }

  /** The client owning a live token, or undefined (unknown, expired or revoked). */
  clientOf(token: string): string | undefined {
    const entry = this.tokens.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return entry.clientId;
  }

  /** Forgets every token: the next call with one is UNAUTHENTICATED until the client fetches anew. */
  revokeAll(): void {
    this.tokens.clear();
  }
}

/** What the endpoint needs from the fake: known clients, token lifetime, injected failures. */
export interface TokenEndpointContext {
  clients: Map<string, KeyObject>;
  store: TokenStore;
  tokenTtlSeconds(): number;
  /** The `aud` required instead of the client id's host, when a test sets one. */
  expectedAudience(): string | undefined;
  /** Seconds added to the endpoint's clock when checking exp / nbf / iat. */
  clockOffsetSeconds(): number;
  /** An HTTP status to answer instead of a token (a fault), or undefined. */
  takeTokenFault(): number | undefined;
}

function readBody(req: Readable): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) resolve(undefined);
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A token request as either protocol delivers it. */
interface TokenRequest {
  method: string | undefined;
  path: string | undefined;
  contentType: string;
  body: Readable;
}

/** The answer to one request: the token endpoint, or 404 / 405 / an error. */
async function answer(ctx: TokenEndpointContext, req: TokenRequest): Promise<{ status: number; body: object }> {
  if (req.path?.split('?')[0] !== '/auth/v1/token') return { status: 404, body: { error: 'not_found' } };
  if (req.method !== 'POST') return { status: 405, body: { error: 'method_not_allowed' } };
  const fault = ctx.takeTokenFault();
  if (fault !== undefined) return { status: fault, body: { error: 'temporarily_unavailable' } };
  const body = await readBody(req.body);
  const form = new URLSearchParams(body ?? '');
  const clientId = form.get('client_id') ?? '';
  const refuse = (status: number, error: string, reason: string) => {
    ctx.store.refusals.push({ clientId, reason, at: Date.now() });
    return { status, body: { error, error_description: reason } };
  };
  if (body === undefined) return refuse(413, 'invalid_request', 'body too large');
  if (!req.contentType.startsWith('application/x-www-form-urlencoded')) return refuse(400, 'invalid_request', 'not a form body');
  if (form.get('grant_type') !== 'client_credentials') return refuse(400, 'unsupported_grant_type', 'grant_type is not client_credentials');
  if (form.get('client_assertion_type') !== ASSERTION_TYPE) return refuse(400, 'invalid_request', 'wrong client_assertion_type');
  const publicKey = ctx.clients.get(clientId);
  if (!publicKey) return refuse(401, 'invalid_client', 'unknown client id');
  const audience = ctx.expectedAudience();
  const problem = assertionProblem(form.get('client_assertion') ?? '', clientId, publicKey, {
    ...(audience === undefined ? {} : { audience }),
    nowMs: Date.now() + ctx.clockOffsetSeconds() * 1000,
  });
  if (problem) return refuse(401, 'invalid_client', problem);
  const ttl = ctx.tokenTtlSeconds();
  return { status: 200, body: { access_token: ctx.store.issue(clientId, ttl), token_type: 'bearer', expires_in: ttl } };
}

/** Answers one HTTP/1.1 request. */
export async function handleTokenRequest(ctx: TokenEndpointContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { status, body } = await answer(ctx, { method: req.method, path: req.url, contentType: String(req.headers['content-type'] ?? ''), body: req });
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers one HTTP/2 request (the Go SDK fetches its token over h2 when offered). */
export async function handleTokenStream(ctx: TokenEndpointContext, stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Promise<void> {
  const { status, body } = await answer(ctx, {
    method: headers[':method'], path: headers[':path'], contentType: String(headers['content-type'] ?? ''), body: stream,
  });
  if (stream.destroyed) return;
  stream.respond({ ':status': status, 'content-type': 'application/json' });
  stream.end(JSON.stringify(body));
}
