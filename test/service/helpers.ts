/** Shared pieces of the serve tests: simulator-backed options, a capturing logger, small clients. */
import { request } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { pino, type Logger } from 'pino';
import type { ServeOptions } from '../../pkg/service/options.js';
import { healthServiceDefinition, type HealthCheckResponse } from '../../pkg/service/health-proto.js';
import type { RunningSimulator } from '../../pkg/tableau-sim/index.js';

/** A pino logger writing JSON lines into `lines` (so tests can read what would be logged). */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { log, lines };
}

export function serveOptions(sim: RunningSimulator, extra: Partial<ServeOptions> = {}): ServeOptions {
  return {
    tableau: {
      serverUrl: sim.url,
      credentials: { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret },
      sites: { contentUrls: [''] },
    },
    listen: '127.0.0.1:0',
    httpListen: '127.0.0.1:0',
    shutdownTimeoutMs: 5_000,
    ...extra,
  };
}

/** Collects what runServe writes as its ready line. */
export function captureStdout(): { stdout: { write(text: string): boolean }; text: () => string } {
  let text = '';
  return { stdout: { write: (chunk: string) => ((text += chunk), true) }, text: () => text };
}

const HealthClient = grpc.makeGenericClientConstructor(healthServiceDefinition, 'Health');

/** grpc.health.v1.Health/Check of `service` ("" = overall). */
export function healthCheck(address: string, creds = grpc.credentials.createInsecure(), service = ''): Promise<HealthCheckResponse> {
  const client = new HealthClient(address, creds);
  return new Promise<HealthCheckResponse>((resolve, reject) => {
    client.makeUnaryRequest(
      healthServiceDefinition.check.path,
      healthServiceDefinition.check.requestSerialize,
      healthServiceDefinition.check.responseDeserialize,
      { service },
      new grpc.Metadata(),
      { deadline: Date.now() + 5_000 },
      (err, res) => (err ? reject(err) : resolve(res!)),
    );
  }).finally(() => client.close());
}

/** Polls `probe` every 50 ms until it is true; fails after `timeoutMs`. */
export async function waitFor(probe: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** GET http://address/path → status and body. */
export function httpGet(address: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`http://${address}${path}`, { timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Value of one Prometheus sample line (`name{labels} value`), 0 when absent. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

export function bearer(token: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  return md;
}

/** Opens grpc.health.v1.Health/Watch and records every status it streams. */
export function healthWatch(address: string): { statuses: number[]; ended: Promise<void>; cancel(): void } {
  const client = new HealthClient(address, grpc.credentials.createInsecure());
  const statuses: number[] = [];
  const call = client.makeServerStreamRequest(
    healthServiceDefinition.watch.path,
    healthServiceDefinition.watch.requestSerialize,
    healthServiceDefinition.watch.responseDeserialize,
    { service: '' },
    new grpc.Metadata(),
    {},
  );
  call.on('data', (res: HealthCheckResponse) => statuses.push(res.status));
  const ended = new Promise<void>((resolve) => {
    call.on('end', () => resolve());
    call.on('error', () => resolve());
  }).finally(() => client.close());
  return { statuses, ended, cancel: () => call.cancel() };
}
