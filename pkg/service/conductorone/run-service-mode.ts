/**
 * ConductorOne service mode: the connector calls ConductorOne's BatonService (it serves nothing but
 * the optional probe port). Start: Tableau connection, token source, BatonService client, Hello;
 * then the task loop until the stop signal; then drain (running tasks get the shutdown timeout,
 * the rest are aborted and reported as errors) and close everything.
 */
import type { Logger } from 'pino';
import type { BatonServiceHelloRequest, HelloBuildInfo } from '../../../proto/baton-service.js';
import type { ConductorOneSettings, ProvisioningSettings, TableauSettings } from '../../config/config.js';
import { connectTableau } from '../../compose/tableau-connection.js';
import { startHttpSidePort, type HttpSidePort } from '../http-server.js';
import { parseListenAddress } from '../listen-address.js';
import { Readiness } from '../readiness.js';
import { assertionKey } from './client-assertion.js';
import { apiAddress, BatonClient } from './baton-client.js';
import { FullSyncTasks } from './full-sync-task.js';
import { helloRequest } from './hello.js';
import { createConductorOneMetrics } from './metrics.js';
import { sendStartupHello } from './startup-hello.js';
import { taskHandler } from './task-handler.js';
import { TaskLoop } from './task-loop.js';
import { TokenSource } from './token-source.js';

export { ConductorOneRefused } from './startup-hello.js';

/** What service mode needs; the CLI fills it from the Config. */
export interface ServiceModeOptions {
  readonly conductorOne: ConductorOneSettings;
  readonly tableau: TableauSettings;
  /** Present with `-p`: provisioning tasks act on Tableau with these settings. */
  readonly provisioning?: ProvisioningSettings;
  /** Tableau requests in flight (`--concurrency`), as in the one-shot sync. */
  readonly concurrency: number;
  readonly httpListen?: string;
  readonly shutdownTimeoutMs: number;
  readonly buildInfo: HelloBuildInfo;
  /** Folder of the temp c1z files (default: the OS temp folder). */
  readonly tempDir?: string;
}

/**
 * Runs service mode until `stop` fires, then drains and returns. Throws ConductorOneRefused when
 * ConductorOne refuses the credentials or the Hello (the caller exits 1).
 */
export async function runServiceMode(opts: ServiceModeOptions, log: Logger, stop: AbortSignal): Promise<void> {
  const { conductorOne: settings } = opts;
  // The one-shot sync's recipe: --concurrency requests in flight, twice as many listings queued.
  const tableau = connectTableau(opts.tableau, log, {
    pageConcurrency: opts.concurrency,
    maxInFlight: opts.concurrency,
    ...(opts.provisioning ? { provisioning: opts.provisioning } : {}),
  });
  const { api } = tableau;
  const metrics = createConductorOneMetrics({ stats: () => tableau.stats() });
  const { origin, target } = apiAddress(settings);
  const tokens = new TokenSource({ clientId: settings.clientId, signer: assertionKey(settings.key), origin, onRefresh: () => metrics.tokenRefreshes.inc() });
  const client = new BatonClient(target, tokens, `${settings.clientId.clientName} baton-tableau/${opts.buildInfo.packageVersion ?? ''}`);
  const readiness = new Readiness(api, log.child({ component: 'readiness' }));
  let helloDone = false;
  let http: HttpSidePort | undefined;
  try {
    if (opts.httpListen) {
      const probes = { isReady: () => helloDone && readiness.ready, isDraining: () => readiness.isDraining, registry: metrics.service.registry };
      http = await startHttpSidePort(parseListenAddress(opts.httpListen, '--http-listen'), probes);
      log.info({ http: http.address }, 'probes and metrics listening');
    }
    readiness.onChange((ready) => metrics.service.ready.set(ready && helloDone ? 1 : 0));
    void readiness.start();
    const ctx = { signal: stop, log, syncId: '' };
    const hello = (): Promise<BatonServiceHelloRequest> => helloRequest(api, settings.hostId, '', opts.buildInfo, ctx);
    if (!(await sendStartupHello(client, hello, log, stop))) return;
    helloDone = true;
    metrics.service.ready.set(readiness.ready ? 1 : 0);
    log.info({ hostId: settings.hostId, target, taskConcurrency: settings.taskConcurrency, provisioning: Boolean(opts.provisioning) }, 'connected to ConductorOne');
    const fullSync = new FullSyncTasks({
      client, api, hostId: settings.hostId, syncConcurrency: opts.concurrency * 2,
      ...(opts.tempDir ? { tempDir: opts.tempDir } : {}),
      onUploaded: (bytes) => metrics.uploadBytes.inc(bytes),
    });
    const handle = taskHandler({ client, api, hostId: settings.hostId, buildInfo: opts.buildInfo, provisioning: Boolean(opts.provisioning), fullSync });
    const loop = new TaskLoop({ client, hostId: settings.hostId, concurrency: settings.taskConcurrency, log, metrics, handle });
    await loop.run(stop);
    readiness.drain();
    log.info({ runningTasks: loop.runningTasks, shutdownTimeoutMs: opts.shutdownTimeoutMs }, 'stopping: no new tasks, finishing running ones');
    await loop.drain(opts.shutdownTimeoutMs);
  } finally {
    readiness.drain();
    client.close();
    await tableau.close().catch((err: unknown) => log.warn({ reason: (err as Error).message }, 'Tableau sign-out failed'));
    await http?.close();
    log.info('stopped');
  }
}
