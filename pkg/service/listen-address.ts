/**
 * Parsing `HOST:PORT` listen addresses and the rule that a non-loopback gRPC listener must be
 * protected (TLS or a bearer token) unless the operator explicitly says `--insecure-listen`.
 */
import { isIP } from 'node:net';
import { isLoopbackHost } from '../config/server-url.js';
import type { ServeOptions } from './options.js';

export { isLoopbackHost };

/** A listen address split into host (without IPv6 brackets) and port. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** A configuration problem the user must fix; the CLI exits with code 2 and prints every message. */
export class ServeUsageError extends Error {
  override readonly name = 'ServeUsageError';
  readonly exitCode = 2;
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

export function parseListenAddress(value: string, flag: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!match || host === undefined || host === '' || port > 65535) {
    throw new ServeUsageError([`${flag} must be HOST:PORT (e.g. 127.0.0.1:50051 or [::1]:50051), got "${value}"`]);
  }
  return { host, port };
}

/** `HOST:PORT` with brackets around IPv6 hosts, as gRPC and users expect. */
export function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Every problem with the serve security options, so the CLI can report them all at once. */
export function securityProblems(opts: ServeOptions): string[] {
  const problems: string[] = [];
  const hasCert = Boolean(opts.tlsCertFile);
  const hasKey = Boolean(opts.tlsKeyFile);
  if (hasCert !== hasKey) problems.push('--tls-cert and --tls-key must be given together');
  if (opts.tlsClientCaFile && !(hasCert && hasKey)) {
    problems.push('--tls-client-ca (mutual TLS) needs --tls-cert and --tls-key');
  }
  let address: ListenAddress | undefined;
  try {
    address = parseListenAddress(opts.listen, '--listen');
  } catch (err) {
    problems.push(...(err as ServeUsageError).problems);
  }
  if (opts.httpListen !== undefined) {
    try {
      parseListenAddress(opts.httpListen, '--http-listen');
    } catch (err) {
      problems.push(...(err as ServeUsageError).problems);
    }
  }
  const protectedListener = (hasCert && hasKey) || Boolean(opts.authTokenFile);
  if (address && !isLoopbackHost(address.host) && !protectedListener && !opts.insecureListen) {
    problems.push(
      `refusing to serve gRPC on non-loopback address ${opts.listen} without TLS (--tls-cert/--tls-key) ` +
        'or a bearer token (--auth-token-file); pass --insecure-listen to allow it anyway',
    );
  }
  return problems;
}

/**
 * Allowed but risky setups, logged at start: the contract accepts a bearer token OR TLS on a
 * non-loopback address, yet a token without TLS is readable by anyone on the network path.
 */
export function securityWarnings(opts: ServeOptions): string[] {
  let host: string;
  try {
    host = parseListenAddress(opts.listen, '--listen').host;
  } catch {
    return [];
  }
  if (isLoopbackHost(host) || !opts.authTokenFile || opts.tlsCertFile) return [];
  return [
    `gRPC listens on non-loopback address ${opts.listen} without TLS: bearer tokens will cross the network unencrypted; ` +
      'add --tls-cert/--tls-key',
  ];
}
