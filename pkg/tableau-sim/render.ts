/**
 * Tableau's two wire formats from one tree: XML (`<tsResponse xmlns="http://tableau.com/api">`) and the
 * JSON mirror Tableau sends for `Accept: application/json` (attributes become string properties, booleans
 * stay booleans, lists become `{"users":{"user":[...]}}` even for one item, an empty list is `{}`, child
 * elements come before attributes, no tsResponse wrapper). Sources: README "JSON details and their sources".
 */

type AttrValue = string | number | boolean | null | undefined;

/** One element. `list` marks list wrappers (`users`, `groups`, ...) whose children form a JSON array. */
export interface XNode {
  tag: string;
  attrs?: Record<string, AttrValue>;
  children?: XNode[];
  text?: string;
  list?: boolean;
}

/** A list of pre-rendered UTF-8 item fragments (already in the response format), for fast pages. */
interface RawList {
  tag: string;
  itemTag: string;
  items: Buffer[];
}

/** A top-level element of a response body. */
export type Piece = XNode | RawList;

/** Response format chosen from the Accept header. */
export type Format = 'xml' | 'json';

const XML_HEAD = '<?xml version=\'1.0\' encoding=\'UTF-8\'?><tsResponse xmlns="http://tableau.com/api" '
  + 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
  + 'xsi:schemaLocation="http://tableau.com/api https://help.tableau.com/samples/en-us/rest_api/ts-api_3_29.xsd">';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string);
}

function renderXmlNode(node: XNode): string {
  let out = `<${node.tag}`;
  for (const [name, value] of Object.entries(node.attrs ?? {})) {
    if (value !== undefined && value !== null) out += ` ${name}="${escapeXml(String(value))}"`;
  }
  const children = node.children ?? [];
  if (children.length === 0 && node.text === undefined) return `${out}/>`;
  out += '>';
  if (node.text !== undefined) out += escapeXml(node.text);
  for (const child of children) out += renderXmlNode(child);
  return `${out}</${node.tag}>`;
}

/**
 * The JSON value of an element (without its tag): its text as `value` first, then its child elements,
 * then its attributes (the order of Tableau's own JSON: `{"site":…,"user":…,"token":…}`,
 * `{"summary":…,"detail":…,"code":…}`, `{"value":"2022.1.5","build":…}`).
 */
export function jsonValue(node: XNode): unknown {
  if (node.list) {
    const items = (node.children ?? []).map(jsonValue);
    const first = node.children?.[0];
    return first ? { [first.tag]: items } : {};
  }
  const attrs = Object.entries(node.attrs ?? {}).filter(([, value]) => value !== undefined && value !== null);
  const children = node.children ?? [];
  if (node.text !== undefined && attrs.length === 0 && children.length === 0) return node.text;
  const out: Record<string, unknown> = {};
  if (node.text !== undefined) out.value = node.text;
  for (const child of children) out[child.tag] = jsonValue(child);
  for (const [name, value] of attrs) out[name] = typeof value === 'boolean' ? value : String(value);
  return out;
}

/** A fragment of one list item in the given format, as UTF-8 bytes ready to be joined into pages. */
export function renderFragment(node: XNode, format: Format): Buffer {
  return Buffer.from(format === 'xml' ? renderXmlNode(node) : JSON.stringify(jsonValue(node)));
}

function isRawList(piece: Piece): piece is RawList {
  return 'items' in piece;
}

const COMMA = Buffer.from(',');

/** Cached fragments joined without building a page-sized string (the hot path of big listings). */
function rawListChunks(piece: RawList, format: Format): Buffer[] {
  if (format === 'xml') {
    if (piece.items.length === 0) return [Buffer.from(`<${piece.tag}/>`)];
    return [Buffer.from(`<${piece.tag}>`), ...piece.items, Buffer.from(`</${piece.tag}>`)];
  }
  if (piece.items.length === 0) return [Buffer.from(`"${piece.tag}":{}`)];
  const chunks: Buffer[] = [Buffer.from(`"${piece.tag}":{"${piece.itemTag}":[`)];
  piece.items.forEach((item, i) => {
    if (i > 0) chunks.push(COMMA);
    chunks.push(item);
  });
  chunks.push(Buffer.from(']}'));
  return chunks;
}

/** A whole response body (UTF-8) from its top-level pieces. */
export function renderBody(pieces: Piece[], format: Format): Buffer {
  const chunks: Buffer[] = [Buffer.from(format === 'xml' ? XML_HEAD : '{')];
  pieces.forEach((piece, i) => {
    if (format === 'json' && i > 0) chunks.push(COMMA);
    if (isRawList(piece)) chunks.push(...rawListChunks(piece, format));
    else if (format === 'xml') chunks.push(Buffer.from(renderXmlNode(piece)));
    else chunks.push(Buffer.from(`${JSON.stringify(piece.tag)}:${JSON.stringify(jsonValue(piece))}`));
  });
  chunks.push(Buffer.from(format === 'xml' ? '</tsResponse>' : '}'));
  return Buffer.concat(chunks);
}
