/**
 * `site`: one resource per synced site, parent of its users and groups. Its entitlements are the site
 * roles (fixed slugs, plus one per role outside the known list that a user of the site holds); its
 * grants give each user their current role, read from the users pages of the sync cache (GrantImmutable
 * for SCIM-managed users).
 */
import { toStruct } from '../../../proto/index.js';
import type { Entitlement, Grant, Resource, ResourceId } from '../../../proto/types.js';
import type { TableauSite } from '../../tableau/types.js';
import { invalidArgument } from '../errors.js';
import { decodePageToken, nextPageToken } from '../page-token.js';
import { annotation, resourceId, SITE_TYPE, userEntitlement, userGrant } from '../resource-types.js';
import { isRecognisedRole, KNOWN_ROLE_SLUGS, roleSlug } from './roles.js';
import { grantSiteRole, revokeSiteRole, siteRoleTarget } from './site-role.js';
import { inSequence, type SiteLookup, type SiteRef } from '../sites.js';
import { onTarget } from '../provisioning/context.js';
import type { CallCtx, Page, PageRequest, Provisioner, ResourceSyncer } from '../types.js';
import type { UserPages } from '../user-pages.js';
import { scimUserGrants, syncScimOf, type ScimLookup } from '../scim-management.js';

/** Sites per Baton page of the site listing (each needs its own Query Site). */
const SITES_PER_PAGE = 100;

const KNOWN_SLUGS = new Set(KNOWN_ROLE_SLUGS.values());

/** The `site` resource type; its entitlements (site roles) are granted and revoked (site-role.ts). */
export class SiteSyncer implements ResourceSyncer, Provisioner {
  readonly resourceType = SITE_TYPE;
  /** A role change reads, writes and verifies the user's one role: one change per user at a time. */
  readonly lockPerPrincipal = true;
  readonly grant = onTarget(siteRoleTarget, grantSiteRole);
  readonly revoke = onTarget(siteRoleTarget, revokeSiteRole);

  constructor(
    private readonly sites: SiteLookup,
    private readonly users: UserPages,
    private readonly scim?: ScimLookup,
  ) {}

  async list(parent: ResourceId | undefined, page: PageRequest, ctx: CallCtx): Promise<Page<Resource>> {
    if (parent !== undefined) return { items: [], nextToken: '' };
    const state = decodePageToken(page.token, 'sites');
    const all = await this.sites.list(ctx);
    const chunk = all.slice((state.p - 1) * SITES_PER_PAGE, state.p * SITES_PER_PAGE);
    const items = await inSequence(chunk, async (site) => siteResource(await this.sites.details(site, ctx), site));
    return { items, nextToken: nextPageToken({ k: 'sites', p: state.p + 1 }, state.p * SITES_PER_PAGE < all.length) };
  }

  /**
   * Page p carries the fixed role entitlements (first page) and the entitlements of roles outside the
   * known list first seen in users page p; the token remembers the slugs already emitted.
   */
  async entitlements(resource: Resource, page: PageRequest, ctx: CallCtx): Promise<Page<Entitlement>> {
    const state = decodePageToken(page.token, 'site-roles');
    const site = await this.siteOf(resource, ctx);
    const users = await this.users.compact(site, state.p, ctx);
    const emitted = new Set(state.u ?? []);
    const slugs = state.p === 1 ? [...KNOWN_SLUGS] : [];
    for (let i = 0; i < users.size; i++) {
      const role = users.siteRole(i);
      const slug = roleSlug(role);
      if (KNOWN_SLUGS.has(slug) || emitted.has(slug)) continue;
      emitted.add(slug);
      slugs.push(slug);
      if (!isRecognisedRole(role)) ctx.log.warn({ site: site.id, siteRole: role }, 'unknown Tableau site role: its own entitlement, license tier unlicensed');
    }
    return {
      items: slugs.map((slug) => siteRoleEntitlement(resource, slug)),
      nextToken: nextPageToken({ k: 'site-roles', p: state.p + 1, u: [...emitted] }, users.hasMore),
    };
  }

  /** One Baton page per Tableau users page: the site role of every user on it. */
  async grants(resource: Resource, page: PageRequest, ctx: CallCtx): Promise<Page<Grant>> {
    const state = decodePageToken(page.token, 'site-grants');
    const site = await this.siteOf(resource, ctx);
    const users = await this.users.compact(site, state.p, ctx);
    const siteId = resourceId('site', site.id);
    // Roles of SCIM-managed users are the IdP's (site-role.ts refuses to change them): immutable.
    const immutable = scimUserGrants(await syncScimOf(this.scim, this.sites, site, ctx));
    const items: Grant[] = [];
    for (let i = 0; i < users.size; i++) {
      items.push(userGrant(siteId, roleSlug(users.siteRole(i)), users.userId(i), immutable?.(users.scimUser(i))));
    }
    return { items, nextToken: nextPageToken({ k: 'site-grants', p: state.p + 1 }, users.hasMore) };
  }

  async get(id: ResourceId, _parent: ResourceId | undefined, ctx: CallCtx): Promise<Resource | undefined> {
    const site = (await this.sites.list(ctx)).find((s) => s.id === id.resource);
    return site === undefined ? undefined : siteResource(await this.sites.details(site, ctx), site);
  }

  private siteOf(resource: Resource, ctx: CallCtx): Promise<SiteRef> {
    const id = resource.id?.resource;
    if (!id) throw invalidArgument('the site resource has no id');
    return this.sites.get(id, ctx);
  }
}

function siteRoleEntitlement(site: Resource, slug: string): Entitlement {
  const name = site.displayName ?? '';
  return userEntitlement(site, slug, {
    displayName: `${name} Site ${slug}`,
    description: `Role in ${name} Tableau site`,
    purpose: 'permission',
  });
}

/** The Baton resource of a site, with seats per tier from Query Site (includeUsage). */
function siteResource(site: TableauSite, ref: SiteRef): Resource {
  return {
    id: resourceId('site', ref.id),
    displayName: site.name || 'Default',
    profile: toStruct(siteProfile(site, ref)),
    annotations: [
      annotation('ChildResourceType', { resourceTypeId: 'user' }),
      annotation('ChildResourceType', { resourceTypeId: 'group' }),
    ],
  };
}

function siteProfile(site: TableauSite, ref: SiteRef): Record<string, unknown> {
  return {
    site_id: ref.id,
    site_name: site.name,
    content_url: ref.contentUrl,
    state: site.state,
    admin_mode: site.adminMode,
    user_quota: site.userQuota,
    users_used: site.usage?.numUsers,
    creator_seats_purchased: site.tierCreatorCapacity,
    creator_seats_used: site.usage?.numCreators,
    explorer_seats_purchased: site.tierExplorerCapacity,
    explorer_seats_used: site.usage?.numExplorers,
    viewer_seats_purchased: site.tierViewerCapacity,
    viewer_seats_used: site.usage?.numViewers,
  };
}
