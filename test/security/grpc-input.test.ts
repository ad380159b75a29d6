/**
 * Hostile gRPC input against `runServe` (token auth, provisioning on) over the simulator: malformed
 * requests get the right status code, 1,000 seeded random messages never crash or wedge the server,
 * and 200 stalled streams do not make it hoard memory or stop serving others.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, constants } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundMethods } from '../../pkg/server/methods.js';
import { runServe, type RunningService } from '../../pkg/service/run-serve.js';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { encode } from '../../proto/index.js';
import { seededRandom } from '../reliability/helpers.js';
import { captureStdout, capturingLogger, healthCheck, serveOptions } from '../service/helpers.js';
import { RawClient, methodNamed, type CallResult } from './grpc-client.js';

const TOKEN = 'grpc-input-token-5b1d';
const { INVALID_ARGUMENT, NOT_FOUND, OK, RESOURCE_EXHAUSTED, UNIMPLEMENTED, FAILED_PRECONDITION } = grpc.status;

let sim: RunningSimulator;
let service: RunningService;
let client: RawClient;
let dir: string;
let siteId: string;
const logged = capturingLogger();

beforeAll(async () => {
  sim = await startSimulator({ users: 30, groups: 4, memberships: 60 });
  siteId = sim.info.sites[0]!.id;
  dir = mkdtempSync(join(tmpdir(), 'baton-grpc-input-'));
  writeFileSync(join(dir, 'token'), TOKEN);
  service = await runServe(serveOptions(sim, { authTokenFile: join(dir, 'token'), provisioning: true, httpListen: undefined }), {
    log: logged.log,
    stdout: captureStdout().stdout,
  });
  client = new RawClient(service.grpcAddress, TOKEN);
});

afterAll(async () => {
  client?.close();
  await service?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const user = (id: string) => ({ id: { resourceType: 'user', resource: id } });
/** Replaced by the simulator's site LUID before sending. */
const SITE = { resourceType: 'site', resource: 'S' };
const big = (bytes: number): string => 'x'.repeat(bytes);

/** [name, method, request, expected code]. */
const MALFORMED: [string, string, object, grpc.status][] = [
  ['corrupt page token (not base64 JSON)', 'ListResources', { resourceTypeId: 'user', parentResourceId: SITE, pageToken: '%%%not-a-token%%%' }, INVALID_ARGUMENT],
  ['page token of the wrong shape', 'ListResources', { resourceTypeId: 'user', parentResourceId: SITE, pageToken: Buffer.from('{"p":"x","q":[1]}').toString('base64url') }, INVALID_ARGUMENT],
  ['page token 1 MiB long', 'ListResources', { resourceTypeId: 'user', parentResourceId: SITE, pageToken: big(1 << 20) }, INVALID_ARGUMENT],
  ['corrupt page token on sites', 'ListResources', { resourceTypeId: 'site', pageToken: 'e30' }, INVALID_ARGUMENT],
  ['page token on grants', 'ListGrants', { resource: { id: { resourceType: 'site', resource: 'x' } }, pageToken: 'garbage' }, INVALID_ARGUMENT],
  ['page size above the SDK limit', 'ListResources', { resourceTypeId: 'user', pageSize: 1_000_000 }, INVALID_ARGUMENT],
  ['oversized resource type id', 'ListResources', { resourceTypeId: big(100_000) }, INVALID_ARGUMENT],
  ['unknown resource type', 'ListResources', { resourceTypeId: 'spaceship' }, NOT_FOUND],
  ['empty resource type', 'ListResources', {}, INVALID_ARGUMENT],
  ['entitlements without a resource', 'ListEntitlements', {}, INVALID_ARGUMENT],
  ['entitlements of an unknown type', 'ListEntitlements', { resource: { id: { resourceType: 'spaceship', resource: 'x' } } }, NOT_FOUND],
  ['grants without a resource', 'ListGrants', {}, INVALID_ARGUMENT],
  ['get resource without an id', 'GetResource', {}, INVALID_ARGUMENT],
  ['get an unknown user', 'GetResource', { resourceId: { resourceType: 'user', resource: '00000000-0000-4000-8000-000000000000' } }, NOT_FOUND],
  ['grant without an entitlement', 'Grant', { principal: user('u') }, INVALID_ARGUMENT],
  ['grant without a principal', 'Grant', { entitlement: { id: 'x', resource: { id: { resourceType: 'site', resource: 'x' } } } }, INVALID_ARGUMENT],
  ['grant a site role to a group principal', 'Grant', {
    entitlement: { id: `site:${'S'}:viewer`, slug: 'viewer', resource: { id: { resourceType: 'site', resource: 'S' } } },
    principal: { id: { resourceType: 'group', resource: '00000000-0000-4000-8000-000000000001' } },
  }, INVALID_ARGUMENT],
  ['revoke without a grant', 'Revoke', {}, INVALID_ARGUMENT],
  ['create account without a login', 'CreateAccount', { accountInfo: {} }, INVALID_ARGUMENT],
  ['delete a resource of an unknown type', 'DeleteResource', { resourceId: { resourceType: 'spaceship', resource: 'x' } }, UNIMPLEMENTED],
];

