/**
 * Normalising `--server-path`: a bare host means https; plain http is allowed only to loopback hosts,
 * because PAT secrets, passwords and session tokens would otherwise cross the network in clear text.
 */
import { isIP } from 'node:net';

/** The outcome of parsing `--server-path`: a URL string (no trailing slash) or a problem for the user. */
export type ServerUrlResult = { ok: true; url: string } | { ok: false; problem: string };

export function parseServerPath(input: string): ServerUrlResult {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: '--server-path is empty' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, problem: `--server-path "${trimmed}" is not a valid host or URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: `--server-path must use https:// (got ${url.protocol}//)` };
  }
  if (url.username || url.password) {
    return { ok: false, problem: '--server-path must not contain credentials; use the credential flags' };
  }
  if (url.search || url.hash) {
    return { ok: false, problem: '--server-path must not contain a query string or fragment' };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      ok: false,
      problem: `--server-path: plain http:// is only allowed to loopback hosts (127.0.0.0/8, ::1, localhost); use https://${url.host}`,
    };
  }
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/**
 * True for `localhost`, 127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8 (`::ffff:127.0.0.1`, or
 * `::ffff:7f00:1` as URL parsing writes it). Brackets around IPv6 are allowed: URL hostnames keep them.
 * The one loopback rule of the project: `--server-path` and `serve --listen` both use it.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) !== 6) return false;
  // WHATWG URL parsing already compresses IPv6, so `0:0:…:1` arrives here as `::1`.
  return host === '::1' || host.startsWith('::ffff:127.') || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}
