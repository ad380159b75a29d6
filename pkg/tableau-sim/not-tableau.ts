/**
 * The simulator pretending to be something other than Tableau's REST API, as a wrong `--server-path`
 * finds: a single-sign-on login page (200 for every path) or a web server's HTML 404 (`--not-tableau`).
 * `/_sim/*` keeps working so tests can still read statistics.
 */

/** What a non-Tableau server answers: a login page or a 404 page. */
export type NotTableauKind = 'login' | '404';

const LOGIN_PAGE =
  '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Sign In - Example Corp SSO</title></head>' +
  '<body><form method="post" action="/login"><input name="username"><input name="password" type="password">' +
  '<button>Sign in</button></form></body></html>\n';

const NOT_FOUND_PAGE =
  '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>' +
  '<p>The requested URL was not found on this server.</p><hr><address>Apache Server</address></body></html>\n';

/** Status and body of the page served for every non-simulator path. */
export function notTableauPage(kind: NotTableauKind): { status: number; body: Buffer } {
  return kind === 'login' ? { status: 200, body: Buffer.from(LOGIN_PAGE) } : { status: 404, body: Buffer.from(NOT_FOUND_PAGE) };
}
