/**
 * The one frozen, typed Config of a baton-tableau run, built from raw flag/env values (yargs has
 * already applied "flags win over env"). Validation collects every problem instead of stopping at
 * the first, so a usage error can list them all at once.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { hostname } from 'node:os';
import { checkApiHost, parseClientId, parseClientSecret, taskConcurrency, type ConductorOneSettings } from './conductorone.js';
import { resolveCredentials, type Credentials } from './credentials.js';
import { FIELDS, envName, fieldDefault, type FieldSpec } from './fields.js';
import { resolveScim, scimOverrideProblem, type ScimSettings } from './scim.js';
import { resolveProvisioning, type ProvisioningAction, type ProvisioningSettings } from './provisioning.js';
import { parseServerPath } from './server-url.js';
import { parseDurationMs } from './duration.js';
import type { SiteSelection } from '../tableau/types.js';
import { resolveServe, serveProblems, type ServeSettings } from './serve.js';

export type { ProvisioningAction, ProvisioningSettings } from './provisioning.js';
export { DEFAULT_PROVISIONING_SETTINGS } from './provisioning.js';
export type { ConductorOneClientId, ConductorOneSettings, Ed25519PrivateJwk } from './conductorone.js';

type LogLevel = 'debug' | 'info' | 'warn' | 'error';
type LogFormat = 'json' | 'console';

/** Everything needed to talk to Tableau. */
export interface TableauSettings {
  /** Normalised origin + path, no trailing slash (`https://tableau.example.com`). */
  readonly serverUrl: string;
  readonly credentials: Credentials;
  readonly sites: SiteSelection;
  readonly apiVersion?: string;
  /**
   * How long one Tableau request keeps retrying through an outage, from its first failure
   * (`--retry-budget`; the CLI always sets it, absent = the client's 5-minute default).
   */
  readonly retryBudgetMs?: number;
  readonly caFile?: string;
  /** PEM contents of `--ca-file`. */
  readonly ca?: string;
  /** The opt-in SCIM read (`--scim-base-url`, `--scim-token`). */
  readonly scim?: ScimSettings;
}

/** The validated configuration of one run. */
export interface Config {
  readonly file: string;
  readonly concurrency: number;
  readonly logLevel: LogLevel;
  /** Undefined = choose by whether stderr is a terminal. */
  readonly logFormat?: LogFormat;
  /** Present when the command talks to Tableau (the one-shot sync). */
  readonly tableau?: TableauSettings;
  /** Present with `-p`: grant / revoke / create / delete are enabled, with these settings. */
  readonly provisioning?: ProvisioningSettings;
  /** A one-shot provisioning request (`--grant-entitlement ...`) instead of a sync. */
  readonly action?: ProvisioningAction;
  /** Present when a client id is given: the default command runs ConductorOne service mode. */
  readonly conductorOne?: ConductorOneSettings;
  /** The serve flags (listener, TLS, auth, sync interval, drain); service mode uses httpListen and shutdownTimeoutMs. */
  readonly serve: ServeSettings;
  /** Every secret value given (never printed; fed to log redaction). */
  readonly secrets: readonly string[];
}

/** Raw values keyed by field name (`server-path`), as parsed from flags and env. */
export type RawValues = Readonly<Record<string, unknown>>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export interface ResolveOptions {
  /** Validate and build the Tableau part (server, credentials, sites). */
  needsTableau: boolean;
  /** `serve`: --listen is required and the listener rules are checked with the other problems. */
  serve?: boolean;
  /**
   * Service-mode settings the Go SDK reads from env only; default: the env-only fields
   * `c1-api-host` (`BATON_C1_API_HOST`) and `host-id` (`BATON_HOST_ID`) of `raw`.
   */
  serviceEnv?: { readonly apiHost?: string | undefined; readonly hostId?: string | undefined };
}

