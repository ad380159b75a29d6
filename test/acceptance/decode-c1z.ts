/**
 * Decodes a whole c1z without pkg/c1z or proto/index.ts: fzstd + sql.js (test/c1z/independent-reader.ts)
 * for the file, and protobufjs loading our .proto files itself (field names as written in the .proto,
 * Any unpacked by hand) for the rows. Every row's columns are checked against its decoded message.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { openIndependently, type IndependentC1z } from '../c1z/independent-reader.js';
import type { Walk } from '../connector/walk.js';

const PROTO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'proto');
const V2 = 'c1/connector/v2';

interface RawId { resource_type?: string; resource?: string }
interface RawAny { type_url?: string; value?: Uint8Array }
interface RawResource { id?: RawId; parent_resource_id?: RawId; annotations?: RawAny[] }

/** What a user resource says about the user (from its UserTrait). */
export interface DecodedUser {
  login: string;
  emails: string[];
  /** UserTrait.Status.Status: 1 enabled, 2 disabled. */
  status: number;
  parentSite: string;
}

export interface DecodedC1z {
  /** The file's objects in the shape of a connector walk (ids as keys), for expectSameModel. */
  walk: Walk;
  users: Map<string, DecodedUser>;
  /** `kind id` of every record, with dump's kind names. */
  recordIds: Set<string>;
  syncRuns: number;
}

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (isAbsolute(target) || !existsSync(join(PROTO_DIR, target)) ? target : join(PROTO_DIR, target));
  const files = readdirSync(join(PROTO_DIR, V2)).filter((f) => f.endsWith('.proto')).map((f) => `${V2}/${f}`);
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return root;
}

const idKey = (id: RawId | undefined): string => `${id?.resource_type ?? ''}:${id?.resource ?? ''}`;

function decoder(root: protobuf.Root, name: string): (data: unknown) => Record<string, unknown> {
  const type = root.lookupType(name);
  return (data) => type.toObject(type.decode(data as Uint8Array), { longs: Number, enums: Number, bytes: Uint8Array }) as Record<string, unknown>;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`c1z row mismatch: ${what}`);
}

function rows(file: IndependentC1z, table: string, columns: string): Record<string, unknown>[] {
  return file.query(`SELECT ${columns}, data FROM ${table} ORDER BY id`);
}

export async function decodeC1z(path: string): Promise<DecodedC1z> {
  const file = await openIndependently(path);
  try {
    check(file.magic.toString('latin1') === 'C1ZF\0', 'magic');
    const root = loadRoot();
    const out: DecodedC1z = {
      walk: { resourceTypes: [], resources: new Map(), entitlements: new Map(), grants: new Map(), pages: new Map() },
      users: new Map(),
      recordIds: new Set(),
      syncRuns: file.query('SELECT COUNT(*) AS n FROM v1_sync_runs WHERE ended_at IS NOT NULL')[0]?.['n'] as number,
    };
    readTypes(file, root, out);
    readResources(file, root, out);
    readEntitlements(file, root, out);
    readGrants(file, root, out);
    return out;
  } finally {
    file.close();
  }
}

function readTypes(file: IndependentC1z, root: protobuf.Root, out: DecodedC1z): void {
  const decode = decoder(root, 'c1.connector.v2.ResourceType');
  for (const row of rows(file, 'v1_resource_types', 'external_id')) {
    const type = decode(row['data']) as { id?: string };
    check(type.id === row['external_id'], `resource type ${String(row['external_id'])}`);
    out.walk.resourceTypes.push({ id: type.id });
    out.recordIds.add(`resource_type ${type.id}`);
  }
}

function readResources(file: IndependentC1z, root: protobuf.Root, out: DecodedC1z): void {
  const decode = decoder(root, 'c1.connector.v2.Resource');
  const userTrait = decoder(root, 'c1.connector.v2.UserTrait');
  const columns = 'external_id, resource_type_id, resource_id, parent_resource_type_id, parent_resource_id';
  for (const row of rows(file, 'v1_resources', columns)) {
    const resource = decode(row['data']) as RawResource;
    const key = idKey(resource.id);
    check(key === row['external_id'] && resource.id?.resource === row['resource_id'], `resource ${key}`);
    check((row['parent_resource_id'] ?? '') === (resource.parent_resource_id?.resource ?? ''), `parent of ${key}`);
    if (out.walk.resources.has(key)) throw new Error(`duplicate resource ${key}`);
    out.walk.resources.set(key, resource as never);
    out.recordIds.add(`resource ${key}`);
    if (resource.id?.resource_type !== 'user') continue;
    const trait = resource.annotations?.find((a) => a.type_url === 'type.googleapis.com/c1.connector.v2.UserTrait');
    check(trait !== undefined, `UserTrait of ${key}`);
    const user = userTrait(trait?.value ?? new Uint8Array()) as { login?: string; emails?: { address?: string }[]; status?: { status?: number } };
    out.users.set(resource.id.resource ?? '', {
      login: user.login ?? '',
      emails: (user.emails ?? []).map((e) => e.address ?? ''),
      status: user.status?.status ?? 0,
      parentSite: resource.parent_resource_id?.resource ?? '',
    });
  }
}

function readEntitlements(file: IndependentC1z, root: protobuf.Root, out: DecodedC1z): void {
  const decode = decoder(root, 'c1.connector.v2.Entitlement');
  for (const row of rows(file, 'v1_entitlements', 'external_id, resource_type_id, resource_id')) {
    const e = decode(row['data']) as { id?: string; resource?: RawResource };
    check(e.id === row['external_id'] && e.resource?.id?.resource === row['resource_id'], `entitlement ${String(e.id)}`);
    if (out.walk.entitlements.has(e.id ?? '')) throw new Error(`duplicate entitlement ${e.id}`);
    out.walk.entitlements.set(e.id ?? '', e as never);
    out.recordIds.add(`entitlement ${e.id}`);
  }
}

function readGrants(file: IndependentC1z, root: protobuf.Root, out: DecodedC1z): void {
  const decode = decoder(root, 'c1.connector.v2.Grant');
  const columns = 'external_id, entitlement_id, principal_resource_type_id, principal_resource_id';
  for (const row of rows(file, 'v1_grants', columns)) {
    const g = decode(row['data']) as { id?: string; entitlement?: { id?: string }; principal?: RawResource };
    check(g.id === row['external_id'] && g.entitlement?.id === row['entitlement_id'], `grant ${String(g.id)}`);
    check(idKey(g.principal?.id) === `${String(row['principal_resource_type_id'])}:${String(row['principal_resource_id'])}`, `principal of ${g.id}`);
    check(g.id === `${g.entitlement?.id}:${idKey(g.principal?.id)}`, `grant id ${g.id}`);
    if (out.walk.grants.has(g.id ?? '')) throw new Error(`duplicate grant ${g.id}`);
    out.walk.grants.set(g.id ?? '', g as never);
    out.recordIds.add(`grant ${g.id}`);
  }
}
