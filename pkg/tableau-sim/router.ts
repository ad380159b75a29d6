/**
 * The `/api/{version}/…` route table: version gating, authentication, the site-in-URL check and the
 * connected-app scope check happen here once, so handlers only do their own work.
 */
import { requireAdmin, requireScope, versionNumber, type Reply, type RequestCtx } from './context.js';
import { SimError, forbidden, invalidToken, siteNotFound, unknownResource } from './errors.js';
import { authRoutes } from './routes-auth.js';
import { contentRoutes } from './routes-content.js';
import { groupRoutes } from './routes-groups.js';
import { siteRoutes } from './routes-sites.js';
import { userRoutes } from './routes-users.js';

export interface Route {
  method: string;
  /** Matched against the path below `/api/{version}`; named groups become `ctx.params`. */
  path: RegExp;
  /** Oldest REST API version that has this method (Tableau: a too-old URL version fails). */
  minVersion?: string;
  /** Needs an `X-Tableau-Auth` session (everything except serverinfo and sign-in). */
  auth: boolean;
  /** Connected-app scope this call needs. */
  scope?: string;
  /** Only administrators may call it. */
  admin?: boolean;
  handle(ctx: RequestCtx): Reply;
}

const ROUTES: Route[] = [...authRoutes, ...siteRoutes, ...userRoutes, ...groupRoutes, ...contentRoutes];

function findRoute(method: string, path: string): { route: Route; params: Record<string, string> } {
  let pathMatched = false;
  for (const route of ROUTES) {
    const match = route.path.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (route.method === method) return { route, params: { ...match.groups } };
  }
  if (pathMatched) throw new SimError('405000', 'Invalid request method', `The method ${method} is not allowed for '${path}'.`);
  throw unknownResource(path);
}

export function dispatch(ctx: RequestCtx): Reply {
  const { route, params } = findRoute(ctx.method, ctx.path);
  ctx.params = params;
  if (route.minVersion && ctx.version < versionNumber(route.minVersion)) {
    throw new SimError('404003', 'Resource Not Found',
      `'${ctx.method} ${ctx.path}' requires REST API version ${route.minVersion} or later.`);
  }
  if (route.auth) authenticate(ctx, route);
  return route.handle(ctx);
}

function authenticate(ctx: RequestCtx, route: Route): void {
  const header = ctx.headers['x-tableau-auth'];
  ctx.session = ctx.sessions.resolve(typeof header === 'string' ? header : undefined);
  if (ctx.sessionKill?.()) {
    ctx.sessions.revoke(ctx.session.token);
    throw invalidToken();
  }
  const siteId = ctx.params.site;
  if (siteId !== undefined) {
    const site = ctx.world.siteById(siteId);
    if (!site) throw siteNotFound(siteId);
    // Tableau: a token is bound to the site it was issued for.
    if (site !== ctx.session.site) throw forbidden('The site in the URI is not the site the credentials token was issued for.');
    ctx.site = site;
  }
  if (route.scope) requireScope(ctx, route.scope);
  if (route.admin) requireAdmin(ctx);
}
