/**
 * The only module that touches fast-xml-parser. XML responses are turned into the same plain tree that
 * Tableau's JSON format uses (attributes become properties, child elements become nested objects, text
 * of an element with attributes becomes `value`), so one set of normalisers reads both formats.
 * Requests are built from the same tree shape, matching the XSD (`<tsRequest>…</tsRequest>`).
 */
import type { XMLParser } from 'fast-xml-parser';
import { createRequire } from 'node:module';

/** A parsed element: attributes and children by name. */
export type Tree = Record<string, unknown>;

/** Elements that are lists in Tableau's schema even when a single item (or none) is present. */
const LIST_ELEMENTS = new Set([
  'user', 'group', 'site', 'workbook', 'datasource', 'flow', 'groupSet', 'siteAuthConfiguration', 'statusNote',
]);

const OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: 'value',
  // Everything stays a string: the normalisers convert the few numbers they need, and skipping value
  // parsing keeps a 1000-user page cheap.
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  htmlEntities: false,
  trimValues: true,
  isArray: (tagName: string) => LIST_ELEMENTS.has(tagName),
};

// Tableau uses a default namespace (no prefixes); stripping prefixes costs ~40% of the parse, so the
// prefix-stripping parser only runs for the rare document that uses them. Both are made on first use:
// loading fast-xml-parser takes ~20 ms of start-up, which a sync in Tableau's JSON format never needs.
let parsers: { plain: XMLParser; prefixed: XMLParser } | undefined;

function xmlParsers(): { plain: XMLParser; prefixed: XMLParser } {
  if (!parsers) {
    const { XMLParser: Parser } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
    parsers = { plain: new Parser(OPTIONS), prefixed: new Parser({ ...OPTIONS, removeNSPrefix: true }) };
  }
  return parsers;
}

const ROOT_PREFIX = /<[\w.-]+:tsResponse\b/;
const DOCTYPE = /<!DOCTYPE|<!ENTITY/i;

/** Matches a complete document: it must end with the closing (or self-closed) root element. */
const COMPLETE_ROOT = /(?:<\/(?:[\w.-]+:)?tsResponse\s*>|<(?:[\w.-]+:)?tsResponse\b[^<>]*\/>)\s*$/;

/**
 * Parses a `<tsResponse>` document and returns its content (the children of the root).
 * Throws a plain Error describing the problem when the text is not a complete tsResponse document.
 */
export function parseTsResponse(xml: string): Tree {
  if (!COMPLETE_ROOT.test(xml)) throw new Error('not a complete <tsResponse> document (truncated, HTML or wrong root)');
  // Tableau never sends a DTD; refusing one rules out entity-expansion bombs and external entities.
  if (DOCTYPE.test(xml)) throw new Error('document type declarations are not accepted');
  let doc: unknown;
  try {
    const { plain, prefixed } = xmlParsers();
    doc = (ROOT_PREFIX.test(xml.slice(0, 512)) ? prefixed : plain).parse(xml);
  } catch (err) {
    throw new Error(`malformed XML (${(err as Error).message})`, { cause: err });
  }
  const root = (doc as Tree | undefined)?.['tsResponse'];
  if (root === undefined) throw new Error('root element is not <tsResponse>');
  // `<tsResponse/>` with no attributes parses as an empty string.
  return typeof root === 'object' && root !== null ? (root as Tree) : {};
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes a value for use inside a double-quoted XML attribute (also newlines/tabs, kept verbatim). */
export function escapeXmlAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c).replace(/[\n\r\t]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Primitive attribute values; undefined attributes are omitted. */
type AttrValue = string | number | boolean | undefined;

/** A request element: primitives are attributes, objects are child elements, arrays repeat a child. */
export interface RequestNode {
  [name: string]: AttrValue | RequestNode | RequestNode[];
}

function elementXml(name: string, node: RequestNode): string {
  let attrs = '';
  let children = '';
  for (const [key, value] of Object.entries(node)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) children += value.map((child) => elementXml(key, child)).join('');
    else if (typeof value === 'object') children += elementXml(key, value);
    else attrs += ` ${key}="${escapeXmlAttribute(String(value))}"`;
  }
  return children === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${children}</${name}>`;
}

/** Serialises a request body: `{user:{name:'a'}}` → `<tsRequest><user name="a"/></tsRequest>`. */
export function buildTsRequest(content: RequestNode): string {
  return elementXml('tsRequest', content);
}

/** The same body as Tableau's JSON request format (no tsRequest wrapper; undefined fields dropped). */
export function buildJsonRequest(content: RequestNode): string {
  return JSON.stringify(content);
}
