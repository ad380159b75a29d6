/**
 * What every subcommand module exports, and the small shared helpers they use. Commands return an
 * exit code instead of calling process.exit, so stdout and stderr always flush.
 */
import type { Options } from 'yargs';
import type { Config } from '../pkg/config/config.js';
import type { Logger } from '../pkg/log/logger.js';
import { scrubSecrets } from '../pkg/log/redact.js';
import type { LiveLine } from './shared-stderr.js';

/** Exit codes of the CLI (CONTRACTS §2). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/** Everything a subcommand gets from the CLI shell. */
export interface CommandContext {
  readonly config: Config;
  /** Parsed argv, for command-specific options only (e.g. `report --csv`); every field is in `config`. */
  readonly argv: Readonly<Record<string, unknown>>;
  readonly log: Logger;
  /** Fires on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Set while a progress line is drawn on stderr, so log lines erase it first. */
  readonly liveLine?: LiveLine;
}

/** One subcommand of baton-tableau. */
export interface Subcommand {
  /** yargs command name; `$0` is the default (one-shot sync). */
  readonly name: string;
  readonly describe: string;
  /** Whether the command needs server path, credentials and sites. */
  readonly needsTableau: boolean;
  /** Whether the command serves gRPC: `--listen` is required and the listener rules are checked. */
  readonly serve?: boolean;
  /** Options only this command understands. */
  readonly options?: Readonly<Record<string, Options>>;
  run(ctx: CommandContext): Promise<number>;
}

/** Writes text to a stream and waits when its buffer is full (large dumps piped into a pager). */
export async function writeText(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (stream.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error): void => {
      stream.off('drain', onDrain);
      stream.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => done();
    stream.once('drain', onDrain);
    stream.once('error', done);
  });
}

/**
 * Writes every usage problem at once (deduplicated, secrets scrubbed: a problem may quote a flag value
 * that holds a secret) and returns exit code 2.
 */
export function writeUsageError(stderr: NodeJS.WritableStream, problems: readonly string[], secrets: readonly string[]): number {
  const unique = [...new Set(problems.map((p) => scrubSecrets(p, secrets)))];
  const lines = unique.map((p) => `  - ${p}`).join('\n');
  stderr.write(`baton-tableau: usage error (${unique.length} problem${unique.length === 1 ? '' : 's'}):\n${lines}\n`);
  stderr.write('Run "baton-tableau --help" to see every flag.\n');
  return EXIT_USAGE;
}
