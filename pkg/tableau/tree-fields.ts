/** Field readers over the parsed response tree shared by the normalisers, and the ShapeError they throw. */
import type { Tree } from './xml-codec.js';

/** A response that does not have the shape the endpoint promises. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

export function isTree(x: unknown): x is Tree {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A single child element (list-typed names such as `site`/`user` arrive as one-item arrays). */
export function child(node: Tree, name: string): Tree | undefined {
  const raw = node[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return isTree(value) ? value : undefined;
}

/**
 * Longest text value accepted. Tableau's own limits are far lower (names 255, descriptions a few KB);
 * a longer value is a corrupted or hostile response, and would otherwise end up in every record.
 */
const MAX_TEXT_LENGTH = 65_536;

export function optString(node: Tree | undefined, name: string): string | undefined {
  const value = node?.[name];
  if (typeof value === 'string') {
    if (value.length > MAX_TEXT_LENGTH) throw new ShapeError(`${name} is ${value.length} characters long (limit ${MAX_TEXT_LENGTH})`);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // JSON may wrap text with attributes as {value: "..."} (e.g. productVersion).
  if (isTree(value) && typeof value['value'] === 'string') return value['value'];
  return undefined;
}

export function reqString(node: Tree, name: string, what: string): string {
  const value = optString(node, name);
  if (value === undefined || value === '') throw new ShapeError(`${what} without ${name}`);
  return value;
}

export function optNumber(node: Tree | undefined, name: string): number | undefined {
  const text = optString(node, name);
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export function reqInteger(node: Tree, name: string, what: string): number {
  const text = optString(node, name);
  const n = text === undefined || text.trim() === '' ? NaN : Number(text);
  if (!Number.isInteger(n) || n < 0) throw new ShapeError(`${what} ${name} is not a non-negative integer`);
  return n;
}

export function optBoolean(node: Tree | undefined, name: string): boolean | undefined {
  const text = optString(node, name);
  return text === undefined ? undefined : text === 'true';
}

/**
 * Copies only defined values so optional fields stay absent (never invented). A copy rather than
 * `delete`: deleting turns an object into a slow dictionary, and millions of users pass through here.
 */
export function defined<T extends object>(obj: T): T {
  const out: Partial<T> = {};
  for (const key in obj) if (obj[key] !== undefined) out[key] = obj[key];
  return out as T;
}

export function setIfDefined<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}