describe('malformed requests', () => {
  it.each(MALFORMED)('%s', async (_name, method, request, expected) => {
    const message = JSON.parse(JSON.stringify(request).replace(/"S"/g, JSON.stringify(siteId)).replace(/site:S:/g, `site:${siteId}:`)) as object;
    const result = await client.send(method, message);
    expect(result.code, result.details).toBe(expected);
    expect(result.details.length).toBeLessThan(2_000);
  });

  it('a message over 4 MiB is refused with RESOURCE_EXHAUSTED', async () => {
    const result = await client.send('ListResources', { resourceTypeId: 'user', pageToken: big(5 << 20) });
    expect(result.code).toBe(RESOURCE_EXHAUSTED);
  });

  it('bytes that are not protobuf are refused, an unknown method is UNIMPLEMENTED', async () => {
    const listResources = methodNamed('ListResources').definition.path;
    const garbage = await client.call(listResources, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect([INVALID_ARGUMENT, grpc.status.INTERNAL]).toContain(garbage.code);
    expect((await client.call('/c1.connector.v2.NoSuchService/Nothing', Buffer.alloc(0))).code).toBe(UNIMPLEMENTED);
  });
});

/** Random values for a message: some fields set, of the right wire type or not. */
function randomRequest(random: () => number, requestType: string): { bytes: Buffer; raw: boolean } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const text = (): string => pick(['', 'user', 'site', 'group', 'license', siteId, '%%', big(Math.floor(random() * 300)), String(random())]);
  if (random() < 0.5) {
    return { bytes: Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256))), raw: true };
  }
  const id = { resourceType: text(), resource: text() };
  const candidates: Record<string, unknown> = {
    resourceTypeId: text(), pageToken: text(), pageSize: Math.floor(random() * 2000), activeSyncId: text(),
    resource: { id }, resourceId: id, parentResourceId: id, principal: { id },
    entitlement: { id: text(), slug: text(), resource: { id } }, grant: { id: text(), entitlement: { id: text(), resource: { id } }, principal: { id } },
  };
  const chosen = Object.fromEntries(Object.entries(candidates).filter(() => random() < 0.4));
  return { bytes: Buffer.from(encode(requestType, chosen)), raw: false };
}

describe('1,000 seeded random messages', () => {
  it('never answer UNKNOWN, never crash the server; health and real calls keep working', async () => {
    const random = seededRandom(1_000);
    const methods = boundMethods();
    const seen = new Map<grpc.status, number>();
    for (let i = 0; i < 1_000; i++) {
      const method = methods[Math.floor(random() * methods.length)]!;
      const request = randomRequest(random, method.requestType);
      const result: CallResult = await client.call(method.definition.path, request.bytes);
      seen.set(result.code, (seen.get(result.code) ?? 0) + 1);
      // Well-formed messages get a verdict on their content; bytes that are not protobuf may also be
      // refused by grpc-js itself (INTERNAL "error deserializing request", as grpc-go does).
      const allowed = [OK, INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, UNIMPLEMENTED, ...(request.raw ? [grpc.status.INTERNAL] : [])];
      expect(allowed, `${method.method}: ${result.details}`).toContain(result.code);
    }
    expect(seen.get(INVALID_ARGUMENT)).toBeGreaterThan(100);
    expect((await healthCheck(service.grpcAddress)).status).toBeDefined();
    expect((await client.send('ListResourceTypes', {})).code).toBe(OK);
    expect(logged.lines.join('\n')).not.toContain(TOKEN);
  }, 120_000);
});

describe('200 stalled streams', () => {
  it('are held without hoarding memory while other callers are still served', async () => {
    const session = connect(`http://${service.grpcAddress}`);
    const path = methodNamed('ListResources').definition.path;
    const rssBefore = process.memoryUsage().rss;
    const streams = Array.from({ length: 200 }, () => {
      const stream = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: path,
        'content-type': 'application/grpc', te: 'trailers', authorization: `Bearer ${TOKEN}`,
      });
      stream.on('error', () => undefined);
      // A frame header promising 4 MiB, then 16 KiB of it, then nothing more.
      const header = Buffer.alloc(5);
      header.writeUInt32BE(4 * 1024 * 1024 - 16, 1);
      stream.write(Buffer.concat([header, Buffer.alloc(16 * 1024, 1)]));
      return stream;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const other = new RawClient(service.grpcAddress, TOKEN);
    const served = await other.send('ListResourceTypes', {});
    other.close();
    const growthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    for (const stream of streams) stream.close(constants.NGHTTP2_CANCEL);
    session.destroy();
    expect(served.code).toBe(OK);
    // Loose bound: 200 × 4 MiB would be 800 MiB if the server buffered what was promised.
    expect(growthMb).toBeLessThan(150);
    expect((await client.send('ListResourceTypes', {})).code).toBe(OK);
  }, 60_000);
});
