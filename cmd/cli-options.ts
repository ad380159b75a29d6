/**
 * Turning the declared fields (pkg/config/fields.ts) into yargs options, reading the parsed values
 * back by field name, and finding unknown flags. Unknown flags are checked on argv ourselves because
 * yargs' `.strict()` would also reject unrelated `BATON_*` variables present in a pod's environment.
 */
import type { Options } from 'yargs';
import type { RawValues } from '../pkg/config/config.js';
import { FIELDS, camelName, envName, type FieldSpec } from '../pkg/config/fields.js';

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
  if (field.defaultValue !== undefined && field.kind !== 'bool') option.default = field.defaultValue;
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

/** Every declared field as a yargs option, keyed by flag name. */
export function yargsOptions(): Record<string, Options> {
  return Object.fromEntries(FIELDS.map((field) => [field.name, yargsOption(field)]));
}

/** Whether `field` appears on the command line (any spelling yargs accepts). */
function flagGiven(args: readonly string[], field: FieldSpec): boolean {
  const names = [`--${field.name}`, `--no-${field.name}`, ...(field.alias ? [`-${field.alias}`] : [])];
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((arg) => names.includes(arg.replace(/=.*$/, '')));
}

/**
 * A boolean from the environment with Go's strconv.ParseBool spellings (what the Baton SDK's viper
 * accepts). yargs would read "1" or "yes" silently as false; anything unknown stays a string so
 * config validation reports it.
 */
function envBoolean(value: string): boolean | string {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return value;
}

/** Values by field name: flags first, then `BATON_*` env (yargs merged them; booleans are re-read from env). */
export function rawValues(
  argv: Record<string, unknown>,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): RawValues {
  const entries = FIELDS.map((field): [string, unknown] => {
    if (field.kind === 'bool' && !flagGiven(args, field)) {
      const fromEnv = env[envName(field.name)];
      return [field.name, fromEnv === undefined ? undefined : envBoolean(fromEnv)];
    }
    return [field.name, argv[camelName(field.name)] ?? argv[field.name]];
  });
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

/**
 * Problems with the flags on the command line: flags no field (or command-specific option) declares,
 * and value flags followed by something that looks like a flag. Only flag names are ever quoted:
 * `--password -Secret1` must not print `-Secret1`, and `-xSecret` or `--bogus=Secret` could hold one too.
 */
export function flagProblems(args: readonly string[], extraNames: readonly string[]): string[] {
  const known = new Set<string>(['help', 'h', 'version', ...extraNames]);
  const takesValue = new Set<string>();
  for (const field of FIELDS) {
    for (const name of field.alias ? [field.name, field.alias] : [field.name]) {
      known.add(name);
      if (field.kind !== 'bool') takesValue.add(name);
    }
  }
  const problems: string[] = [];
  const end = args.indexOf('--');
  const flags = end < 0 ? args : args.slice(0, end);
  for (let i = 0; i < flags.length; i++) {
    const name = flagName(flags[i]!);
    if (name === undefined) continue;
    if (!known.has(name) && !known.has(name.replace(/^no-/, ''))) problems.push(`unknown flag ${spelled(name)}`);
    const next = flags[i + 1];
    const inlineValue = flags[i]!.includes('=') || (!flags[i]!.startsWith('--') && flags[i]!.length > 2);
    if (takesValue.has(name) && !inlineValue && next !== undefined && flagName(next) !== undefined) {
      problems.push(`${spelled(name)} needs a value (write a value that starts with "-" as ${spelled(name)}=VALUE)`);
      i++;
    }
  }
  return [...new Set(problems)];
}

const spelled = (name: string): string => (name.length === 1 ? `-${name}` : `--${name}`);

function flagName(arg: string): string | undefined {
  if (arg.startsWith('--')) return arg.slice(2).replace(/=.*$/, '');
  // `-f` / `-fsync.c1z`: a one-letter alias; a lone `-` (stdin) or a negative number is a value.
  if (/^-[a-zA-Z]/.test(arg)) return arg.slice(1, 2);
  return undefined;
}
