/**
 * The pino logger factory of the CLI. Logs go to stderr (stdout carries data: dump, config,
 * capabilities), as JSON lines or a short human format, and every line passes through secret
 * redaction before it is written.
 */
import { pino, type Logger } from 'pino';
import { formatConsoleLine } from './console-format.js';
import { REDACT_PATHS, REDACTED, scrubSecrets } from './redact.js';

export type { Logger } from 'pino';

/** Where log lines go: anything with a synchronous-enough `write` (process.stderr, a test buffer). */
export interface LogSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Undefined = console on a terminal, else json (the Baton SDK's default). */
  format?: 'json' | 'console';
  /** Secret values to scrub from every line (PAT secret, passwords, client secret, ...). */
  secrets?: readonly string[];
  /** Defaults to process.stderr. */
  sink?: LogSink;
}

export function createLogger(options: LoggerOptions): Logger {
  const sink = options.sink ?? process.stderr;
  const format = options.format ?? (sink.isTTY ? 'console' : 'json');
  const secrets = [...(options.secrets ?? [])];
  const color = format === 'console' && sink.isTTY === true && !process.env['NO_COLOR'];
  const destination = {
    write(line: string): void {
      const clean = scrubSecrets(line, secrets);
      sink.write(format === 'console' ? formatConsoleLine(clean, color) : clean);
    },
  };
  return pino(
    {
      level: options.level,
      base: { name: 'baton-tableau' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    },
    destination,
  );
}
