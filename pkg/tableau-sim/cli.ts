#!/usr/bin/env node
/**
 * `tableau-sim`: starts the simulator, prints one JSON line (CONTRACTS §1) and runs until SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { startSimulator } from './index.js';
import type { ScenarioData } from './types.js';
import type { GroupShape } from './listing-habits.js';

async function main(): Promise<void> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName('tableau-sim')
    .usage('$0 [options]  — a stateful Tableau Server REST API simulator')
    .options({
      port: { type: 'number', default: 0 },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'number', default: 1 },
      sites: { type: 'number', default: 1 },
      users: { type: 'number', default: 100, describe: 'users per site' },
      groups: { type: 'number', default: 10, describe: 'groups per site (besides All Users)' },
      memberships: { type: 'number', default: 500, describe: 'memberships per site (besides All Users)' },
      data: { type: 'string', describe: 'JSON scenario file (the /_sim/state shape plus extras)' },
      'api-version': { type: 'string', default: '3.29', describe: 'newest REST API version; below 3.4 plays an old server (2.5: PAT sign-in refused)' },
      'product-version': { type: 'string', default: '2026.2.0', describe: "serverinfo's productVersion (e.g. 10.2.0 with --api-version 2.5)" },
      'not-tableau': { choices: ['login', '404'] as const, describe: 'serve an HTML login page (200) or an HTML 404 for every path: not Tableau' },
      'errors-with-status-200': { type: 'boolean', default: false, describe: "send Tableau's error answers with status 200" },
      'sign-in-other-site': { type: 'boolean', default: false, describe: 'sign-in opens a session on another site than asked' },
      cloud: { type: 'boolean', default: false },
      'identity-pools': { type: 'number', default: 0, describe: 'server-wide identity pools (Tableau Server 2023.1+; none with --cloud)' },
      'latency-ms': { type: 'number', default: 0 },
      'latency-spike-rate': { type: 'number', default: 0, describe: 'fraction of requests held an extra --latency-spike-ms' },
      'latency-spike-ms': { type: 'number', default: 0 },
      tls: { type: 'boolean', default: false },
      'fault-429-rate': { type: 'number', default: 0 },
      'fault-5xx-rate': { type: 'number', default: 0 },
      'fault-reset-rate': { type: 'number', default: 0 },
      'fault-truncate-rate': { type: 'number', default: 0 },
      'session-kill-every': { type: 'number', default: 0 },
      'session-ttl-s': { type: 'number', default: 14_400 },
      'content-per-owner': { type: 'number', default: 3 },
      'over-promise': { type: 'number', default: 0, describe: 'extra items listings claim in totalAvailable beyond what they deliver' },
      'over-promise-listings': { type: 'string', default: '', describe: 'comma-separated listings that over-promise (users,groups,group-users,sites); empty = all' },
      'past-end-empty': { type: 'boolean', default: false, describe: 'answer pages past the real end with an empty page instead of 400006' },
      'group-shape': { type: 'string', default: 'standard', choices: ['standard', 'import-only', 'attributes-on-group'], describe: 'how directory groups are rendered' },
      'unlisted-users': { type: 'string', default: '', describe: 'comma-separated user ids left out of the users listing (still group members)' },
      scim: { type: 'boolean', default: false, describe: 'SCIM-enabled sites: IdP-managed users and groups, SCIM read endpoints under /pods/sim/sites/{site}/scim/v2' },
      'scim-token': { type: 'string', describe: 'with --scim: the SCIM bearer secret of every site (never printed; default: generated, not shown)' },
      'outage-s': { type: 'number', describe: 'be down for this many seconds (a Tableau Server restart)' },
      'outage-after-requests': { type: 'number', default: 0, describe: 'with --outage-s: /api requests answered before the outage starts' },
      'outage-mode': { choices: ['refuse', '503', 'reset'] as const, default: 'refuse' as const, describe: 'with --outage-s: refused connections, 503 pages or dropped connections' },
    })
    .strict()
    .help()
    .parse();
  const data = argv.data ? (JSON.parse(readFileSync(argv.data, 'utf8')) as ScenarioData) : undefined;
  const sim = await startSimulator({
    port: argv.port, host: argv.host, seed: argv.seed, sites: argv.sites, users: argv.users, groups: argv.groups,
    memberships: argv.memberships, data, apiVersion: argv['api-version'], productVersion: argv['product-version'], cloud: argv.cloud,
    identityPools: argv['identity-pools'], errorsWithStatus200: argv['errors-with-status-200'], signInOtherSite: argv['sign-in-other-site'],
    ...(argv['not-tableau'] ? { notTableau: argv['not-tableau'] } : {}),
    latencyMs: argv['latency-ms'], latencySpikeRate: argv['latency-spike-rate'], latencySpikeMs: argv['latency-spike-ms'], tls: argv.tls, fault429Rate: argv['fault-429-rate'],
    fault5xxRate: argv['fault-5xx-rate'], faultResetRate: argv['fault-reset-rate'],
    faultTruncateRate: argv['fault-truncate-rate'], sessionKillEvery: argv['session-kill-every'],
    sessionTtlS: argv['session-ttl-s'], contentPerOwner: argv['content-per-owner'],
    scim: argv.scim, ...(argv['scim-token'] !== undefined ? { scimToken: argv['scim-token'] } : {}),
    habits: { overPromise: argv['over-promise'], overPromiseListings: argv['over-promise-listings'], pastEndEmpty: argv['past-end-empty'],
      groupShape: argv['group-shape'] as GroupShape, unlistedUsers: argv['unlisted-users'] },
    ...(argv['outage-s'] !== undefined
      ? { outage: { seconds: argv['outage-s'], afterRequests: argv['outage-after-requests'], mode: argv['outage-mode'] } }
      : {}),
  });
  process.stdout.write(`${JSON.stringify(sim.info)}\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`tableau-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
