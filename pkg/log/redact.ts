/**
 * Two layers of secret protection for everything the CLI writes to stderr: pino key-path redaction
 * (values under well-known secret keys) and scrubbing of every known secret value from the final
 * text, which also catches a secret that slipped into a message or an error string.
 */

export const REDACTED = '[REDACTED]';

/** Object keys whose values are always secret, at the top level and one level down. */
const SECRET_KEYS = [
  'password',
  'secret',
  'secretValue',
  'token',
  'accessTokenSecret',
  'personalAccessTokenSecret',
  'jwt',
  'clientSecret',
  'authorization',
  'cookie',
  'x-tableau-auth',
];

const HEADER_KEYS = ['authorization', 'cookie', 'set-cookie', 'x-tableau-auth'];

/** `key` as a path step: `.key`, or `["x-tableau-auth"]` for names that are not identifiers. */
function step(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Paths for pino's `redact` option (top level, one level down, and under `headers`). */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS.map((key) => step(key).replace(/^\./, '')),
  ...SECRET_KEYS.map((key) => `*${step(key)}`),
  ...HEADER_KEYS.flatMap((key) => [`headers${step(key)}`, `*.headers${step(key)}`]),
];

/**
 * Very short values would scrub ordinary words out of every line; values this short are also not
 * plausible PATs, connected-app secrets or client secrets.
 */
const MIN_SCRUB_LENGTH = 4;

/** Replaces every occurrence of every secret (raw and JSON-escaped) in `text`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SCRUB_LENGTH) continue;
    out = out.split(secret).join(REDACTED);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out;
}
