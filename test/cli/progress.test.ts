import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SharedStderr } from '../../cmd/shared-stderr.js';
import { createProgressReporter } from '../../cmd/sync-progress.js';
import { createLogger } from '../../pkg/log/logger.js';

/** A writable that claims to be a terminal and keeps what was written. */
function fakeTerminal(isTTY = true): Writable & { isTTY: boolean; columns: number; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY, columns: 100, text: () => chunks.join('') });
}

const progress = (grants: number) => ({
  phase: 'grants' as const,
  counts: { resourceTypes: 4, resources: 10, entitlements: 5, grants },
  pendingActions: 1,
});

describe('progress on a terminal', () => {
  it('draws counters and prints log lines above them, then gives stderr back', () => {
    const terminal = fakeTerminal();
    const shared = new SharedStderr(terminal);
    const log = createLogger({ level: 'info', format: 'console', sink: shared });
    const reporter = createProgressReporter(terminal, log, shared);
    reporter.update(progress(7));
    log.info('page done');
    reporter.update(progress(9));
    reporter.stop();
    log.info('after the bar');
    const out = terminal.text();
    // The display renders on its own timer; stop() draws the last state after the pending log lines.
    const clearLine = '\u001b[2K';
    const logAt = out.indexOf('page done');
    expect(out.lastIndexOf(clearLine, logAt)).toBeGreaterThanOrEqual(0);
    expect(out.indexOf('Syncing grants | resources 10 | entitlements 5 | grants 9')).toBeGreaterThan(logAt);
    expect(out.trimEnd().endsWith('after the bar')).toBe(true);
  });

  it('logs progress as structured lines when stderr is not a terminal', () => {
    const pipe = fakeTerminal(false);
    const lines: string[] = [];
    const log = createLogger({ level: 'info', format: 'json', sink: { write: (t: string) => lines.push(t) } });
    const reporter = createProgressReporter(pipe, log);
    reporter.update(progress(3));
    reporter.update(progress(4));
    reporter.stop();
    expect(pipe.text()).toBe('');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ msg: 'sync progress', step: 'progress', progress: { phase: 'grants', grants: 3 } });
  });
});
