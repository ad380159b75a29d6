/**
 * Request bodies as plain objects: XML `<tsRequest>` (with or without xmlns; TSC sends none) and the
 * JSON mirror both become `{ user: { name, siteRole } }`-style trees with attributes as properties.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { badRequest } from './errors.js';

/** A parsed request body: elements and attributes as properties. */
export type BodyTree = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
});

export function parseBody(raw: string, contentType: string | undefined): BodyTree {
  const text = raw.trim();
  if (text === '') return {};
  if (contentType?.includes('json') || text.startsWith('{')) return parseJson(text);
  if (XMLValidator.validate(text) !== true) throw badRequest('The request body is not well-formed XML.');
  const doc = parser.parse(text) as BodyTree;
  const root = doc.tsRequest;
  if (root === undefined || typeof root !== 'object' || root === null) {
    throw badRequest('The request body must be a tsRequest element.');
  }
  const tree = { ...(root as BodyTree) };
  delete tree.xmlns;
  return tree;
}

function parseJson(text: string): BodyTree {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as BodyTree;
  } catch {
    // fall through to the Tableau-style error below
  }
  throw badRequest('The request body is not valid JSON.');
}

/** A child element as an object, or undefined. */
export function child(tree: unknown, name: string): BodyTree | undefined {
  if (typeof tree !== 'object' || tree === null) return undefined;
  const value = (tree as BodyTree)[name];
  if (Array.isArray(value)) return value[0] as BodyTree | undefined;
  return typeof value === 'object' && value !== null ? (value as BodyTree) : value === '' ? {} : undefined;
}

/** Repeated child elements (`<users><user/><user/></users>` or `{"users":{"user":[...]}}`). */
export function children(tree: unknown, name: string): BodyTree[] {
  if (typeof tree !== 'object' || tree === null) return [];
  const value = (tree as BodyTree)[name];
  if (Array.isArray(value)) return value.filter((v): v is BodyTree => typeof v === 'object' && v !== null);
  return typeof value === 'object' && value !== null ? [value as BodyTree] : [];
}

/** An attribute as a string (JSON booleans/numbers are stringified like XML attributes). */
export function attr(tree: BodyTree | undefined, name: string): string | undefined {
  const value = tree?.[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? undefined : String(value);
}
