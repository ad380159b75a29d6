/**
 * The fewest Tableau requests a full sync of a one-site simulator needs, from its ground truth.
 *
 * Counted: 1 serverinfo (API version negotiation; not needed with --api-version), 1 sign-in, 1 Get Site,
 * then every listing at pageSize 1000: users ceil(U/1000), groups ceil(G/1000) ("All Users" included),
 * and for each group its members ceil(m/1000). An empty listing still costs one request (Tableau's
 * userCount cannot be trusted to skip it), hence max(1, …). Then 1 List Identity Pools (Tableau Server
 * 3.19+ and a server administrator's token: the bench scenarios have no pools, so their stores and
 * authentication configurations are not read). Finally 1 sign-out (releases the session: a PAT has one
 * live session). The same requests are what the network-floor script makes.
 */
import type { SimState } from './sim-process.js';

export const PAGE_SIZE = 1000;

/** One paged listing: its path under `/api/{v}/sites/{site}` and how many pages it has. */
export interface Listing {
  path: string;
  query: string;
  pages: number;
}

export interface RequestPlan {
  siteId: string;
  contentUrl: string;
  listings: Listing[];
  /** serverinfo + sign-in + site + Σ pages + identity pools + sign-out. */
  minimumRequests: number;
}

const pagesFor = (n: number): number => Math.max(1, Math.ceil(n / PAGE_SIZE));

/** The request plan of the first site of `state` (the bench scenarios have one site). */
export function planRequests(state: SimState): RequestPlan {
  const site = state.sites[0];
  if (!site) throw new Error('the simulator has no site');
  const membersPerGroup = new Map<string, number>();
  for (const m of site.memberships) membersPerGroup.set(m.groupId, (membersPerGroup.get(m.groupId) ?? 0) + 1);
  const sorted = `pageSize=${PAGE_SIZE}&sort=name%3Aasc`;
  const listings: Listing[] = [
    { path: '/users', query: `${sorted}&fields=_all_`, pages: pagesFor(site.users.length) },
    { path: '/groups', query: sorted, pages: pagesFor(site.groups.length) },
    ...site.groups.map((g) => ({ path: `/groups/${g.id}/users`, query: sorted, pages: pagesFor(membersPerGroup.get(g.id) ?? 0) })),
  ];
  const pages = listings.reduce((sum, l) => sum + l.pages, 0);
  return { siteId: site.id, contentUrl: site.contentUrl, listings, minimumRequests: 3 + pages + 1 + 1 };
}
