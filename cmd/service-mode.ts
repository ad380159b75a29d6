/**
 * The default command with a client id: ConductorOne service mode (PROTOCOL §5). Started by
 * ConductorOne's Kubernetes recipe with env only; runs until SIGTERM/SIGINT, then drains and exits 0.
 * ConductorOne refusing the credentials is one line on stderr and exit 1.
 */
import type { Options } from 'yargs';
import { parseDurationMs } from '../pkg/service/duration.js';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../pkg/service/options.js';
import { argText as text, EXIT_FAILURE, EXIT_OK, writeUsageError, type CommandContext } from './command.js';
import { packageVersion } from './version.js';

/** Flags of service mode that are not Config fields (they are also `serve` flags). */
export const SERVICE_MODE_OPTIONS: Readonly<Record<string, Options>> = {
  'shutdown-timeout': { type: 'string', describe: 'serve and service mode: how long SIGTERM waits for running work (default 30s) [BATON_SHUTDOWN_TIMEOUT]' },
};

export async function runServiceModeCommand(ctx: CommandContext): Promise<number> {
  const { config } = ctx;
  if (!config.conductorOne || !config.tableau) return EXIT_FAILURE;
  const problems: string[] = [];
  const timeoutText = text(ctx.argv, 'shutdownTimeout');
  const shutdownTimeoutMs = timeoutText === undefined ? DEFAULT_SHUTDOWN_TIMEOUT_MS : parseDurationMs(timeoutText);
  if (shutdownTimeoutMs === undefined) problems.push(`--shutdown-timeout "${timeoutText}" is not a duration like 30s, 15m or 1h`);
  const httpListen = text(ctx.argv, 'httpListen');
  if (problems.length > 0 || shutdownTimeoutMs === undefined) return writeUsageError(ctx.stderr, problems, config.secrets);
  // Loaded on demand: gRPC and the metrics stack are not needed by the other commands.
  const { runServiceMode, ConductorOneRefused } = await import('../pkg/service/conductorone/run-service-mode.js');
  try {
    await runServiceMode(
      {
        conductorOne: config.conductorOne,
        tableau: config.tableau,
        ...(config.provisioning ? { provisioning: config.provisioning } : {}),
        concurrency: config.concurrency,
        ...(httpListen ? { httpListen } : {}),
        shutdownTimeoutMs,
        buildInfo: { langVersion: process.version, package: 'baton-tableau', packageVersion: packageVersion() },
      },
      ctx.log,
      ctx.signal,
    );
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ConductorOneRefused) {
      ctx.stderr.write(`baton-tableau: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    throw err;
  }
}
