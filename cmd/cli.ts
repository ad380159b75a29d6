/**
 * The CLI shell: parse argv with yargs (the one parser), hand the given flags and the environment to
 * pkg/config, which builds the frozen Config (listing every usage problem at once), create the
 * logger, and hand over to one subcommand. Returns the exit code.
 */
import yargs, { type Argv, type Options } from 'yargs';
import { resolveConfig, secretValues } from '../pkg/config/config.js';
import { FIELDS, envName, type FieldSpec } from '../pkg/config/fields.js';
import { rawValues, type Environment } from '../pkg/config/sources.js';
import { createLogger } from '../pkg/log/logger.js';
import { scrubSecrets } from '../pkg/log/redact.js';
import { capabilitiesCommand } from './capabilities-command.js';
import { EXIT_FAILURE, writeUsageError, type CommandContext, type Subcommand } from './command.js';
import { configCommand } from './config-command.js';
import { dumpCommand } from './dump-command.js';
import { flagProblems } from './flag-problems.js';
import { reportCommand } from './report-command.js';
import { serveCommand } from './serve.js';
import { SharedStderr } from './shared-stderr.js';
import { syncCommand } from './sync-command.js';
import { packageVersion } from './version.js';

const COMMANDS: readonly Subcommand[] = [syncCommand, dumpCommand, reportCommand, capabilitiesCommand, configCommand, serveCommand];

/** Streams, signal and environment of one CLI run (the process's own in production). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  signal: AbortSignal;
  /** Where `BATON_*` values come from; default process.env. */
  env?: Environment;
}

function yargsOption(field: FieldSpec): Options {
  // Other local users can read a process's command line; secrets are safer in the environment.
  const hint = field.secret ? ` (prefer ${envName(field.name)}: command lines are visible to other users)` : ` [${envName(field.name)}]`;
  const option: Options = {
    describe: `${field.description}${hint}`,
    group: groupTitle(field),
    // Ints stay strings so a bad value is reported with its text instead of becoming NaN.
    type: field.kind === 'bool' ? 'boolean' : 'string',
  };
  if (field.alias) option.alias = field.alias;
  if (field.kind === 'string-slice') option.array = true;
  // Shown, not applied: argv holds only the flags given, so a BATON_* variable is not hidden by a
  // default (pkg/config applies the declared defaults).
  if (field.defaultValue !== undefined && field.kind !== 'bool') option.defaultDescription = JSON.stringify(field.defaultValue);
  if (field.notAvailableYet) option.hidden = true;
  return option;
}

function groupTitle(field: FieldSpec): string {
  switch (field.area) {
    case 'tableau':
      return 'Tableau:';
    case 'credentials':
      return 'Credentials (exactly one kind):';
    case 'sync':
    case 'ops':
      return 'Output and logging:';
    case 'serve':
      return 'Serve (baton-tableau serve):';
    default:
      return 'Provisioning and service:';
  }
}

const FLAG_FIELDS = FIELDS.filter((field) => !field.envOnly);
const ENV_ONLY_HELP = FIELDS.filter((field) => field.envOnly)
  .map((field) => `  ${envName(field.name)}  ${field.description}`)
  .join('\n');

function buildParser(args: string[], yargsProblems: string[]): Argv {
  let parser = yargs(args)
    .scriptName('baton-tableau')
    .usage('$0 [command] [flags]\n\nWithout a command: sync Tableau into the c1z file given by --file.')
    .options(Object.fromEntries(FLAG_FIELDS.map((field) => [field.name, yargsOption(field)])));
  for (const command of COMMANDS.filter((c) => c.name !== '$0')) {
    parser = parser.command(command.name, command.describe, (y) => y.options({ ...command.options }));
  }
  return parser
    .strictCommands()
    .epilogue(`Every flag is also read from BATON_<FLAG_IN_UPPER_SNAKE>. Environment only:\n${ENV_ONLY_HELP}`)
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, err) => {
      yargsProblems.push(message ?? err?.message ?? 'invalid command line');
    });
}

/** Runs baton-tableau with `args` (argv without node and script) and returns the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const yargsProblems: string[] = [];
  const argv = (await buildParser(args, yargsProblems).parseAsync()) as Record<string, unknown>;
  if (argv['help'] === true || argv['version'] === true) return 0;
  const positional = (argv['_'] as unknown[] | undefined) ?? [];
  const command = COMMANDS.find((c) => c.name === String(positional[0] ?? '$0')) ?? syncCommand;
  const problems = [...yargsProblems, ...flagProblems(args, Object.keys(command.options ?? {}))];
  const raw = rawValues(argv, io.env ?? process.env);
  const resolved = resolveConfig(raw, { needsTableau: command.needsTableau, serve: command.serve === true });
  if (!resolved.ok) problems.push(...resolved.problems);
  if (problems.length > 0 || !resolved.ok) return writeUsageError(io.stderr, problems, secretValues(raw));
  const { config } = resolved;
  const sink = new SharedStderr(io.stderr);
  const log = createLogger({ level: config.logLevel, format: config.logFormat, secrets: config.secrets, sink });
  const ctx: CommandContext = { config, argv, log, signal: io.signal, stdout: io.stdout, stderr: io.stderr, liveLine: sink };
  try {
    return await command.run(ctx);
  } catch (err) {
    log.debug({ err }, 'command failed');
    io.stderr.write(`baton-tableau: ${scrubSecrets(errorMessage(err), config.secrets)}\n`);
    return EXIT_FAILURE;
  }
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
