/**
 * Loader and codec for the Baton wire protocol (our .proto files beside this module).
 *
 * Messages are protobufjs plain objects (shapes in ./types.ts). `encode` hands them straight to the
 * generated `Type.encode` (no `fromObject` copy: it is on the hot path of multi-million-grant syncs),
 * so callers must use the plain shapes exactly: enums as numbers, bytes as Uint8Array.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { Any, Struct, Timestamp, Value } from './types.js';

export type * from './types.js';
export * from './types-enums.js';

const TYPE_URL_PREFIX = 'type.googleapis.com/';
const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: Number, defaults: false };
const EMPTY_BYTES = new Uint8Array(0);

let root: protobuf.Root | undefined;
const typeCache = new Map<string, protobuf.Type>();

/**
 * The folder holding `c1/` and `google/`: this module's own folder when run from source
 * (proto/index.ts), or `../../proto` from the compiled dist/proto/index.js.
 */
export function protoDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, resolve(here, '../../proto')]) {
    if (existsSync(join(dir, 'c1/connector/v2/connector.proto'))) return dir;
  }
  throw new Error(`Baton .proto files not found next to ${here}`);
}

/** Our proto files, relative to protoDir (import paths read `c1/connector/v2/...`); baton.proto is ConductorOne's BatonService. */
function protoFiles(dir: string): string[] {
  const v2 = 'c1/connector/v2';
  const connector = readdirSync(join(dir, v2))
    .filter((f) => f.endsWith('.proto'))
    .map((f) => `${v2}/${f}`);
  return [...connector, 'google/rpc/status.proto', 'c1/connectorapi/baton/v1/baton.proto'];
}

/**
 * Two fixes to protobufjs's bundled google.protobuf.Any so it has the `{typeUrl, value}` shape:
 * the bundled definition keeps the snake_case `type_url` (our .proto files are camelCased on load),
 * and `defaults: false` would drop an empty `value` (the SDK's marker annotations such as SkipGrants
 * encode to zero bytes) although callers rely on both members being present.
 */
function normalizeAny(r: protobuf.Root): void {
  const anyType = r.lookupType('google.protobuf.Any');
  const snake = anyType.fields['type_url'];
  if (snake) {
    anyType.remove(snake);
    anyType.add(new protobuf.Field('typeUrl', 1, 'string'));
  }
  anyType.setup();
  anyType.toObject = (m: protobuf.Message<object>) => {
    const raw = m as unknown as { typeUrl?: string; value?: unknown };
    // An absent value reads the prototype default, which protobufjs makes an empty Array.
    return { typeUrl: raw.typeUrl ?? '', value: raw.value instanceof Uint8Array ? raw.value : EMPTY_BYTES };
  };
}

/** The protobufjs root holding every message and service we speak; loaded once. */
export function protoRoot(): protobuf.Root {
  if (root) return root;
  const dir = protoDir();
  const r = new protobuf.Root();
  // google/protobuf/* resolve to protobufjs's bundled definitions before this is consulted.
  r.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(dir, target));
  r.loadSync(protoFiles(dir).map((f) => join(dir, f)));
  normalizeAny(r);
  r.resolveAll();
  root = r;
  return r;
}

/** The message type named `fullName` (e.g. 'c1.connector.v2.Resource'); throws if unknown. */
export function messageType(fullName: string): protobuf.Type {
  let type = typeCache.get(fullName);
  if (!type) {
    type = protoRoot().lookupType(fullName);
    typeCache.set(fullName, type);
  }
  return type;
}

/** Encodes a plain object of the named message. */
export function encode(fullName: string, msg: object): Uint8Array {
  return messageType(fullName).encode(msg).finish();
}

/** Decodes bytes into a plain object (camelCase, enums and int64 as numbers, defaults omitted). */
export function decode<T>(fullName: string, bytes: Uint8Array): T {
  const type = messageType(fullName);
  return type.toObject(type.decode(bytes), TO_OBJECT) as T;
}

/** Wraps a message in a google.protobuf.Any. */
export function packAny(fullName: string, msg: object): Any {
  return { typeUrl: TYPE_URL_PREFIX + fullName, value: encode(fullName, msg) };
}

/** Opens an Any whose type we know; undefined when the type is not one of ours. */
export function unpackAny<T>(any: Any): { fullName: string; message: T } | undefined {
  const fullName = any.typeUrl.slice(any.typeUrl.lastIndexOf('/') + 1);
  if (!fullName || protoRoot().lookup(fullName) === null) return undefined;
  try {
    return { fullName, message: decode<T>(fullName, any.value ?? EMPTY_BYTES) };
  } catch {
    return undefined;
  }
}

/** The first annotation of the named type, decoded. */
export function findAnnotation<T>(annotations: Any[] | undefined, fullName: string): T | undefined {
  const typeUrl = TYPE_URL_PREFIX + fullName;
  const found = annotations?.find((a) => a.typeUrl === typeUrl);
  return found ? decode<T>(fullName, found.value ?? EMPTY_BYTES) : undefined;
}

function toValue(v: unknown): Value | undefined {
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (v === null) return { nullValue: 0 };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'bigint') return { numberValue: Number(v) };
  if (typeof v === 'boolean') return { boolValue: v };
  if (v instanceof Date) return { stringValue: v.toISOString() };
  if (Array.isArray(v)) return { listValue: { values: v.map((x) => toValue(x) ?? { nullValue: 0 }) } };
  return { structValue: toStruct(v as Record<string, unknown>) };
}

/** A JSON-like object as google.protobuf.Struct (undefined members are left out, like JSON). */
export function toStruct(obj: Record<string, unknown>): Struct {
  const fields: Record<string, Value> = {};
  for (const [key, v] of Object.entries(obj)) {
    const value = toValue(v);
    if (value) fields[key] = value;
  }
  return { fields };
}

function fromValue(v: Value): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.numberValue !== undefined) return v.numberValue;
  if (v.boolValue !== undefined) return v.boolValue;
  // Oneof members are declared `| null` (protobufjs's virtual-oneof typing); decode leaves them out.
  if (v.structValue != null) return fromStruct(v.structValue);
  if (v.listValue != null) return (v.listValue.values ?? []).map(fromValue);
  return null;
}

/** google.protobuf.Struct back to a plain object. */
export function fromStruct(s: Struct | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(s?.fields ?? {})) out[key] = fromValue(v);
  return out;
}

/** A date (Date, ISO string or epoch milliseconds) as google.protobuf.Timestamp. */
export function toTimestamp(d: Date | string | number): Timestamp {
  const ms = d instanceof Date ? d.getTime() : typeof d === 'number' ? d : Date.parse(d);
  if (!Number.isFinite(ms)) throw new TypeError(`not a valid date: ${String(d)}`);
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return nanos ? { seconds, nanos } : { seconds };
}

/** The methods of a service (e.g. 'c1.connector.v2.ResourcesService') with their gRPC paths. */
export function serviceMethods(
  fullServiceName: string,
): { name: string; path: string; requestType: string; responseType: string }[] {
  const service = protoRoot().lookupService(fullServiceName);
  return service.methodsArray.map((m) => {
    m.resolve();
    return {
      name: m.name,
      path: `/${fullServiceName}/${m.name}`,
      requestType: m.resolvedRequestType!.fullName.slice(1),
      responseType: m.resolvedResponseType!.fullName.slice(1),
    };
  });
}
