/**
 * Query Sites (server administrators on Tableau Server only) and Query Site by LUID, name or contentUrl.
 */
import { isServerAdmin, sessionOf, type Reply, type RequestCtx } from './context.js';
import { SimError, forbidden, siteNotFound } from './errors.js';
import { paginationNode, siteNode } from './fragments.js';
import { pageParams } from './query.js';
import { listingWindow, promisedTotal } from './listing-habits.js';
import type { Route } from './router.js';
import type { SiteStore } from './site-store.js';

function querySites(ctx: RequestCtx): Reply {
  if (ctx.settings.cloud) {
    throw new SimError('403069', 'Forbidden', 'Query Sites is not supported on Tableau Cloud.');
  }
  if (!isServerAdmin(ctx)) throw forbidden('Only server administrators can query all sites.');
  const page = pageParams(ctx.query);
  const { start, end } = listingWindow(ctx.habits, 'sites', ctx.world.sites.length, page);
  const includeUsage = ctx.query.get('includeUsage') === 'true';
  return { status: 200, pieces: [
    paginationNode(page.pageNumber, page.pageSize, promisedTotal(ctx.habits, 'sites', ctx.world.sites.length)),
    { tag: 'sites', list: true, children: ctx.world.sites.slice(start, end).map((s) => siteNode(s, includeUsage)) },
  ] };
}

function lookUpSite(ctx: RequestCtx, key: string): SiteStore | undefined {
  const by = ctx.query.get('key');
  if (by === 'name') return ctx.world.siteByName(key);
  if (by === 'contentUrl') return ctx.world.siteByContentUrl(key);
  return ctx.world.siteById(key);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function querySite(ctx: RequestCtx): Reply {
  const key = safeDecode(ctx.params.siteKey ?? '');
  const site = lookUpSite(ctx, key);
  if (!site) throw siteNotFound(key);
  if (site !== sessionOf(ctx).site && !isServerAdmin(ctx)) {
    throw forbidden('The site in the URI is not the site the credentials token was issued for.');
  }
  return { status: 200, pieces: [siteNode(site, ctx.query.get('includeUsage') === 'true')] };
}

export const siteRoutes: Route[] = [
  { method: 'GET', path: /^\/sites$/, auth: true, scope: 'tableau:sites:read', handle: querySites },
  { method: 'GET', path: /^\/sites\/(?<siteKey>[^/]+)$/, auth: true, scope: 'tableau:sites:read', handle: querySite },
];
