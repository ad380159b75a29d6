/**
 * `npm start`: a self-contained tour. Starts the Tableau simulator in-process with a small realistic
 * organisation, syncs it into ./sync.c1z through exactly the one-shot sync path of the CLI (a Config
 * built the same way, pointing at the simulator), prints the summary and the commands to try next.
 */
import { resolveConfig } from '../pkg/config/config.js';
import { createLogger } from '../pkg/log/logger.js';
import { startSimulator, type RunningSimulator } from '../pkg/tableau-sim/index.js';
import { runOneShotSync } from './one-shot-sync.js';
import { SharedStderr } from './shared-stderr.js';
import { installSignalAbort } from './signals.js';
import { createProgressReporter } from './sync-progress.js';
import { describeSyncFailure } from './sync-failure.js';
import { formatSyncSummary } from './sync-summary.js';

/** Two sites with a few hundred users; the generator adds legacy roles, Unlicensed users and AD groups. */
const ORGANISATION = { seed: 2024, sites: 2, users: 180, groups: 8, memberships: 420 };

const NEXT_STEPS = `
Next, try:
  npx baton-tableau dump -f sync.c1z | head
  npx baton-tableau report -f sync.c1z --csv access.csv
  npx baton-tableau capabilities
  npx tableau-sim --sites 2 --users 1000     # a simulator to point baton-tableau --server-path at
`;

/** Pre-2018.1 role names Tableau still returns for old accounts. */
const LEGACY_ROLES = new Set(['Interactor', 'Publisher', 'SiteAdministrator', 'ViewerWithPublish', 'UnlicensedWithPublish']);

function describeOrganisation(sim: RunningSimulator): string {
  const lines = sim.state().sites.map((site) => {
    const unlicensed = site.users.filter((u) => u.siteRole === 'Unlicensed').length;
    const legacy = site.users.filter((u) => LEGACY_ROLES.has(u.siteRole)).length;
    const external = site.groups.filter((g) => g.domain !== 'local').length;
    return (
      `  ${site.name}: ${site.users.length} users (${unlicensed} Unlicensed, ${legacy} on legacy roles), ` +
      `${site.groups.length} groups (${external} from a directory), ${site.memberships.length} memberships\n`
    );
  });
  return `Simulated Tableau Server at ${sim.url}\n${lines.join('')}`;
}

async function demo(signal: AbortSignal): Promise<number> {
  const stderr = new SharedStderr(process.stderr);
  const log = createLogger({ level: 'warn', sink: stderr });
  const sim = await startSimulator(ORGANISATION);
  try {
    process.stdout.write(describeOrganisation(sim));
    const resolved = resolveConfig(
      {
        'server-path': sim.url,
        'access-token-name': sim.info.pat.name,
        'access-token-secret': sim.info.pat.secret,
        'all-sites': true,
        file: 'sync.c1z',
      },
      { needsTableau: true },
    );
    if (!resolved.ok) throw new Error(resolved.problems.join('; '));
    const progress = createProgressReporter(process.stderr, log, stderr);
    try {
      const result = await runOneShotSync(resolved.config, { log, signal, onProgress: progress.update });
      progress.stop();
      process.stdout.write(formatSyncSummary(result) + NEXT_STEPS);
      return 0;
    } finally {
      progress.stop();
    }
  } catch (err) {
    process.stderr.write(`demo failed: ${describeSyncFailure(err)}\n`);
    return 1;
  } finally {
    await sim.close();
  }
}

process.exitCode = await demo(installSignalAbort());