export function resolveConfig(raw: RawValues, options: ResolveOptions): ConfigResult {
  const problems: string[] = [];
  const str = (name: string): string | undefined => stringValue(raw[name]);
  problems.push(...unavailableProblems(raw), ...booleanProblems(raw));
  const logLevel = choice<LogLevel>('log-level', str('log-level') ?? 'info', problems);
  const logFormatRaw = str('log-format');
  const logFormat = logFormatRaw === undefined ? undefined : choice<LogFormat>('log-format', logFormatRaw, problems);
  const concurrency = positiveInt('concurrency', raw['concurrency'] ?? 4, problems);
  const file = str('file') ?? 'sync.c1z';
  const tableau = options.needsTableau ? resolveTableau(raw, problems) : undefined;
  if (str('deprovision-policy') !== undefined) choice('deprovision-policy', str('deprovision-policy') ?? '', problems);
  const resolved = resolveProvisioning(str, raw['provisioning'] === true, raw['dry-run'] === true, problems);
  const { action } = resolved;
  if (raw['allow-pool-lockout'] === true && raw['provisioning'] !== true) problems.push('--allow-pool-lockout needs --provisioning (-p)');
  const pooled = resolved.settings && raw['allow-pool-lockout'] === true ? { ...resolved.settings, allowPoolLockout: true } : resolved.settings;
  const settings = withScimOverride(pooled, raw['scim-override'] === true, problems);
  const conductorOne = options.needsTableau ? resolveConductorOne(raw, options, problems) : undefined;
  if (conductorOne && action) problems.push('ConductorOne service mode (--client-id) takes no one-shot provisioning flags');
  const serve = resolveServe(str, raw['insecure-listen'] === true, problems);
  if (options.serve) problems.push(...serveProblems(serve, action !== undefined));
  // Commands that sync write --file: a missing folder is found now, not after a long sync.
  if (options.needsTableau && !action && !conductorOne) checkOutputFolder(file, problems);
  if (problems.length > 0) return { ok: false, problems };
  const config: Config = {
    file,
    concurrency,
    logLevel,
    ...(logFormat ? { logFormat } : {}),
    ...(tableau ? { tableau: Object.freeze(tableau) } : {}),
    ...(settings ? { provisioning: Object.freeze(settings) } : {}),
    ...(action ? { action: Object.freeze(action) } : {}),
    ...(conductorOne ? { conductorOne: Object.freeze(conductorOne) } : {}),
    serve: Object.freeze(serve),
    secrets: Object.freeze(secretValues(raw)),
  };
  return { ok: true, config: Object.freeze(config) };
}

/** `--scim-override` joins the provisioning settings (a usage error without `-p`). */
function withScimOverride(settings: ProvisioningSettings | undefined, override: boolean, problems: string[]): ProvisioningSettings | undefined {
  const problem = scimOverrideProblem(override, settings !== undefined);
  if (problem !== undefined) problems.push(problem);
  return settings && override ? { ...settings, scimOverride: true } : settings;
}

function resolveTableau(raw: RawValues, problems: string[]): TableauSettings | undefined {
  const str = (name: string): string | undefined => stringValue(raw[name]);
  const before = problems.length;
  const server = str('server-path');
  let serverUrl = '';
  if (server === undefined) problems.push('missing --server-path (BATON_SERVER_PATH): the Tableau host or URL');
  else {
    const parsed = parseServerPath(server);
    if (parsed.ok) serverUrl = parsed.url;
    else problems.push(parsed.problem);
  }
  const { credentials, problems: credentialProblems } = resolveCredentials(str);
  problems.push(...credentialProblems);
  const sites = resolveSites(raw, problems);
  const apiVersion = str('api-version');
  if (apiVersion !== undefined && !/^\d+\.\d+$/.test(apiVersion)) {
    problems.push(`--api-version "${apiVersion}" is not a version like 3.29`);
  }
  const retryBudgetMs = retryBudget(str('retry-budget'), problems);
  const caFile = str('ca-file');
  const ca = caFile === undefined ? undefined : readCaFile(caFile, problems);
  const scim = resolveScim(str, problems);
  if (problems.length > before || !credentials) return undefined;
  return { serverUrl, credentials, sites, retryBudgetMs, ...(apiVersion ? { apiVersion } : {}), ...(caFile ? { caFile, ca } : {}), ...(scim ? { scim } : {}) };
}

/** Longest accepted budget: a day; a longer wait is a hang, not a retry. */
const MAX_RETRY_BUDGET_MS = 24 * 3_600_000;

function retryBudget(value: string | undefined, problems: string[]): number {
  const ms = parseDurationMs(value ?? String(fieldDefault('retry-budget')));
  if (ms === undefined || ms > MAX_RETRY_BUDGET_MS) {
    problems.push(`--retry-budget (${envName('retry-budget')}) "${value ?? ''}" is not a duration like 45s, 5m or 1h (at most 24h)`);
    return 0;
  }
  return ms;
}

/**
 * Service mode, as in the SDK: a client id selects it, and then both client id and secret are
 * required and checked. Without a client id a lone secret is an error too (it would be ignored).
 */
