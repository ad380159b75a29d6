/**
 * Listen addresses as the service binds them, and the listener rules (TLS pairs, a non-loopback gRPC
 * listener must be protected unless `--insecure-listen`) for library callers of runServe; the rules
 * themselves live in pkg/config/serve.ts, where the CLI checks them with every other flag.
 */
import { isIP } from 'node:net';
import { hostPortProblem, listenerProblems, parseHostPort, type HostPort } from '../config/serve.js';
import { isLoopbackHost } from '../config/server-url.js';
import type { ServeOptions } from './options.js';

export { isLoopbackHost };

/** A listen address split into host (without IPv6 brackets) and port. */
export type ListenAddress = HostPort;

/** A configuration problem the user must fix; the CLI exits with code 2 and prints every message. */
export class ServeUsageError extends Error {
  override readonly name = 'ServeUsageError';
  readonly exitCode = 2;
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** Splits `HOST:PORT`; throws ServeUsageError naming `flag` when it is not one. */
export function parseListenAddress(value: string, flag: string): ListenAddress {
  const address = parseHostPort(value);
  if (!address) throw new ServeUsageError([hostPortProblem(value, flag)]);
  return address;
}

/** `HOST:PORT` with brackets around IPv6 hosts, as gRPC and users expect. */
export function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Every problem with the serve security options (the rules live with the configuration). */
export function securityProblems(opts: ServeOptions): string[] {
  return listenerProblems(opts);
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
