/**
 * The health service's state and handlers. One overall status (service name "") plus the same status
 * under each registered service name; unknown names get NOT_FOUND (Check) or SERVICE_UNKNOWN (Watch),
 * as the health-checking protocol prescribes.
 * grpc-health-check (the grpc-node package) was weighed and not taken: it neither bounds the number
 * of Watch streams nor can end them at shutdown, and it loads its own copy of health.proto at import.
 */
import * as grpc from '@grpc/grpc-js';
import { ServingStatus, healthServiceDefinition, type HealthCheckRequest, type HealthCheckResponse, type ServingStatusValue } from './health-proto.js';

/** Watch streams per service are bounded so a misbehaving prober cannot pile up streams forever. */
const MAX_WATCHERS = 256;

type WatchCall = grpc.ServerWritableStream<HealthCheckRequest, HealthCheckResponse>;

/** The serving status every health probe sees; {@link HealthState.set} notifies open Watch streams. */
export class HealthState {
  private status: ServingStatusValue = ServingStatus.NOT_SERVING;
  private readonly watchers = new Set<{ service: string; call: WatchCall }>();

  constructor(private readonly serviceNames: ReadonlySet<string>) {}

  get current(): ServingStatusValue {
    return this.status;
  }

  set(status: ServingStatusValue): void {
    if (status === this.status) return;
    this.status = status;
    for (const watcher of this.watchers) {
      if (this.knows(watcher.service)) watcher.call.write({ status });
    }
  }

  /** Ends every Watch stream (on shutdown, so tryShutdown is not held open by probers). */
  endWatches(): void {
    for (const { call } of this.watchers) call.end();
    this.watchers.clear();
  }

  register(server: grpc.Server): void {
    server.addService(healthServiceDefinition, {
      check: (call: grpc.ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: grpc.sendUnaryData<HealthCheckResponse>) =>
        this.check(call.request.service ?? '', callback),
      watch: (call: WatchCall) => this.watch(call),
    });
  }

  private knows(service: string): boolean {
    return service === '' || this.serviceNames.has(service);
  }

  private check(service: string, callback: grpc.sendUnaryData<HealthCheckResponse>): void {
    if (!this.knows(service)) {
      callback({ code: grpc.status.NOT_FOUND, details: `unknown service "${service}"` });
      return;
    }
    callback(null, { status: this.status });
  }

  private watch(call: WatchCall): void {
    const service = call.request.service ?? '';
    if (this.watchers.size >= MAX_WATCHERS) {
      call.destroy(Object.assign(new Error('too many health watchers'), { code: grpc.status.RESOURCE_EXHAUSTED }));
      return;
    }
    const watcher = { service, call };
    this.watchers.add(watcher);
    call.on('cancelled', () => this.watchers.delete(watcher));
    call.on('close', () => this.watchers.delete(watcher));
    call.write({ status: this.knows(service) ? this.status : ServingStatus.SERVICE_UNKNOWN });
  }
}
