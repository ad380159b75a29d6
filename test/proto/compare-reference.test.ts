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

test('the runtime root loads every service we serve, plus google.rpc.Status', () => {
  const root = protoRoot();
  expect(root.lookupService('c1.connector.v2.GrantManagerService').methods['Revoke']).toBeDefined();
  expect(root.lookupType('google.rpc.Status').fields['details']?.repeated).toBe(true);
});
