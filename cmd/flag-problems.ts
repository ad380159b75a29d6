/**
 * The check of the command line that yargs (the one parser, cmd/cli.ts) cannot do safely: its own
 * unknown-argument messages would quote pieces of a value that looks like a flag (a pasted secret).
 */
import { FIELDS } from '../pkg/config/fields.js';

/**
 * Problems with the flags on the command line: flags no field (or command-specific option) declares,
 * and value flags followed by something that looks like a flag. Only flag names are ever quoted:
 * `--password -Secret1` must not print `-Secret1`, and `-xSecret` or `--bogus=Secret` could hold one too.
 */
export function flagProblems(args: readonly string[], extraNames: readonly string[]): string[] {
  const known = new Set<string>(['help', 'h', 'version', ...extraNames]);
  const takesValue = new Set<string>();
  for (const field of FIELDS.filter((f) => !f.envOnly)) {
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
