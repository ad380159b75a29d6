/**
 * Protobuf bytes → protojson-style JSON (what the Baton SDK prints with protojson.Marshal): lowerCamel
 * keys, unset fields left out, enums by name, 64-bit integers and bytes as strings, and the JSON forms
 * of the well-known types (Any with `@type`, Struct as a plain object, Timestamp as RFC 3339).
 */
import protobuf from 'protobufjs';
import { messageType, protoRoot } from '../proto/index.js';

type Json = unknown;

const TYPE_URL_PREFIX = 'type.googleapis.com/';
const WRAPPERS = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map((n) => `google.protobuf.${n}Value`),
);
const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** Decodes `bytes` as the message `fullName` and returns its protojson value. */
export function protoJsonFromBytes(fullName: string, bytes: Uint8Array): Json {
  const type = messageType(fullName);
  return messageJson(type, type.decode(bytes));
}

/** Protojson of a plain object of the message `fullName` (enums as numbers, as proto/index.ts uses). */
export function protoJsonFromObject(fullName: string, object: object): Json {
  const type = messageType(fullName);
  return messageJson(type, type.decode(type.encode(object).finish()));
}

/** `{"@type": "type.googleapis.com/<fullName>", ...}` — the SDK's protojson of an Any. */
export function anyJson(fullName: string, object: object): Record<string, Json> {
  return { '@type': TYPE_URL_PREFIX + fullName, ...(protoJsonFromObject(fullName, object) as Record<string, Json>) };
}

function messageJson(type: protobuf.Type, message: protobuf.Message): Json {
  const name = type.fullName.replace(/^\./, '');
  const special = wellKnownJson(name, message as unknown as Record<string, unknown>);
  if (special !== undefined) return special;
  const out: Record<string, Json> = {};
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(message, field.name)) continue;
    const value = (message as unknown as Record<string, unknown>)[field.name];
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) ? value.length === 0 : field.map && Object.keys(value as object).length === 0) continue;
    out[field.name] = fieldJson(field, value);
  }
  return out;
}

function fieldJson(field: protobuf.Field, value: unknown): Json {
  field.resolve();
  if (field.map) {
    const entries = Object.entries(value as Record<string, unknown>);
    return Object.fromEntries(entries.map(([k, v]) => [k, singleJson(field, v)]));
  }
  if (field.repeated) return (value as unknown[]).map((v) => singleJson(field, v));
  return singleJson(field, value);
}

function singleJson(field: protobuf.Field, value: unknown): Json {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) return resolved.valuesById[value as number] ?? value;
  if (resolved instanceof protobuf.Type) return messageJson(resolved, value as protobuf.Message);
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  if (LONG_TYPES.has(field.type)) return String(value);
  return value;
}

function wellKnownJson(name: string, m: Record<string, unknown>): Json | undefined {
  switch (name) {
    case 'google.protobuf.Any':
      return anyMessageJson(String(m['typeUrl'] ?? ''), (m['value'] as Uint8Array | undefined) ?? new Uint8Array(0));
    case 'google.protobuf.Struct':
      return structJson(m);
    case 'google.protobuf.Value':
      return valueJson(m);
    case 'google.protobuf.ListValue':
      return ((m['values'] as Record<string, unknown>[] | undefined) ?? []).map(valueJson);
    case 'google.protobuf.Timestamp':
      return timestampJson(Number(m['seconds'] ?? 0), Number(m['nanos'] ?? 0));
    case 'google.protobuf.Duration':
      return `${Number(m['seconds'] ?? 0) + Number(m['nanos'] ?? 0) / 1e9}s`;
    case 'google.protobuf.Empty':
      return {};
    default:
      if (!WRAPPERS.has(name)) return undefined;
      return name.endsWith('Int64Value') ? String(m['value'] ?? 0) : (m['value'] ?? defaultWrapped(name));
  }
}

function anyMessageJson(typeUrl: string, value: Uint8Array): Json {
  const fullName = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
  const inner = fullName ? protoRoot().lookup(fullName) : null;
  if (!(inner instanceof protobuf.Type)) return { '@type': typeUrl, value: Buffer.from(value).toString('base64') };
  const json = messageJson(inner, inner.decode(value));
  const isObject = json !== null && typeof json === 'object' && !Array.isArray(json);
  // Well-known types with a non-object JSON form nest under "value", as protojson does.
  return isObject && !fullName.startsWith('google.protobuf.') ? { '@type': typeUrl, ...json } : { '@type': typeUrl, value: json };
}

function structJson(m: Record<string, unknown>): Record<string, Json> {
  const fields = (m['fields'] as Record<string, Record<string, unknown>> | undefined) ?? {};
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, valueJson(v)]));
}

/** google.protobuf.Value: the kind is the one own (decoded) member; prototype defaults do not count. */
function valueJson(v: Record<string, unknown>): Json {
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(v, key) && v[key] != null;
  if (has('stringValue')) return v['stringValue'];
  if (has('numberValue')) return v['numberValue'];
  if (has('boolValue')) return v['boolValue'];
  if (has('structValue')) return structJson(v['structValue'] as Record<string, unknown>);
  if (has('listValue')) {
    return (((v['listValue'] as Record<string, unknown>)['values'] as Record<string, unknown>[] | undefined) ?? []).map(valueJson);
  }
  return null;
}

function timestampJson(seconds: number, nanos: number): string {
  const iso = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  if (!nanos) return iso;
  // protojson prints 3, 6 or 9 fractional digits, whichever is the shortest exact form.
  const digits = String(nanos).padStart(9, '0');
  const fraction = digits.endsWith('000000') ? digits.slice(0, 3) : digits.endsWith('000') ? digits.slice(0, 6) : digits;
  return iso.replace(/(\.\d+)?Z$/, `.${fraction}Z`);
}

function defaultWrapped(name: string): Json {
  if (name === 'google.protobuf.BoolValue') return false;
  if (name === 'google.protobuf.StringValue' || name === 'google.protobuf.BytesValue') return '';
  return 0;
}
