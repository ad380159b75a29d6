/**
 * Answers that are not what they seem: a server that is not Tableau's REST API (a web page, a login
 * portal, another application's 404: usually a wrong host or a missing path prefix in --server-path),
 * and Tableau errors sent with status 200. Both must become one clear error, never a success and
 * never a shapeless parse error.
 */
import { errorFromResponse, TableauError, type Endpoint, type TableauErrorBody } from './errors.js';

/** What came back, as the error message shows it: `404 text/html ("Sign in")`. */
function describeAnswer(status: number, contentType: string | undefined, text: string): string {
  const type = contentType?.split(';')[0]?.trim() || 'no content type';
  const title = /<title[^>]*>([^<]{1,400})<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
  return `${status} ${type}${title ? ` ("${title.slice(0, 80)}")` : ''}`;
}

/** True for an HTML page (by content type, or by its first bytes when the type is missing or wrong). */
export function isHtml(contentType: string | undefined, text: string): boolean {
  if (contentType !== undefined && /\btext\/html\b/i.test(contentType)) return true;
  return /^\s*(<!doctype html|<html[\s>])/i.test(text);
}

/** Statuses a gateway answers while Tableau behind it is down: an outage, whatever the body. */
export function isGatewayOutage(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

/**
 * The error for an answer that did not come from Tableau's REST API. It names the URL tried and what
 * came back; the caller (CLI) adds the fix. Never retried: asking again gets the same page.
 */
export function notTableauError(url: string, endpoint: Endpoint, status: number, contentType: string | undefined, text: string): TableauError {
  return new TableauError({
    code: 'NOT_TABLEAU',
    message: `${url} answered ${describeAnswer(status, contentType, text)}, not Tableau's REST API`,
    httpStatus: status,
    ...endpoint,
    retryable: false,
  });
}

/** The HTTP status a Tableau error code stands for (its first three digits), when it is one. */
function statusOfCode(code: string | undefined): number | undefined {
  const status = Number(code?.slice(0, 3));
  return code !== undefined && /^\d{6}$/.test(code) && status >= 400 && status < 600 ? status : undefined;
}

/**
 * A Tableau error that arrived with a 2xx status. It is classified by the status its code stands for
 * (401002 is an expired session, 500000 a server error), keeping Tableau's code and summary.
 */
export function errorIn2xx(endpoint: Endpoint, status: number, body: TableauErrorBody, signIn: boolean): TableauError {
  const effective = statusOfCode(body.code) ?? 500;
  const err = errorFromResponse(endpoint, effective, body, { signIn });
  const what = [body.code, body.summary, body.detail].filter((s) => s).join(': ');
  return err.withMessage(`Tableau ${endpoint.method} ${endpoint.path} answered ${status} with an error: ${what || 'no code'}`);
}
