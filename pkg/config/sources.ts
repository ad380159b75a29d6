/**
 * Raw values by field name from what cmd/ hands over: the flags the CLI parsed and the process
 * environment. pkg/config reads neither argv nor env itself; it only interprets these two maps.
 */
import type { RawValues } from './config.js';
import { FIELDS, envName, type FieldSpec } from './fields.js';

/** Flags as parsed (only those given on the command line), keyed by field name. */
export type GivenFlags = Readonly<Record<string, unknown>>;

/** Environment variables (`process.env` in production). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Each field's value: the flag when given, else its `BATON_*` variable, else absent (resolveConfig
 * applies the declared default). Env-only fields are read from the environment alone.
 */
export function rawValues(flags: GivenFlags, env: Environment): RawValues {
  const entries = FIELDS.map((field): [string, unknown] => {
    const flag = field.envOnly ? undefined : flags[field.name];
    if (flag !== undefined) return [field.name, flag];
    const text = env[envName(field.name)];
    return [field.name, text === undefined ? undefined : fromEnv(field, text)];
  });
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

/**
 * A variable's text as the field's kind. Booleans take Go's strconv.ParseBool spellings (what the
 * Baton SDK's viper accepts); anything else stays text so that validation reports it.
 */
function fromEnv(field: FieldSpec, text: string): unknown {
  if (field.kind !== 'bool') return text;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  return text;
}
