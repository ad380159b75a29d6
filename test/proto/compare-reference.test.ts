/**
 * Our .proto files must be wire-identical to the Baton SDK's: every message, enum, field, service and
 * method we define is compared with the reference files (when ../shared/reference is present).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { protoRoot } from '../../proto/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ourDir = join(repoRoot, 'proto');
const refDir = resolve(repoRoot, '../shared/reference/baton-proto');
const V2 = 'c1/connector/v2';

/** Loads files with snake_case names kept, so both sides are compared as written. */
function load(includeRoots: string[], files: string[]): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    if (isAbsolute(target)) return target;
    const found = includeRoots.map((dir) => join(dir, target)).find((p) => existsSync(p));
    return found ?? target;
  };
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return root;
}

const ourFiles = readdirSync(join(ourDir, V2)).filter((f) => f.endsWith('.proto'));

function walk(ns: protobuf.NamespaceBase, out: protobuf.ReflectionObject[] = []): protobuf.ReflectionObject[] {
  for (const child of ns.nestedArray) {
    out.push(child);
    if (child instanceof protobuf.Namespace) walk(child, out);
  }
  return out;
}

/** Everything that decides the wire format (and the JSON names) of a field. */
function fieldShape(f: protobuf.Field): Record<string, unknown> {
  f.resolve();
  return {
    id: f.id,
    type: f.resolvedType ? f.resolvedType.fullName : f.type,
    repeated: f.repeated,
    keyType: f instanceof protobuf.MapField ? f.keyType : undefined,
    oneof: f.partOf?.name,
    proto3Optional: Boolean(f.options?.['proto3_optional']),
    packed: f.packed,
  };
}

const haveReference = existsSync(refDir);
// A fresh clone has no ../shared beside it: say so rather than skip silently.
if (!haveReference) console.warn(`skipping the Baton SDK proto comparison: reference not found at ${refDir}`);

describe.skipIf(!haveReference)('our protos against the Baton SDK reference', () => {
  // Loaded in beforeAll, not in the describe body: vitest runs a skipped suite's body to collect its tests.
  let ours: protobuf.Root;
  let reference: protobuf.Root;
  let ourObjects: protobuf.ReflectionObject[];
  beforeAll(() => {
    ours = load([ourDir], ourFiles.map((f) => join(ourDir, V2, f)));
    reference = load([join(refDir, 'proto'), refDir, join(repoRoot, 'node_modules/protobufjs')], ourFiles.map((f) => join(refDir, 'proto', V2, f)));
    ourObjects = walk(ours.lookup('c1.connector.v2') as protobuf.Namespace);
  });

  test('defines every message, enum and service of the files it mirrors, nothing more', () => {
    const refObjects = walk(reference.lookup('c1.connector.v2') as protobuf.Namespace)
      .filter((o) => o.filename && ourFiles.some((f) => o.filename!.endsWith(`${V2}/${f}`)))
      .map((o) => o.fullName)
      .sort();
    expect(ourObjects.map((o) => o.fullName).sort()).toEqual(refObjects);
    expect(ourObjects.length).toBeGreaterThan(100);
  });

  test('messages have the same fields (names, numbers, types, labels, oneofs)', () => {
    for (const type of ourObjects.filter((o): o is protobuf.Type => o instanceof protobuf.Type)) {
      const ref = reference.lookupType(type.fullName);
      const shape = (t: protobuf.Type) => Object.fromEntries(t.fieldsArray.map((f) => [f.name, fieldShape(f)]));
      expect(shape(type), type.fullName).toEqual(shape(ref));
    }
  });

  test('enums have the same values', () => {
    for (const e of ourObjects.filter((o): o is protobuf.Enum => o instanceof protobuf.Enum)) {
      expect(e.values, e.fullName).toEqual(reference.lookupEnum(e.fullName).values);
    }
  });

  test('services have the same methods, types and streaming', () => {
    const services = ourObjects.filter((o): o is protobuf.Service => o instanceof protobuf.Service);
    expect(services.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'ConnectorService', 'ResourceTypesService', 'ResourcesService', 'ResourceGetterService',
        'EntitlementsService', 'GrantsService', 'GrantManagerService', 'ResourceManagerService',
        'ResourceDeleterService', 'AccountManagerService',
      ]),
    );
    const shape = (s: protobuf.Service) =>
      s.methodsArray.map((m) => {
        m.resolve();
        return [m.name, m.resolvedRequestType?.fullName, m.resolvedResponseType?.fullName, !!m.requestStream, !!m.responseStream];
      });
    for (const service of services) expect(shape(service), service.fullName).toEqual(shape(reference.lookupService(service.fullName)));
  });

  test('a message encoded with our definitions decodes identically with the reference', () => {
    const resource = {
      id: { resource_type: 'user', resource: 'u-1' },
      display_name: 'Ada',
      status: { status: 2, details: 'locked' },
      created_at: { seconds: 1_700_000_000, nanos: 5 },
    };
    const bytes = ours.lookupType('c1.connector.v2.Resource').encode(resource).finish();
    const back = reference.lookupType('c1.connector.v2.Resource').decode(bytes);
    expect(reference.lookupType('c1.connector.v2.Resource').toObject(back, { longs: Number })).toEqual(resource);
  });
});

