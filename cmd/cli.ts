/**
 * The CLI shell: parse argv + `BATON_*` env with yargs, build the frozen Config (listing every usage
 * problem at once), create the logger, and hand over to one subcommand. Returns the exit code.
 */
import yargs, { type Argv } from 'yargs';
import { resolveConfig, secretValues, type RawValues } from '../pkg/config/config.js';
import { FIELDS, camelName } from '../pkg/config/fields.js';
import { createLogger } from '../pkg/log/logger.js';
import { scrubSecrets } from '../pkg/log/redact.js';
import { capabilitiesCommand } from './capabilities-command.js';
import { flagProblems, rawValues, yargsOptions } from './cli-options.js';
import { EXIT_FAILURE, writeUsageError, type CommandContext, type Subcommand } from './command.js';
import { configCommand } from './config-command.js';
import { dumpCommand } from './dump-command.js';
import { reportCommand } from './report-command.js';
import { serveCommand } from './serve.js';
import { SharedStderr } from './shared-stderr.js';
import { syncCommand } from './sync-command.js';
import { packageVersion } from './version.js';

const COMMANDS: readonly Subcommand[] = [syncCommand, dumpCommand, reportCommand, capabilitiesCommand, configCommand, serveCommand];

/** Streams and signal of one CLI run (process streams in production). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  signal: AbortSignal;
}

function buildParser(args: string[], yargsProblems: string[]): Argv {
  let parser = yargs(args)
    .scriptName('baton-tableau')
    .usage('$0 [command] [flags]\n\nWithout a command: sync Tableau into the c1z file given by --file.')
    .env('BATON')
    .options(yargsOptions());
  for (const command of COMMANDS.filter((c) => c.name !== '$0')) {
    parser = parser.command(command.name, command.describe, (y) => y.options({ ...command.options }));
  }
  return parser
    .strictCommands()
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, err) => {
      yargsProblems.push(message ?? err?.message ?? 'invalid command line');
    });
}

/**
 * yargs' `.env()` also maps BATON_HELP / BATON_VERSION (and one-letter aliases) onto --help and
 * --version; those are never configuration, so a pod that happens to set them must not change the mode.
 */
function dropNonConfigEnv(): void {
  for (const name of ['BATON_HELP', 'BATON_H', 'BATON_VERSION']) delete process.env[name];
}

/** Runs baton-tableau with `args` (argv without node and script) and returns the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  dropNonConfigEnv();
  const yargsProblems: string[] = [];
  const argv = (await buildParser(args, yargsProblems).parseAsync()) as Record<string, unknown>;
  if (argv['help'] === true || argv['version'] === true) return 0;
  const positional = (argv['_'] as unknown[] | undefined) ?? [];
  const command = COMMANDS.find((c) => c.name === String(positional[0] ?? '$0')) ?? syncCommand;
  const problems = [...yargsProblems, ...flagProblems(args, Object.keys(command.options ?? {}))];
  const raw = rawValues(argv, args);
  const serviceEnv = { apiHost: process.env['BATON_C1_API_HOST'], hostId: process.env['BATON_HOST_ID'] };
  const resolved = resolveConfig(raw, { needsTableau: command.needsTableau, serviceEnv });
  if (!resolved.ok) problems.push(...resolved.problems);
  if (problems.length > 0 || !resolved.ok) return usageError(io, problems, secretValues(raw));
  const { config } = resolved;
  const sink = new SharedStderr(io.stderr);
  const log = createLogger({ level: config.logLevel, format: config.logFormat, secrets: config.secrets, sink });
  const ctx: CommandContext = {
    config,
    argv: withResolvedBooleans(argv, raw),
    log,
    signal: io.signal,
    stdout: io.stdout,
    stderr: io.stderr,
    liveLine: sink,
  };
  try {
    return await command.run(ctx);
  } catch (err) {
    log.debug({ err }, 'command failed');
    io.stderr.write(`baton-tableau: ${scrubSecrets(errorMessage(err), config.secrets)}\n`);
    return EXIT_FAILURE;
  }
}

/** argv with boolean fields as resolved from flags and env, for commands that read argv directly. */
function withResolvedBooleans(argv: Record<string, unknown>, raw: RawValues): Record<string, unknown> {
  const out = { ...argv };
  for (const field of FIELDS.filter((f) => f.kind === 'bool')) {
    const value = raw[field.name] === true;
    out[field.name] = value;
    out[camelName(field.name)] = value;
  }
  return out;
}

function usageError(io: CliIo, problems: string[], secrets: readonly string[]): number {
  return writeUsageError(io.stderr, problems, secrets);
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
