/**
 * The default command: one-shot sync of Tableau into `--file`, a progress bar on a terminal
 * (structured progress logs otherwise), and a summary on stderr at the end. With a one-shot
 * provisioning flag (`--grant-entitlement`, ...) it runs that action instead (provisioning-command.ts);
 * with a ConductorOne client id it runs service mode (service-mode.ts).
 */
import { scrubSecrets } from '../pkg/log/redact.js';
import { EXIT_FAILURE, EXIT_OK, type Subcommand } from './command.js';
import { runServiceModeCommand } from './service-mode.js';
import { createProgressReporter } from './sync-progress.js';
import { describeSyncFailure } from './sync-failure.js';
import { formatSyncSummary } from './sync-summary.js';

export const syncCommand: Subcommand = {
  name: '$0',
  describe: 'Sync Tableau into the c1z file given by --file (default command), or run one provisioning action',
  needsTableau: true,
  async run(ctx) {
    // As in the Baton SDK: a client id turns the default command into ConductorOne service mode.
    if (ctx.config.conductorOne) return runServiceModeCommand(ctx);
    if (ctx.config.action) {
      const { runProvisioningAction } = await import('./provisioning-command.js');
      return runProvisioningAction(ctx, ctx.config.action);
    }
    // Loaded on demand so `config`, `capabilities`, `dump` and `report` start without the HTTP stack.
    const { runOneShotSync } = await import('./one-shot-sync.js');
    const progress = createProgressReporter(ctx.stderr, ctx.log, ctx.liveLine);
    try {
      const result = await runOneShotSync(ctx.config, { log: ctx.log, signal: ctx.signal, onProgress: progress.update });
      progress.stop();
      const { file, bytes, syncId, durationMs, counts, tableau } = result;
      const traffic = { requests: tableau.requests, retries: tableau.retries, rateLimited: tableau.rateLimited };
      ctx.log.info({ file, bytes, syncId, durationMs, counts, tableau: traffic, warnings: result.warnings.length }, 'sync finished');
      ctx.stderr.write(formatSyncSummary(result));
      return EXIT_OK;
    } catch (err) {
      progress.stop();
      ctx.log.debug({ err }, 'sync failed');
      const reason = ctx.signal.aborted
        ? `interrupted; ${ctx.config.file} was left as it was`
        : describeSyncFailure(err, ctx.config.tableau?.credentials.kind);
      ctx.stderr.write(`baton-tableau: sync failed: ${scrubSecrets(reason, ctx.config.secrets)}\n`);
      return EXIT_FAILURE;
    }
  },
};
