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

/** Values by field name, taken from the parsed argv (flags and `BATON_*` env already merged). */
export function rawValues(argv: Record<string, unknown>): RawValues {
  const entries = FIELDS.map((field) => [field.name, argv[camelName(field.name)] ?? argv[field.name]] as const);
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

/** Flags on the command line that no field (or command-specific option) declares. */
export function unknownFlags(args: readonly string[], extraNames: readonly string[]): string[] {
  const known = new Set<string>(['help', 'h', 'version', ...extraNames]);
  for (const field of FIELDS) {
    known.add(field.name);
    if (field.alias) known.add(field.alias);
  }
  const unknown: string[] = [];
  for (const arg of args) {
    if (arg === '--') break;
    const name = flagName(arg);
    if (name === undefined) continue;
    if (!known.has(name) && !known.has(name.replace(/^no-/, ''))) unknown.push(arg.replace(/=.*$/, ''));
  }
  return [...new Set(unknown)];
}

function flagName(arg: string): string | undefined {
  if (arg.startsWith('--')) return arg.slice(2).replace(/=.*$/, '');
  // `-f` / `-fsync.c1z`: a one-letter alias; a lone `-` (stdin) or a negative number is a value.
  if (/^-[a-zA-Z]/.test(arg)) return arg.slice(1, 2);
  return undefined;
}
