/** A throwaway PKI for TLS tests: a CA, a server and a client certificate from it, and a stranger's. */
import { generate } from 'selfsigned';

export interface Pki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  strangerCert: string;
  strangerKey: string;
}

export async function makePki(): Promise<Pki> {
  const opts = { keyType: 'ec', algorithm: 'sha256' } as const;
  const ca = await generate([{ name: 'commonName', value: 'baton-tableau test CA' }], {
    ...opts,
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true }],
  });
  const signed = (cn: string, usage: 'serverAuth' | 'clientAuth', signer = ca) =>
    generate([{ name: 'commonName', value: cn }], {
      ...opts,
      ca: { key: signer.private, cert: signer.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', [usage]: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
      ],
    });
  const server = await signed('localhost', 'serverAuth');
  const client = await signed('baton-client', 'clientAuth');
  const otherCa = await generate([{ name: 'commonName', value: 'someone else' }], { ...opts, extensions: [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true }] });
  const stranger = await signed('stranger', 'clientAuth', otherCa);
  return { caCert: ca.cert, serverCert: server.cert, serverKey: server.private, clientCert: client.cert, clientKey: client.private, strangerCert: stranger.cert, strangerKey: stranger.private };
}
