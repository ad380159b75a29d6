/**
 * The fake's `POST /auth/v1/token` (OAuth client credentials with a JWT-bearer client assertion, as
 * ConductorOne's) and the store of access tokens it issued, which the BatonService checks.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

function readBody(req: IncomingMessage): Promise<string | undefined> {
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

function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers one HTTP/1.1 request: the token endpoint, or 404. */
export async function handleTokenRequest(ctx: TokenEndpointContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.url?.split('?')[0] !== '/auth/v1/token') return reply(res, 404, { error: 'not_found' });
  if (req.method !== 'POST') return reply(res, 405, { error: 'method_not_allowed' });
  const fault = ctx.takeTokenFault();
  if (fault !== undefined) return reply(res, fault, { error: 'temporarily_unavailable' });
  const body = await readBody(req);
  const contentType = String(req.headers['content-type'] ?? '');
  const form = new URLSearchParams(body ?? '');
  const clientId = form.get('client_id') ?? '';
  const refuse = (status: number, error: string, reason: string): void => {
    ctx.store.refusals.push({ clientId, reason, at: Date.now() });
    reply(res, status, { error, error_description: reason });
  };
  if (body === undefined) return refuse(413, 'invalid_request', 'body too large');
  if (!contentType.startsWith('application/x-www-form-urlencoded')) return refuse(400, 'invalid_request', 'not a form body');
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
  reply(res, 200, { access_token: ctx.store.issue(clientId, ttl), token_type: 'bearer', expires_in: ttl });
}
