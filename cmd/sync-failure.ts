/**
 * One clear line for a failed one-shot sync. Tableau errors already carry a safe message (endpoint and
 * Tableau's code, never headers or bodies); the common causes get a hint on what to check.
 */
import { ConnectorError } from '../pkg/connector/errors.js';
import { TableauError } from '../pkg/tableau/errors.js';

const HINTS: Partial<Record<TableauError['code'], string>> = {
  SIGN_IN_FAILED: 'Tableau rejected the credentials',
  UNAUTHORIZED: 'the Tableau session was not accepted; check the credentials and that the token is not used elsewhere at the same time',
  FORBIDDEN: 'the Tableau user lacks permission; a site or server administrator is needed',
  SITES_QUERY_NOT_SUPPORTED: '--all-sites needs Tableau Server (Tableau Cloud cannot list sites); use --site-id for each site',
  NETWORK: 'cannot reach Tableau; check --server-path and the network',
  TLS: "Tableau's TLS certificate was not accepted (expired, not yet valid or issued for another host); check --server-path, or give a trusted CA with --ca-file",
  TIMEOUT: 'Tableau did not answer in time',
};

/** Failures whose message already says what happened: the fix follows it instead of leading. */
function messageFirst(tableau: TableauError): string | undefined {
  if (tableau.unreachableForMs !== undefined) {
    return `${tableau.message}; Tableau did not come back within the retry budget (--retry-budget), check --server-path and the network`;
  }
  if (tableau.code === 'VERSION_UNSUPPORTED') return tableau.message;
  if (tableau.code === 'WRONG_SITE') return `${tableau.message}; check --site-id and that the credentials belong to that site`;
  if (tableau.code === 'NOT_TABLEAU') {
    return `${tableau.message}; check --server-path: the host, and the path prefix when Tableau is served below one (e.g. https://host/tableau)`;
  }
  return undefined;
}

/** Node's codes for a server certificate that does not chain to a trusted CA. */
const TLS_TRUST_ERROR = /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT_UNTRUSTED|INVALID_CA/;

/** What to check when sign-in fails, per credential kind. */
const SIGN_IN_CHECKS: Record<string, string> = {
  pat: 'check --access-token-name and --access-token-secret and that the token has not expired or been revoked',
  jwt: 'check the connected app (--jwt-client-id, --jwt-secret-id, --jwt-secret-value), that it is enabled, and --jwt-username',
  password: 'check --username and --password',
};

/** A short, secret-free description of why the sync failed. */
export function describeSyncFailure(err: unknown, credentialKind?: string): string {
  const tableau = tableauCause(err);
  const first = tableau && messageFirst(tableau);
  if (first) return first;
  if (tableau) {
    let hint = HINTS[tableau.code];
    if (tableau.code === 'TLS' && TLS_TRUST_ERROR.test(tableau.message)) {
      hint = "Tableau's TLS certificate is not trusted; give its CA certificate with --ca-file";
    }
    if (hint && tableau.code === 'SIGN_IN_FAILED') {
      const check = SIGN_IN_CHECKS[credentialKind ?? ''] ?? 'check the credentials';
      hint = `${hint}; ${check}, and that the site in --site-id exists`;
    }
    return hint ? `${hint} (${tableau.message})` : tableau.message;
  }
  if (err instanceof ConnectorError) return `${err.status}: ${err.message}`;
  if ((err as { name?: string } | undefined)?.name === 'AbortError') return 'interrupted';
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}

/** The TableauError behind `err`, looking through a few levels of `cause` (sync and connector wrap). */
function tableauCause(err: unknown): TableauError | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof TableauError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
