/**
 * `baton-tableau serve`: maps the typed serve settings of the Config onto ServeOptions, runs the
 * service until SIGTERM or SIGINT, then drains and exits 0. Flag problems were reported with every
 * other usage problem by pkg/config (exit 2).
 */
import type { Config } from '../pkg/config/config.js';
import { serveProblems } from '../pkg/config/serve.js';
import { ServeUsageError } from '../pkg/service/listen-address.js';
import type { ServeOptions } from '../pkg/service/options.js';
import type { RunningService, ServeDeps } from '../pkg/service/run-serve.js';
import { EXIT_FAILURE, EXIT_OK, writeUsageError, type CommandContext, type Subcommand } from './command.js';

/** ServeOptions from the Config, or every problem that stops serve. */
export function serveOptionsFrom(config: Config): { options?: ServeOptions; problems: string[] } {
  const problems = serveProblems(config.serve, config.action !== undefined);
  if (!config.tableau) problems.push('serve needs the Tableau settings (--server-path and credentials)');
  if (problems.length > 0 || !config.tableau || config.serve.listen === undefined) return { problems };
  const options: ServeOptions = {
    ...config.serve,
    listen: config.serve.listen,
    tableau: config.tableau,
    file: config.file,
    provisioning: config.provisioning !== undefined,
    ...(config.provisioning ? { provisioningSettings: config.provisioning } : {}),
  };
  return { options, problems };
}

function usage(ctx: CommandContext, problems: string[]): number {
  return writeUsageError(ctx.stderr, problems, ctx.config.secrets);
}

/** Runs the service from a CLI context until its signal fires; returns the exit code. */
async function runServeFromConfig(ctx: CommandContext, deps: ServeDeps = {}): Promise<number> {
  const { options, problems } = serveOptionsFrom(ctx.config);
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
  serve: true,
  run: (ctx) => runServeFromConfig(ctx),
};
