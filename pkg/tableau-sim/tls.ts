/**
 * `--tls`: a fresh self-signed certificate for 127.0.0.1 / localhost, its PEM written to a temp file
 * whose path the CLI prints as `caCertFile` (clients trust it with `--ca-file`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
  caCertFile: string;
  /** Removes the temp directory holding the PEM. */
  cleanup(): void;
}

export async function createTlsMaterial(): Promise<TlsMaterial> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec', curve: 'P-256', algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'tableau-sim-'));
  const caCertFile = join(dir, 'ca.pem');
  writeFileSync(caCertFile, pems.cert);
  return { key: pems.private, cert: pems.cert, caCertFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
