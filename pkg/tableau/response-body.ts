/**
 * Reading a response body: a 2xx body as tsResponse content (XML or Tableau's JSON mirror) or
 * authn-service JSON, and Tableau's error element out of an error body.
 */
import { parseError, type Endpoint, type TableauErrorBody } from './errors.js';
import type { AttemptResult, CallSpec } from './http.js';
import { toErrorBody, toJsonServiceError } from './normalize.js';
import { parseTsResponse, type Tree } from './xml-codec.js';

/** Parses a 2xx body: JSON when it looks like JSON, else a tsResponse document. */
export function parseBody(spec: CallSpec, endpoint: Endpoint, text: string): Omit<AttemptResult, 'endpoint'> {
  const trimmed = text.trimStart();
  try {
    if (spec.expect === 'service-json') return { json: JSON.parse(trimmed) };
    if (trimmed.startsWith('{')) {
      const json: unknown = JSON.parse(trimmed);
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('JSON body is not an object');
      return { tree: json as Tree };
    }
    return { tree: parseTsResponse(trimmed) };
  } catch (err) {
    throw parseError(endpoint, (err as Error).message, err);
  }
}

/** Tableau's error element from an error response, when the body has one. */
export function errorBody(text: string, serviceJson: boolean): TableauErrorBody | undefined {
  const trimmed = text.trimStart();
  try {
    if (trimmed.startsWith('{')) {
      const json: unknown = JSON.parse(trimmed);
      return serviceJson ? (toJsonServiceError(json) ?? toErrorBody(json as Tree)) : toErrorBody(json as Tree);
    }
    if (trimmed.startsWith('<')) return toErrorBody(parseTsResponse(trimmed));
  } catch {
    // An unreadable error body still yields a typed error from the HTTP status.
  }
  return undefined;
}
