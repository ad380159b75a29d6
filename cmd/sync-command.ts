/**
 * The default command: one-shot sync of Tableau into `--file`, a progress bar on a terminal
 * (structured progress logs otherwise), and a summary on stderr at the end.
 */
import { scrubSecrets } from '../pkg/log/redact.js';
import { EXIT_FAILURE, EXIT_OK, type Subcommand } from './command.js';
import { createProgressReporter } from './sync-progress.js';
import { describeSyncFailure } from './sync-failure.js';
import { formatSyncSummary } from './sync-summary.js';

export const syncCommand: Subcommand = {
  name: '$0',
  describe: 'Sync Tableau into the c1z file given by --file (default command)',
  needsTableau: true,
  async run(ctx) {
    // Loaded on demand so `config`, `capabilities`, `dump` and `report` start without the HTTP stack.
    const { runOneShotSync } = await import('./one-shot-sync.js');
    const progress = createProgressReporter(ctx.stderr, ctx.log);
    try {
      const result = await runOneShotSync(ctx.config, { log: ctx.log, signal: ctx.signal, onProgress: progress.update });
      progress.stop();
      ctx.log.info(
        { file: result.file, bytes: result.bytes, syncId: result.syncId, durationMs: result.durationMs, counts: result.counts, tableau: { requests: result.tableau.requests, retries: result.tableau.retries }, warnings: result.warnings.length },
        'sync finished',
      );
      ctx.stderr.write(formatSyncSummary(result));
      return EXIT_OK;
    } catch (err) {
      progress.stop();
      ctx.log.debug({ err }, 'sync failed');
      ctx.stderr.write(`baton-tableau: sync failed: ${scrubSecrets(describeSyncFailure(err), ctx.config.secrets)}\n`);
      return EXIT_FAILURE;
    }
  },
};
