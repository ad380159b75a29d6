import { describe, expect, it } from 'vitest';
import { formatConsoleLine } from '../../pkg/log/console-format.js';
import { createLogger } from '../../pkg/log/logger.js';
import { scrubSecrets } from '../../pkg/log/redact.js';

function capture(format: 'json' | 'console', secrets: string[] = []) {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', format, secrets, sink: { write: (t: string) => lines.push(t) } });
  return { log, text: () => lines.join('') };
}

describe('logger', () => {
  it('writes JSON lines with level names', () => {
    const { log, text } = capture('json');
    log.info({ step: 'users', count: 3 }, 'page done');
    const record = JSON.parse(text()) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 'info', msg: 'page done', step: 'users', count: 3 });
  });

  it('redacts secret keys and scrubs known secret values anywhere in a line', () => {
    const secret = 'pat-secret-XYZ"123';
    const { log, text } = capture('json', [secret]);
    log.info({ password: 'hunter2-long', headers: { authorization: 'Bearer abc.def' }, creds: { token: 'sess-token-1' } }, 'signin');
    log.error(`failed with ${secret} inside`);
    log.warn({ detail: { nested: { deep: secret } } }, 'deep');
    const out = text();
    for (const leaked of ['hunter2-long', 'Bearer abc.def', 'sess-token-1', 'pat-secret-XYZ']) expect(out).not.toContain(leaked);
    expect(out.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it('redacts Tableau auth headers wherever they sit', () => {
    const { log, text } = capture('json');
    log.info({ 'x-tableau-auth': 'tok-a1', headers: { 'x-tableau-auth': 'tok-a2', cookie: 'tok-a3' }, req: { headers: { authorization: 'tok-a4' } } }, 'm');
    expect(text()).not.toMatch(/tok-a/);
  });

  it('formats console lines for people', () => {
    const { log, text } = capture('console', ['abcd-secret']);
    log.warn({ site: 'sales', n: 2 }, 'slow page abcd-secret');
    expect(text()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}slow page \[REDACTED\] site=sales n=2\n$/);
  });

  it('respects the level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', format: 'json', sink: { write: (t: string) => lines.push(t) } });
    log.info('hidden');
    log.warn('shown');
    expect(lines).toHaveLength(1);
  });
});

describe('scrubSecrets and the console formatter', () => {
  it('replaces raw, JSON-escaped and URL-encoded forms', () => {
    expect(scrubSecrets('a "q\\"x" b q"x c q%22x', ['q"x'])).toBe('a "q\\"x" b q"x c q%22x');
    expect(scrubSecrets('a q\\"xyz b q"xyz c q%22xyz', ['q"xyz'])).toBe('a [REDACTED] b [REDACTED] c [REDACTED]');
  });

  it('passes non-JSON lines through unchanged', () => {
    expect(formatConsoleLine('plain text\n', false)).toBe('plain text\n');
  });
});
