/**
 * Server credentials from the TLS flags: plain TLS with `--tls-cert/--tls-key`, mutual TLS when
 * `--tls-client-ca` is also given (clients without a certificate from that CA cannot connect).
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { ServeUsageError } from './listen-address.js';
import type { ServeOptions } from './options.js';

function readPem(path: string, flag: string, problems: string[]): Buffer | undefined {
  try {
    const pem = readFileSync(path);
    if (!pem.includes('-----BEGIN ')) problems.push(`${flag} ${path} is not a PEM file`);
    return pem;
  } catch (err) {
    problems.push(`${flag} ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

/** TLS or insecure server credentials; throws ServeUsageError listing every unreadable file. */
export function serverCredentials(opts: ServeOptions): grpc.ServerCredentials {
  if (!opts.tlsCertFile || !opts.tlsKeyFile) return grpc.ServerCredentials.createInsecure();
  const problems: string[] = [];
  const cert = readPem(opts.tlsCertFile, '--tls-cert', problems);
  const key = readPem(opts.tlsKeyFile, '--tls-key', problems);
  const clientCa = opts.tlsClientCaFile ? readPem(opts.tlsClientCaFile, '--tls-client-ca', problems) : undefined;
  if (problems.length > 0 || !cert || !key) throw new ServeUsageError(problems);
  return grpc.ServerCredentials.createSsl(clientCa ?? null, [{ cert_chain: cert, private_key: key }], clientCa !== undefined);
}
