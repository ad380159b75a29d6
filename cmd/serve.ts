/**
 * `baton-tableau serve`: maps the serve flags onto ServeOptions, runs the service until SIGTERM or
 * SIGINT, then drains and exits 0. Every problem with the flags is reported at once (exit 2).
 */
import type { Options } from 'yargs';
import type { Config } from '../pkg/config/config.js';
import { parseDurationMs } from '../pkg/service/duration.js';
import { ServeUsageError, securityProblems } from '../pkg/service/listen-address.js';
import { DEFAULT_MAX_INFLIGHT_RPCS, DEFAULT_SHUTDOWN_TIMEOUT_MS, type ServeOptions } from '../pkg/service/options.js';
import type { RunningService, ServeDeps } from '../pkg/service/run-serve.js';
import { argText as text, EXIT_FAILURE, EXIT_OK, writeUsageError, type CommandContext, type Subcommand } from './command.js';

/** Serve flags that are not fields of the shared Config (listen, TLS and token flags are). */
export const SERVE_OPTIONS: Readonly<Record<string, Options>> = {
  'sync-interval': { type: 'string', default: '0', describe: 'serve: sync into --file every interval, e.g. 15m (0 = never) [BATON_SYNC_INTERVAL]' },
  'shutdown-timeout': { type: 'string', default: '30s', describe: 'serve: how long SIGTERM waits for in-flight RPCs [BATON_SHUTDOWN_TIMEOUT]' },
  'max-inflight-rpcs': { type: 'string', default: String(DEFAULT_MAX_INFLIGHT_RPCS), describe: 'serve: RPCs handled at once; more get RESOURCE_EXHAUSTED [BATON_MAX_INFLIGHT_RPCS]' },
};

function duration(argv: Readonly<Record<string, unknown>>, camel: string, flag: string, fallback: number, problems: string[]): number {
  const value = text(argv, camel);
  if (value === undefined) return fallback;
  const ms = parseDurationMs(value);
  if (ms === undefined) problems.push(`--${flag} "${value}" is not a duration like 30s, 15m or 1h`);
  return ms ?? fallback;
}

/** ServeOptions from the Config and the parsed argv, or every problem found. */
export function serveOptionsFrom(config: Config, argv: Readonly<Record<string, unknown>>): { options?: ServeOptions; problems: string[] } {
  const problems: string[] = [];
  const listen = text(argv, 'listen');
  if (listen === undefined) problems.push('serve needs --listen HOST:PORT (BATON_LISTEN), e.g. 127.0.0.1:50051');
  if (!config.tableau) problems.push('serve needs the Tableau settings (--server-path and credentials)');
  const maxInflight = Number(text(argv, 'maxInflightRpcs') ?? DEFAULT_MAX_INFLIGHT_RPCS);
  if (!Number.isInteger(maxInflight) || maxInflight < 1) problems.push('--max-inflight-rpcs must be a whole number of at least 1');
  const options: ServeOptions = {
    tableau: config.tableau!,
    listen: listen ?? '',
    ...optional('httpListen', text(argv, 'httpListen')),
    ...optional('tlsCertFile', text(argv, 'tlsCert')),
    ...optional('tlsKeyFile', text(argv, 'tlsKey')),
    ...optional('tlsClientCaFile', text(argv, 'tlsClientCa')),
    ...optional('authTokenFile', text(argv, 'authTokenFile')),
    insecureListen: argv['insecureListen'] === true,
    syncIntervalMs: duration(argv, 'syncInterval', 'sync-interval', 0, problems),
    shutdownTimeoutMs: duration(argv, 'shutdownTimeout', 'shutdown-timeout', DEFAULT_SHUTDOWN_TIMEOUT_MS, problems),
    maxInflightRpcs: maxInflight,
    file: config.file,
    provisioning: argv['provisioning'] === true,
    ...(config.provisioning ? { provisioningSettings: config.provisioning } : {}),
  };
  if (config.action) problems.push('serve takes no one-shot provisioning flags (--grant-entitlement, --revoke-grant, --create-account-*, --delete-resource)');
  if (listen !== undefined) problems.push(...securityProblems(options));
  return problems.length > 0 ? { problems } : { options, problems };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function usage(ctx: CommandContext, problems: string[]): number {
  return writeUsageError(ctx.stderr, problems, ctx.config.secrets);
}

/** Runs the service from a CLI context until its signal fires; returns the exit code. */
export async function runServeFromConfig(ctx: CommandContext, deps: ServeDeps = {}): Promise<number> {
  const { options, problems } = serveOptionsFrom(ctx.config, ctx.argv);
  if (!options) return usage(ctx, problems);
  let running: RunningService;
  try {
    // Loaded on demand: the gRPC stack and metrics would add ~0.2 s to the start of every other command.
    const { runServe } = await import('../pkg/service/run-serve.js');
    running = await runServe(options, { log: ctx.log, stdout: ctx.stdout, ...deps });
  } catch (err) {
    if (err instanceof ServeUsageError) return usage(ctx, err.problems);
    ctx.log.error({ err }, 'serve failed to start');
    return EXIT_FAILURE;
  }
  if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
  await running.close();
  return EXIT_OK;
}

export const serveCommand: Subcommand = {
  name: 'serve',
  describe: 'Serve the c1.connector.v2 gRPC services (+ grpc.health.v1, reflection) and /healthz, /readyz, /metrics',
  needsTableau: true,
  options: SERVE_OPTIONS,
  run: (ctx) => runServeFromConfig(ctx),
};
