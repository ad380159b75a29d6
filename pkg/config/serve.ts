/**
 * The `serve` part of the Config (listener, TLS, auth, background sync, draining; service mode uses
 * the HTTP listener and the shutdown timeout too), and the listener rules checked before anything
 * binds: addresses are `HOST:PORT`, TLS comes as a pair, and a non-loopback gRPC listener must be
 * protected unless the operator says `--insecure-listen`.
 */
import { parseDurationMs } from './duration.js';
import { fieldDefault } from './fields.js';
import { isLoopbackHost } from './server-url.js';

/** The listener settings whose combination the rules below check (pkg/service's ServeOptions extends them). */
export interface ListenerSettings {
  /** gRPC listen address `HOST:PORT` (port 0 = pick a free port). IPv6 hosts in brackets: `[::1]:50051`. */
  readonly listen: string;
  /** HTTP side port for /healthz, /readyz, /metrics; undefined = no HTTP server. */
  readonly httpListen?: string;
  /** PEM certificate chain of the gRPC server (with `tlsKeyFile`). */
  readonly tlsCertFile?: string;
  readonly tlsKeyFile?: string;
  /** PEM CA that client certificates must chain to: turns on mutual TLS (needs cert + key). */
  readonly tlsClientCaFile?: string;
  /** File holding the accepted bearer token(s), one per line; re-read when it changes. */
  readonly authTokenFile?: string;
  /** Allow a non-loopback listen address without TLS or a token. */
  readonly insecureListen?: boolean;
}

/** The typed serve flags; `listen` is absent unless given (only `serve` needs it). */
export interface ServeSettings extends Omit<ListenerSettings, 'listen'> {
  readonly listen?: string;
  readonly insecureListen: boolean;
  /** `--sync-interval`; 0 = no background sync. */
  readonly syncIntervalMs: number;
  /** `--shutdown-timeout`: how long SIGTERM waits for in-flight RPCs (serve) or running tasks (service mode). */
  readonly shutdownTimeoutMs: number;
  /** `--max-inflight-rpcs`: calls beyond it get RESOURCE_EXHAUSTED. */
  readonly maxInflightRpcs: number;
}

type Lookup = (name: string) => string | undefined;

/** The serve flags, typed; every malformed duration or limit goes to `problems`. */
export function resolveServe(str: Lookup, insecureListen: boolean, problems: string[]): ServeSettings {
  const maxText = str('max-inflight-rpcs') ?? String(fieldDefault('max-inflight-rpcs'));
  const maxInflightRpcs = Number(maxText);
  if (!Number.isInteger(maxInflightRpcs) || maxInflightRpcs < 1) problems.push('--max-inflight-rpcs must be a whole number of at least 1');
  const files = { httpListen: 'http-listen', tlsCertFile: 'tls-cert', tlsKeyFile: 'tls-key', tlsClientCaFile: 'tls-client-ca', authTokenFile: 'auth-token-file' };
  const given = Object.entries({ listen: 'listen', ...files }).flatMap(([key, name]) => {
    const value = str(name);
    return value === undefined ? [] : [[key, value] as const];
  });
  return {
    ...Object.fromEntries(given),
    insecureListen,
    syncIntervalMs: duration('sync-interval', str, problems),
    shutdownTimeoutMs: duration('shutdown-timeout', str, problems),
    maxInflightRpcs,
  };
}

function duration(name: string, str: Lookup, problems: string[]): number {
  const fallback = String(fieldDefault(name));
  const value = str(name) ?? fallback;
  const ms = parseDurationMs(value);
  if (ms === undefined) problems.push(`--${name} "${value}" is not a duration like 30s, 15m or 1h`);
  return ms ?? parseDurationMs(fallback) ?? 0;
}

/** What stops `serve` from starting: no `--listen`, one-shot flags, or listener rules broken. */
export function serveProblems(serve: ServeSettings, hasAction: boolean): string[] {
  const problems: string[] = [];
  if (serve.listen === undefined) problems.push('serve needs --listen HOST:PORT (BATON_LISTEN), e.g. 127.0.0.1:50051');
  if (hasAction) problems.push('serve takes no one-shot provisioning flags (--grant-entitlement, --revoke-grant, --create-account-*, --delete-resource)');
  if (serve.listen !== undefined) problems.push(...listenerProblems({ ...serve, listen: serve.listen }));
  return problems;
}

/** A listen address split into host (without IPv6 brackets) and port. */
export interface HostPort {
  host: string;
  port: number;
}

/** `HOST:PORT` (IPv6 hosts in brackets), or undefined when `value` is not one. */
export function parseHostPort(value: string): HostPort | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  return !match || host === undefined || host === '' || port > 65535 ? undefined : { host, port };
}

/** The problem line for a malformed address given to `flag`. */
export function hostPortProblem(value: string, flag: string): string {
  return `${flag} must be HOST:PORT (e.g. 127.0.0.1:50051 or [::1]:50051), got "${value}"`;
}

/** Every problem with the listener settings, so that they are reported all at once. */
export function listenerProblems(opts: ListenerSettings): string[] {
  const problems: string[] = [];
  const hasCert = Boolean(opts.tlsCertFile);
  const hasKey = Boolean(opts.tlsKeyFile);
  if (hasCert !== hasKey) problems.push('--tls-cert and --tls-key must be given together');
  if (opts.tlsClientCaFile && !(hasCert && hasKey)) {
    problems.push('--tls-client-ca (mutual TLS) needs --tls-cert and --tls-key');
  }
  const address = parseHostPort(opts.listen);
  if (!address) problems.push(hostPortProblem(opts.listen, '--listen'));
  if (opts.httpListen !== undefined && !parseHostPort(opts.httpListen)) problems.push(hostPortProblem(opts.httpListen, '--http-listen'));
  const protectedListener = (hasCert && hasKey) || Boolean(opts.authTokenFile);
  if (address && !isLoopbackHost(address.host) && !protectedListener && !opts.insecureListen) {
    problems.push(
      `refusing to serve gRPC on non-loopback address ${opts.listen} without TLS (--tls-cert/--tls-key) ` +
        'or a bearer token (--auth-token-file); pass --insecure-listen to allow it anyway',
    );
  }
  return problems;
}
