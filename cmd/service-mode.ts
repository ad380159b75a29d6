/**
 * The default command with a client id: ConductorOne service mode (PROTOCOL §5). Started by
 * ConductorOne's Kubernetes recipe with env only; runs until SIGTERM/SIGINT, then drains and exits 0.
 * ConductorOne refusing the credentials is one line on stderr and exit 1.
 */
import { EXIT_FAILURE, EXIT_OK, type CommandContext } from './command.js';
import { packageVersion } from './version.js';

export async function runServiceModeCommand(ctx: CommandContext): Promise<number> {
  const { config } = ctx;
  if (!config.conductorOne || !config.tableau) return EXIT_FAILURE;
  const { httpListen, shutdownTimeoutMs } = config.serve;
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
