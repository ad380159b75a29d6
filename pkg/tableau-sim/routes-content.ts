/**
 * Workbooks, data sources and flows — only what a connector needs to count a user's owned content:
 * paginated lists with `filter=ownerName:eq:NAME`.
 */
import { siteOf, type Reply, type RequestCtx } from './context.js';
import { contentNode, paginationNode } from './fragments.js';
import { pageParams, pageWindow, parseFilter } from './query.js';
import type { Route } from './router.js';
import type { ContentKind, SimUser } from './site-store.js';

function lister(kind: ContentKind, listTag: string): (ctx: RequestCtx) => Reply {
  return (ctx) => {
    const site = siteOf(ctx);
    const page = pageParams(ctx.query);
    const terms = parseFilter(ctx.query.get('filter'), { ownerName: ['eq'], name: ['eq'] });
    const items = site.content.filter((item) => item.kind === kind && terms.every((t) => {
      const value = t.field === 'ownerName' ? (site.users[item.ownerIdx] as SimUser).name : item.name;
      return value === t.values[0];
    }));
    const { start, end } = pageWindow(items.length, page);
    return { status: 200, pieces: [
      paginationNode(page.pageNumber, page.pageSize, items.length),
      { tag: listTag, list: true, children: items.slice(start, end).map((item) => contentNode(item, site)) },
    ] };
  };
}

export const contentRoutes: Route[] = [
  { method: 'GET', path: /^\/sites\/(?<site>[^/]+)\/workbooks$/, auth: true, scope: 'tableau:content:read', handle: lister('workbook', 'workbooks') },
  { method: 'GET', path: /^\/sites\/(?<site>[^/]+)\/datasources$/, auth: true, scope: 'tableau:content:read', handle: lister('datasource', 'datasources') },
  { method: 'GET', path: /^\/sites\/(?<site>[^/]+)\/flows$/, auth: true, scope: 'tableau:content:read', handle: lister('flow', 'flows') },
];
