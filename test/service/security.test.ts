/** The listen-address rules of `serve`: what is loopback, and when a listener must be protected. */
import { describe, expect, it } from 'vitest';
import { parseDurationMs } from '../../pkg/service/duration.js';
import { isLoopbackHost as configIsLoopbackHost, parseServerPath } from '../../pkg/config/server-url.js';
import { isLoopbackHost, parseListenAddress, securityProblems, securityWarnings, ServeUsageError } from '../../pkg/service/listen-address.js';
import { runServe } from '../../pkg/service/run-serve.js';
import type { ServeOptions } from '../../pkg/service/options.js';
import { capturingLogger } from './helpers.js';

const tableau: ServeOptions['tableau'] = {
  serverUrl: 'http://127.0.0.1:9',
  credentials: { kind: 'pat', name: 'n', secret: 's' },
  sites: { contentUrls: [''] },
};
const opts = (extra: Partial<ServeOptions>): ServeOptions => ({ tableau, listen: '127.0.0.1:0', ...extra });

describe('listen addresses', () => {
  it('parses HOST:PORT, bracketed IPv6 and rejects the rest', () => {
    expect(parseListenAddress('0.0.0.0:50051', '--listen')).toEqual({ host: '0.0.0.0', port: 50051 });
    expect(parseListenAddress('[::1]:0', '--listen')).toEqual({ host: '::1', port: 0 });
    for (const bad of ['50051', ':50051', 'host:', 'host:70000', '::1:50051']) {
      expect(() => parseListenAddress(bad, '--listen'), bad).toThrow(ServeUsageError);
    }
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com', '128.0.0.1', '::ffff:10.0.0.1', '::ffff:a00:1']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('is the same rule as --server-path uses (one function)', () => {
    expect(isLoopbackHost).toBe(configIsLoopbackHost);
    // URL parsing writes IPv4-mapped loopback in hex (::ffff:7f00:1); plain http to it is still loopback.
    expect(parseServerPath('http://[::ffff:127.0.0.1]:8080').ok).toBe(true);
    expect(parseServerPath('http://[::ffff:10.0.0.1]:8080').ok).toBe(false);
  });
});

describe('serve security rules', () => {
  it('refuses a non-loopback listener without TLS or a token, unless --insecure-listen', () => {
    expect(securityProblems(opts({ listen: '0.0.0.0:50051' })).join()).toMatch(/refusing .* non-loopback .*--insecure-listen/);
    expect(securityProblems(opts({ listen: '0.0.0.0:50051', insecureListen: true }))).toEqual([]);
    expect(securityProblems(opts({ listen: '0.0.0.0:50051', authTokenFile: '/t' }))).toEqual([]);
    expect(securityProblems(opts({ listen: '0.0.0.0:50051', tlsCertFile: '/c', tlsKeyFile: '/k' }))).toEqual([]);
    expect(securityProblems(opts({ listen: '127.0.0.1:50051' }))).toEqual([]);
  });

  it('warns that a bearer token without TLS on a non-loopback address crosses the network in clear text', () => {
    expect(securityWarnings(opts({ listen: '0.0.0.0:50051', authTokenFile: '/t' })).join()).toMatch(
      /bearer tokens will cross the network unencrypted; add --tls-cert\/--tls-key/,
    );
    expect(securityWarnings(opts({ listen: '0.0.0.0:50051', authTokenFile: '/t', tlsCertFile: '/c', tlsKeyFile: '/k' }))).toEqual([]);
    expect(securityWarnings(opts({ listen: '127.0.0.1:50051', authTokenFile: '/t' }))).toEqual([]);
    expect(securityWarnings(opts({ listen: '0.0.0.0:50051', insecureListen: true }))).toEqual([]);
  });

  it('runServe logs that warning at start', async () => {
    const { log, lines } = capturingLogger();
    // A missing token file stops runServe before it binds anything, after the start-up warning.
    await runServe(opts({ listen: '192.0.2.1:0', authTokenFile: '/nonexistent/token' }), { log, stdout: { write: () => true } }).catch(() => undefined);
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((l) => l.level === 40);
    expect(warnings.map((w) => w.msg).join()).toMatch(/bearer tokens will cross the network unencrypted/);
  });

  it('lists every problem at once', () => {
    const problems = securityProblems(opts({ listen: '10.1.2.3:1', tlsCertFile: '/c', tlsClientCaFile: '/ca', httpListen: 'nope' }));
    expect(problems).toHaveLength(4);
  });

  it('runServe throws a ServeUsageError (exit code 2) before binding anything', async () => {
    const { log } = capturingLogger();
    const err = await runServe(opts({ listen: '0.0.0.0:0' }), { log, stdout: { write: () => true } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServeUsageError);
    expect((err as ServeUsageError).exitCode).toBe(2);
    const missing = await runServe(opts({ authTokenFile: '/nonexistent/token' }), { log, stdout: { write: () => true } }).catch((e: unknown) => e);
    expect((missing as ServeUsageError).problems.join()).toMatch(/--auth-token-file .* cannot be read \(ENOENT\)/);
  });
});

describe('durations', () => {
  it('reads Go-style durations and bare seconds', () => {
    expect(parseDurationMs('15m')).toBe(900_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('30')).toBe(30_000);
    expect(parseDurationMs('0')).toBe(0);
    expect(parseDurationMs('fast')).toBeUndefined();
    expect(parseDurationMs('10d')).toBeUndefined();
  });
});
