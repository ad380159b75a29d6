/**
 * Tableau's error reply: `<error code="NNNNNN"><summary/><detail/></error>`, where the first three digits
 * of the code are the HTTP status.
 */
import type { XNode } from './render.js';

export class SimError extends Error {
  readonly status: number;

  constructor(readonly code: string, readonly summary: string, readonly detail: string, readonly headers: Record<string, string> = {}) {
    super(`${code} ${summary}: ${detail}`);
    this.status = Number(code.slice(0, 3));
  }

  toNode(): XNode {
    return { tag: 'error', attrs: { code: this.code }, children: [
      { tag: 'summary', text: this.summary }, { tag: 'detail', text: this.detail }] };
  }
}

export const badRequest = (detail: string): SimError => new SimError('400000', 'Bad Request', detail);
export const noCredentials = (): SimError =>
  new SimError('401000', 'Unauthorized Access', 'No authentication credentials were provided.');
export const invalidToken = (): SimError =>
  new SimError('401002', 'Unauthorized Access', 'Invalid authentication credentials were provided.');
export const signInFailed = (): SimError => new SimError('401001', 'Signin Error',
  'Error signing in to Tableau Server (the credentials or the site are not valid).');
export const forbidden = (detail: string): SimError => new SimError('403000', 'Forbidden', detail);
export const siteNotFound = (id: string): SimError =>
  new SimError('404000', 'Site not found', `The site '${id}' could not be found.`);
export const userNotFound = (id: string): SimError =>
  new SimError('404002', 'User not found', `The user '${id}' could not be found.`);
export const resourceNotFound = (detail: string): SimError => new SimError('404001', 'Resource not found', detail);
export const unknownResource = (path: string): SimError =>
  new SimError('404003', 'Resource Not Found', `Unknown resource '${path}' specified in URI.`);
