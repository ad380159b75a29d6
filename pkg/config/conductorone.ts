/**
 * ConductorOne service-mode settings (PROTOCOL §5.1, §5.5): the client id and client secret formats,
 * checked at start so a pasted-wrong credential is a usage error, not a failure minutes later.
 * Problems never quote the secret (nor any part of it).
 */

/** An Ed25519 private key as a JWK (RFC 8037), the payload of a ConductorOne client secret. */
export interface Ed25519PrivateJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly d: string;
  readonly kid?: string;
}

/** The parts of a client id `<clientName>@<tokenHost>/<suffix>`. */
export interface ConductorOneClientId {
  /** The whole client id: the assertion's `iss`/`sub` and the token request's `client_id`. */
  readonly id: string;
  readonly clientName: string;
  /** The tenant host, without a port: the assertion's `aud`. */
  readonly host: string;
  /** `host[:port]` as written: where the token endpoint and BatonService are reached by default. */
  readonly hostPort: string;
}

/** Everything service mode needs to reach ConductorOne. */
export interface ConductorOneSettings {
  readonly clientId: ConductorOneClientId;
  readonly key: Ed25519PrivateJwk;
  /** `BATON_C1_API_HOST`: reach the token endpoint and BatonService here instead (the `aud` stays). */
  readonly apiHost?: string;
  /** `BATON_HOST_ID`, else the host name: identifies this connector instance to ConductorOne. */
  readonly hostId: string;
  /** Tasks handled at once (`--task-concurrency`, 1..100, default 3). */
  readonly taskConcurrency: number;
}

const DEFAULT_TASK_CONCURRENCY = 3;
const MAX_TASK_CONCURRENCY = 100;

const CLIENT_ID_HINT = 'expected <name>@<host>/<suffix> as shown by ConductorOne, e.g. fuzzy-owl-1234@acme.conductor.one/pcc';
const HOST_PORT = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::(\d{1,5}))?$/;

/** Splits at the first `@`, then the first `/` (as the SDK does); undefined plus a problem when malformed. */
export function parseClientId(value: string, problems: string[]): ConductorOneClientId | undefined {
  const at = value.indexOf('@');
  const slash = at < 0 ? -1 : value.indexOf('/', at + 1);
  const clientName = at < 0 ? '' : value.slice(0, at);
  const hostPort = slash < 0 ? '' : value.slice(at + 1, slash);
  const suffix = slash < 0 ? '' : value.slice(slash + 1);
  const port = HOST_PORT.exec(hostPort)?.[1];
  if (!clientName || !suffix || !HOST_PORT.test(hostPort) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    problems.push(`--client-id (BATON_CLIENT_ID) is not a ConductorOne client id: ${CLIENT_ID_HINT}`);
    return undefined;
  }
  return { id: value, clientName, host: hostPort.replace(/:\d+$/, ''), hostPort };
}

/**
 * The Ed25519 private JWK inside `…:…:v1:<base64url JWK>`. Problems name only what is wrong
 * ("not 4 parts", "not an Ed25519 private key"), never the value.
 */
export function parseClientSecret(value: string, problems: string[]): Ed25519PrivateJwk | undefined {
  const bad = (why: string): undefined => {
    problems.push(`--client-secret (BATON_CLIENT_SECRET) is not a ConductorOne client secret: ${why}`);
    return undefined;
  };
  const parts = value.split(':');
  if (parts.length !== 4) return bad('expected 4 parts separated by ":" (like secret-token:conductorone.com:v1:…)');
  if (parts[2] !== 'v1') return bad('only version v1 secrets are understood');
  const encoded = parts[3] ?? '';
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return bad('its last part is not base64url');
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return bad('its last part does not decode to a JSON key');
  }
  if (typeof jwk !== 'object' || jwk === null || jwk['kty'] !== 'OKP' || jwk['crv'] !== 'Ed25519') return bad('the key is not an Ed25519 key');
  const { x, d, kid } = jwk;
  if (typeof d !== 'string' || d === '') return bad('the key is a public key; a private key is needed');
  if (typeof x !== 'string' || !isKeyHalf(x) || !isKeyHalf(d)) return bad('the key is not a well-formed Ed25519 key');
  return { kty: 'OKP', crv: 'Ed25519', x, d, ...(typeof kid === 'string' && kid !== '' ? { kid } : {}) };
}

/** An Ed25519 key half is 32 bytes, base64url without padding (43 characters). */
function isKeyHalf(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value) && Buffer.from(value, 'base64url').length === 32;
}

/** `BATON_C1_API_HOST` must be `host[:port]` (no scheme, no path): it names a TLS endpoint. */
export function checkApiHost(value: string, problems: string[]): string | undefined {
  if (HOST_PORT.test(value) || /^\[[0-9a-fA-F:]+\](?::\d{1,5})?$/.test(value)) return value;
  problems.push(`BATON_C1_API_HOST "${value}" is not HOST or HOST:PORT`);
  return undefined;
}

/** `--task-concurrency`: a whole number from 1 to 100. */
export function taskConcurrency(value: unknown, problems: string[]): number {
  if (value === undefined) return DEFAULT_TASK_CONCURRENCY;
  const n = Number(String(value));
  if (!Number.isInteger(n) || n < 1 || n > MAX_TASK_CONCURRENCY) {
    problems.push(`--task-concurrency "${String(value)}" must be a whole number from 1 to ${MAX_TASK_CONCURRENCY}`);
    return DEFAULT_TASK_CONCURRENCY;
  }
  return n;
}
