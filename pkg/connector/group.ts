/**
 * `group`: one resource per group of a site (a child of the site), with a `member` entitlement and one
 * grant per membership, paged straight from Get Users in Group. "All Users" is included; its grants are
 * immutable because Tableau manages that membership implicitly.
 */
import { fromStruct, toStruct } from '../../proto/index.js';
import type { Entitlement, Grant, Resource, ResourceId } from '../../proto/types.js';
import { groupManagement, pageOrPastEnd, TableauError, type TableauGroup } from '../tableau/index.js';
import { invalidArgument } from './errors.js';
import { decodePageToken, nextPageToken, promisedTotal } from './page-token.js';
import { annotation, GROUP_TYPE, resourceId, userEntitlement, userGrant } from './resource-types.js';
import { groupManagedBy, scimImmutable, syncScimOf, type ScimLookup, type SiteScim } from './scim-management.js';
import { TABLEAU_PAGE_SIZE, type SiteLookup, type SiteRef } from './sites.js';
import type { CallCtx, Page, PageRequest, ResourceSyncer } from './types.js';
import { judgeListed, type UserPages } from './user-pages.js';

const MEMBER = 'member';
const ALL_USERS = 'All Users';

/** The `group` resource type. */
export class GroupSyncer implements ResourceSyncer {
  readonly resourceType = GROUP_TYPE;

  constructor(private readonly sites: SiteLookup, private readonly users: UserPages, private readonly scim?: ScimLookup) {}

  async list(parent: ResourceId | undefined, page: PageRequest, ctx: CallCtx): Promise<Page<Resource>> {
    if (parent?.resourceType !== 'site' || !parent.resource) return { items: [], nextToken: '' };
    const state = decodePageToken(page.token, 'groups');
    const site = await this.sites.get(parent.resource, ctx);
    const read = () => site.client.listGroups({ pageNumber: state.p, pageSize: TABLEAU_PAGE_SIZE, sort: 'name:asc', signal: ctx.signal });
    const scim = await syncScimOf(this.scim, this.sites, site, ctx);
    const listed = judgeListed(`groups of site "${site.contentUrl}" (${site.id})`, state.p, await pageOrPastEnd(state.p, read), state.t ?? 0, ctx);
    return {
      items: listed.items.map((g) => groupResource(g, site, scim)),
      nextToken: nextPageToken({ k: 'groups', p: state.p + 1, t: promisedTotal(listed.promised) }, listed.hasMore),
    };
  }

  async entitlements(resource: Resource): Promise<Page<Entitlement>> {
    const name = resource.displayName ?? '';
    const member = userEntitlement(resource, MEMBER, {
      displayName: `${name} Group ${MEMBER}`,
      description: `Member of ${name} Group in Tableau`,
      purpose: 'assignment',
    });
    return { items: [member], nextToken: '' };
  }

  /**
   * Every group is listed, even when Get Groups says it is empty: userCount is not returned by every
   * Tableau version and may lag behind, and a missed membership is worse than one extra request.
   */
  async grants(resource: Resource, page: PageRequest, ctx: CallCtx): Promise<Page<Grant>> {
    const state = decodePageToken(page.token, 'group-members');
    const groupId = resource.id?.resource;
    if (!groupId) throw invalidArgument('the group resource has no id');
    const site = await this.sites.get(siteIdOf(resource), ctx);
    const group = { id: groupId, name: resource.displayName ?? groupId };
    const listed = await this.users.members(site, group, state.p, ctx, state.t ?? 0);
    // No grant for a member the site's users listing does not hold: it would name no stored user.
    const members = await this.users.listedMembers(site, group, listed, ctx);
    const immutable = isAllUsers(resource) ? [annotation('GrantImmutable', {})] : scimImmutable(fromStruct(resource.profile));
    const groupRid = resourceId('group', groupId);
    return {
      items: members.map((u) => userGrant(groupRid, MEMBER, u.id, immutable)),
      nextToken: nextPageToken({ k: 'group-members', p: state.p + 1, t: promisedTotal(listed.promised) }, listed.hasMore),
    };
  }

  /** A group of a synced site; Tableau has no Get Group, so the site's groups are filtered by id. */
  async get(id: ResourceId, parent: ResourceId | undefined, ctx: CallCtx): Promise<Resource | undefined> {
    const candidates = parent?.resource ? [await this.sites.get(parent.resource, ctx)] : await this.sites.list(ctx);
    for (const site of candidates) {
      const group = await findGroup(site, id.resource ?? '', ctx);
      if (group !== undefined) return groupResource(group, site, await syncScimOf(this.scim, this.sites, site, ctx));
    }
    return undefined;
  }
}

async function findGroup(site: SiteRef, groupId: string, ctx: CallCtx): Promise<TableauGroup | undefined> {
  try {
    const page = await site.client.listGroups({ pageSize: 1, filter: `luid:eq:${groupId}`, signal: ctx.signal });
    return page.items.find((g) => g.id === groupId);
  } catch (err) {
    if (err instanceof TableauError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST')) return undefined;
    throw err;
  }
}

/** The site of a stored group resource: its parent, or the `site_id` of its profile. */
function siteIdOf(resource: Resource): string {
  const fromParent = resource.parentResourceId?.resource;
  if (fromParent) return fromParent;
  const fromProfile = fromStruct(resource.profile).site_id;
  if (typeof fromProfile === 'string' && fromProfile !== '') return fromProfile;
  throw invalidArgument('the group resource names no site (no parent resource id)');
}

/** Tableau's implicit group is local; a directory (AD/LDAP/IdP) group may carry the same name. */
function isAllUsers(resource: Resource): boolean {
  return resource.displayName === ALL_USERS && fromStruct(resource.profile).domain_name === 'local';
}

/** The Baton resource of a group: GroupTrait, with the profile also on the resource. */
export function groupResource(group: TableauGroup, site: SiteRef, scim?: SiteScim): Resource {
  const management = groupManagement(group);
  const profile = toStruct(groupProfile(group, site, scim));
  return {
    id: resourceId('group', group.id),
    parentResourceId: resourceId('site', site.id),
    displayName: group.name,
    annotations: [annotation('GroupTrait', { profile, groupSourceType: management.importSource ?? management.managedBy, rawGroupSourceType: management.domainName })],
    profile,
  };
}

/**
 * Go keys `group_id`, `group_name`, and beside them who manages the membership and license rules:
 * `managed_by` is `tableau` for local groups and `directory` for AD/LDAP/IdP groups, whatever shape
 * Tableau sent them in (see groupManagement), or `scim` when the site's SCIM service holds the group
 * (scim-management.ts), so the profile and provisioning's refusals agree.
 */
function groupProfile(group: TableauGroup, site: SiteRef, scim: SiteScim | undefined): Record<string, unknown> {
  const management = groupManagement(group);
  const managed = groupManagedBy(group, scim);
  return {
    group_id: group.id,
    group_name: group.name,
    domain_name: management.domainName,
    is_local: management.managedBy === 'tableau',
    managed_by: managed.managed_by,
    import_source: management.importSource,
    import_domain_name: group.import?.domainName,
    minimum_site_role: management.minimumSiteRole,
    grant_license_mode: management.grantLicenseMode,
    user_count: group.userCount,
    site_id: site.id,
    site_content_url: site.contentUrl,
    scim_idp_configuration_id: managed.scim_idp_configuration_id,
  };
}