const BATON = 'c1/connectorapi/baton/v1/baton.proto';

describe.skipIf(!existsSync(refDir))('our baton.proto (ConductorOne BatonService) against the reference', () => {
  const ours = load([ourDir], [join(ourDir, BATON)]);
  // The reference tree has no googleapis: google/rpc/status.proto comes from ours (the same three fields).
  const reference = load([join(refDir, 'proto'), refDir, join(repoRoot, 'node_modules/protobufjs'), ourDir], [join(refDir, 'proto', BATON)]);
  const ourObjects = walk(ours.lookup('c1.connectorapi.baton.v1') as protobuf.Namespace);

  test('same messages, enums and service, nothing more', () => {
    const refNames = walk(reference.lookup('c1.connectorapi.baton.v1') as protobuf.Namespace).map((o) => o.fullName);
    expect(ourObjects.map((o) => o.fullName).sort()).toEqual(refNames.sort());
    expect(ourObjects.length).toBeGreaterThan(40);
  });

  test('messages have the same fields, enums the same values', () => {
    const shape = (t: protobuf.Type) => Object.fromEntries(t.fieldsArray.map((f) => [f.name, fieldShape(f)]));
    for (const o of ourObjects) {
      if (o instanceof protobuf.Type) expect(shape(o), o.fullName).toEqual(shape(reference.lookupType(o.fullName)));
      if (o instanceof protobuf.Enum) expect(o.values, o.fullName).toEqual(reference.lookupEnum(o.fullName).values);
    }
  });

  test('BatonService has the same methods, types and streaming (UploadAsset is a client stream)', () => {
    const shape = (s: protobuf.Service) =>
      s.methodsArray.map((m) => {
        m.resolve();
        return [m.name, m.resolvedRequestType?.fullName, m.resolvedResponseType?.fullName, !!m.requestStream, !!m.responseStream];
      });
    const service = ours.lookupService('c1.connectorapi.baton.v1.BatonService');
    expect(shape(service)).toEqual(shape(reference.lookupService(service.fullName)));
    expect(service.methods['UploadAsset']?.requestStream).toBe(true);
  });

  test('a sync_full task encoded with ours decodes identically with the reference', () => {
    const task = {
      id: '2ZaAbCdEfGhIjKlMnOpQrStUvWx',
      status: 3,
      sync_full: { skip_grants: true, targeted_sync_resources: [{ id: { resource_type: 'user', resource: 'u-1' } }] },
    };
    const bytes = ours.lookupType('c1.connectorapi.baton.v1.Task').encode(task).finish();
    const refType = reference.lookupType('c1.connectorapi.baton.v1.Task');
    expect(refType.toObject(refType.decode(bytes), { longs: Number })).toEqual(task);
  });
});

test('the runtime root loads every service we serve, plus google.rpc.Status', () => {
  const root = protoRoot();
  expect(root.lookupService('c1.connector.v2.GrantManagerService').methods['Revoke']).toBeDefined();
  expect(root.lookupType('google.rpc.Status').fields['details']?.repeated).toBe(true);
  expect(root.lookupService('c1.connectorapi.baton.v1.BatonService').methods['UploadAsset']?.requestStream).toBe(true);
});
