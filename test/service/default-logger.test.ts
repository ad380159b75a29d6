/**
 * runServe without a logger: it logs to stderr through pkg/log, so the Tableau credentials' secrets
 * are scrubbed even for library callers that did not build a redacting logger themselves.
 */
import { afterEach, expect, test, vi } from 'vitest';
import { runServe } from '../../pkg/service/run-serve.js';
import { connectTableau } from '../../pkg/compose/tableau-connection.js';
import type { ServeOptions } from '../../pkg/service/options.js';

const SECRET = 'pat-secret-7f3a9c';
const opts: ServeOptions = {
  // Nothing listens on port 9: readiness keeps failing quietly, which is all this test needs.
  tableau: { serverUrl: 'http://127.0.0.1:9', credentials: { kind: 'pat', name: 'n', secret: SECRET }, sites: { contentUrls: [''] } },
  listen: '127.0.0.1:0',
  shutdownTimeoutMs: 1_000,
};

afterEach(() => vi.restoreAllMocks());

test('the default logger writes to stderr with the credential secrets scrubbed', async () => {
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
  const service = await runServe(opts, {
    stdout: { write: () => true },
    connect: (o, log) => {
      log.warn(`signing in with ${SECRET}`);
      return connectTableau(o.tableau, log);
    },
  });
  await service.close();
  vi.restoreAllMocks();
  const text = written.join('');
  expect(text).toContain('signing in with [REDACTED]');
  expect(text).toContain('"msg":"serving"');
  expect(text).not.toContain(SECRET);
});