function resolveConductorOne(raw: RawValues, options: ResolveOptions, problems: string[]): ConductorOneSettings | undefined {
  const id = stringValue(raw['client-id']);
  const secret = stringValue(raw['client-secret']);
  if (id === undefined) {
    if (secret !== undefined) problems.push('--client-secret (BATON_CLIENT_SECRET) is given without --client-id (BATON_CLIENT_ID)');
    return undefined;
  }
  const before = problems.length;
  const clientId = parseClientId(id, problems);
  if (secret === undefined) problems.push('ConductorOne service mode needs --client-secret (BATON_CLIENT_SECRET) with --client-id');
  const key = secret === undefined ? undefined : parseClientSecret(secret, problems);
  const env = options.serviceEnv ?? { apiHost: stringValue(raw['c1-api-host']), hostId: stringValue(raw['host-id']) };
  const apiHost = env.apiHost ? checkApiHost(env.apiHost, problems) : undefined;
  const concurrency = taskConcurrency(raw['task-concurrency'], problems);
  if (env.hostId && env.hostId.length > 256) problems.push('BATON_HOST_ID is longer than 256 characters');
  if (problems.length > before || !clientId || !key) return undefined;
  const hostId = env.hostId || hostname() || 'baton-tableau';
  return { clientId, key, hostId, taskConcurrency: concurrency, ...(apiHost ? { apiHost } : {}) };
}

function resolveSites(raw: RawValues, problems: string[]): SiteSelection {
  const all = raw['all-sites'] === true;
  const given = raw['site-id'];
  if (all && given !== undefined) {
    problems.push('--all-sites and --site-id are mutually exclusive: give one or the other');
  }
  if (all) return { all: true };
  if (given === undefined) return { contentUrls: [''] };
  const list = (Array.isArray(given) ? given : [given]).map((v) => String(v));
  // `--site-id=` parses as an empty list; content URLs never contain commas, so env lists may use them.
  const urls = list.length === 0 ? [''] : list.flatMap((v) => v.split(',').map((s) => s.trim()));
  return { contentUrls: [...new Set(urls)] };
}

function checkOutputFolder(file: string, problems: string[]): void {
  const folder = dirname(resolve(file));
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    problems.push(`--file ${file}: the folder ${folder} does not exist`);
  }
}

function readCaFile(path: string, problems: string[]): string | undefined {
  try {
    const pem = readFileSync(path, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      problems.push(`--ca-file ${path} holds no PEM certificate`);
      return undefined;
    }
    return pem;
  } catch (err) {
    problems.push(`--ca-file ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

function unavailableProblems(raw: RawValues): string[] {
  return FIELDS.filter((f: FieldSpec) => f.notAvailableYet && isGiven(raw[f.name])).map(
    (f) => `--${f.name} is not available yet in this version of baton-tableau`,
  );
}

function booleanProblems(raw: RawValues): string[] {
  return FIELDS.filter((f) => f.kind === 'bool' && raw[f.name] !== undefined && typeof raw[f.name] !== 'boolean').map(
    (f) => `--${f.name} (${envName(f.name)}) "${String(raw[f.name])}" is not true or false`,
  );
}

function choice<T extends string>(name: string, value: string, problems: string[]): T {
  const allowed = FIELDS.find((f) => f.name === name)?.choices ?? [];
  if (!allowed.includes(value)) problems.push(`--${name} "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

function positiveInt(name: string, value: unknown, problems: string[]): number {
  const n = typeof value === 'number' ? value : Number(String(value));
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    problems.push(`--${name} "${String(value)}" must be a whole number from 1 to 64`);
    return 1;
  }
  return n;
}

/** Every secret value present in the raw flags and env (for redaction, even when validation fails). */
export function secretValues(raw: RawValues): string[] {
  return FIELDS.filter((f) => f.secret)
    .map((f) => stringValue(raw[f.name]))
    .filter((v): v is string => v !== undefined);
}

/** A non-empty string value (last one wins when a flag was repeated), else undefined. */
function stringValue(value: unknown): string | undefined {
  const last: unknown = Array.isArray(value) ? value[value.length - 1] : value;
  if (last === undefined || last === null || last === false) return undefined;
  const s = String(last);
  return s === '' ? undefined : s;
}

function isGiven(value: unknown): boolean {
  return value !== undefined && value !== false && value !== '' && !(Array.isArray(value) && value.length === 0);
}
