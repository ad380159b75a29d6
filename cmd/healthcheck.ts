/**
 * Container health probe: `node dist/cmd/healthcheck.js` exits 0 when `/healthz` answers 200.
 * The slim runtime image has no curl or wget. The address comes from BATON_HTTP_LISTEN (a wildcard
 * host is probed on loopback); an optional argument overrides it.
 */
import { request } from 'node:http';

const TIMEOUT_MS = 3_000;

/** The address to probe for a listen address: wildcard hosts become loopback. */
function probeAddress(listen: string): string {
  return listen.replace(/^(0\.0\.0\.0|\[::\]|::):/, '127.0.0.1:').replace(/^:/, '127.0.0.1:');
}

function probe(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`http://${address}/healthz`, { timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

const listen = process.argv[2] ?? process.env['BATON_HTTP_LISTEN'] ?? '127.0.0.1:8080';
void probe(probeAddress(listen)).then((ok) => process.exit(ok ? 0 : 1));
