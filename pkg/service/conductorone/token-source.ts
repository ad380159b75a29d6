/**
 * Access tokens for the BatonService (PROTOCOL §5.1, §5.5): a client assertion exchanged at
 * `https://<host>/auth/v1/token`, cached until 10 s before it expires, one request in flight at a
 * time. TLS is always verified (Node's trust store plus NODE_EXTRA_CA_CERTS). Neither the token nor
 * the assertion ever appears in an error or a log line.
 */
import { request, type Dispatcher } from 'undici';
import type { ConductorOneClientId } from '../../config/config.js';
import { mintClientAssertion, type AssertionKey } from './client-assertion.js';

/** The SDK refreshes this long before `expires_in` runs out. */
const REFRESH_EARLY_MS = 10_000;
const TOKEN_TIMEOUT_MS = 30_000;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Why no token could be had. `refused`: ConductorOne answered and said no (a 4xx, or an unusable
 * answer) — the client credentials are wrong and retrying will not help. `unreachable`: no answer or
 * a 5xx — worth retrying later.
 */
export class TokenError extends Error {
  constructor(
    readonly kind: 'refused' | 'unreachable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TokenError';
  }
}

/** A usable token: what goes into the `authorization` metadata. */
export interface AccessToken {
  readonly authorization: string;
  readonly expiresAtMs: number;
}

export interface TokenSourceOptions {
  clientId: ConductorOneClientId;
  signer: AssertionKey;
  /** `https://host[:port]`: the client id's host, or BATON_C1_API_HOST. */
  origin: string;
  dispatcher?: Dispatcher;
  /** Called after every successful token request (the refresh counter). */
  onRefresh?: () => void;
  now?: () => number;
}

export class TokenSource {
  private current: AccessToken | undefined;
  private inFlight: Promise<AccessToken> | undefined;

  constructor(private readonly opts: TokenSourceOptions) {}

  /** The `authorization` metadata value, fetching a new token when the cached one is (nearly) expired. */
  async authorization(signal?: AbortSignal): Promise<string> {
    const now = (this.opts.now ?? Date.now)();
    if (this.current && now < this.current.expiresAtMs - REFRESH_EARLY_MS) return this.current.authorization;
    this.inFlight ??= this.fetchToken(signal).finally(() => (this.inFlight = undefined));
    this.current = await this.inFlight;
    return this.current.authorization;
  }

  /** Forgets the cached token (ConductorOne rejected it): the next call fetches a new one. */
  invalidate(): void {
    this.current = undefined;
  }

  private async fetchToken(signal?: AbortSignal): Promise<AccessToken> {
    const { clientId, signer, origin } = this.opts;
    const body = new URLSearchParams({
      client_id: clientId.id,
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: mintClientAssertion(clientId, signer, (this.opts.now ?? Date.now)()),
    }).toString();
    const timeout = AbortSignal.timeout(TOKEN_TIMEOUT_MS);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(`${origin}/auth/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        ...(this.opts.dispatcher ? { dispatcher: this.opts.dispatcher } : {}),
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
      throw new TokenError('unreachable', `the ConductorOne token endpoint at ${origin} cannot be reached (${code})`, { cause: err });
    }
    const text = await response.body.text().catch(() => '');
    if (response.statusCode !== 200) {
      const kind = response.statusCode >= 500 || response.statusCode === 429 ? 'unreachable' : 'refused';
      throw new TokenError(kind, `the ConductorOne token endpoint answered HTTP ${response.statusCode}`);
    }
    const token = tokenFrom(text, (this.opts.now ?? Date.now)());
    this.opts.onRefresh?.();
    return token;
  }
}

function tokenFrom(text: string, nowMs: number): AccessToken {
  let json: { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new TokenError('refused', 'the ConductorOne token endpoint answered something that is not JSON');
  }
  if (typeof json.access_token !== 'string' || json.access_token === '') {
    throw new TokenError('refused', 'the ConductorOne token endpoint answered without an access token');
  }
  const expiresInS = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 0;
  // The SDK (oauth2) normalises the type's spelling; an absent type means Bearer.
  const type = typeof json.token_type === 'string' && json.token_type.toLowerCase() !== 'bearer' && json.token_type !== '' ? json.token_type : 'Bearer';
  return { authorization: `${type} ${json.access_token}`, expiresAtMs: expiresInS ? nowMs + expiresInS * 1000 : Number.POSITIVE_INFINITY };
}
