/**
 * `group`: one resource per group of a site (a child of the site), with a `member` entitlement and one
 * grant per membership, paged straight from Get Users in Group. "All Users" is included; its grants are
 * immutable because Tableau manages that membership implicitly.
 */
import { fromStruct, toStruct } from '../../../proto/index.js';
import type { Entitlement, Grant, Resource, ResourceId } from '../../../proto/types.js';
import { groupManagement, Listing, TableauError, type TableauGroup } from '../../tableau/index.js';
import { invalidArgument, unimplemented } from '../errors.js';
import { decodePageToken, promisedTotal, tokenOfNext } from '../page-token.js';
import { annotation, GROUP_TYPE, resourceId, userEntitlement, userGrant } from '../resource-types.js';
import { groupManagedBy, scimImmutable, syncScimOf, type ScimLookup, type SiteScim } from '../scim-management.js';
import type { SiteLookup, SiteRef } from '../sites.js';
import { MEMBER_SLUG, type EntitlementRef } from '../ids.js';
import type { GrantOutcome, OpEnv } from '../provisioning/context.js';
import type { CallCtx, Page, PageRequest, Provisioner, ResourceSyncer } from '../types.js';
import { grantGroupMember, groupMemberTarget, revokeGroupMember } from './group-member.js';
import { MembershipBatcher, type MembershipBatcherOptions } from './membership-batcher.js';
import type { UserPages } from '../user-pages.js';
import { warnShortfallTo } from '../warnings.js';

const ALL_USERS = 'All Users';

/** How concurrent membership changes of one group are coalesced (membership-batcher.ts). */
export type MembershipBatching = Omit<MembershipBatcherOptions, 'maxBatch'>;

/** Most membership changes in one bulk call (one request body). */
const MAX_BATCH = 1000;

/** The `group` resource type; its `member` entitlement is granted and revoked (group-member.ts). */
export class GroupSyncer implements ResourceSyncer, Provisioner {
  readonly resourceType = GROUP_TYPE;

  private batcher: MembershipBatcher | undefined;

  constructor(
    private readonly sites: SiteLookup,
    private readonly users: UserPages,
    private readonly batching?: MembershipBatching,
    private readonly scim?: ScimLookup,
  ) {}

  grant(target: EntitlementRef, userLuid: string, env: OpEnv): Promise<GrantOutcome> {
    return grantGroupMember(groupMemberTarget(target), userLuid, env, this.membershipBatcher());
  }

  revoke(target: EntitlementRef, userLuid: string, env: OpEnv): Promise<GrantOutcome> {
    return revokeGroupMember(groupMemberTarget(target), userLuid, env, this.membershipBatcher());
  }

  /** One batcher per connector, made on the first membership change. */
  private membershipBatcher(): MembershipBatcher {
    if (this.batching === undefined) throw unimplemented('group membership changes are not set up');
    this.batcher ??= new MembershipBatcher({ ...this.batching, maxBatch: MAX_BATCH });
    return this.batcher;
  }

  async list(parent: ResourceId | undefined, page: PageRequest, ctx: CallCtx): Promise<Page<Resource>> {
    if (parent?.resourceType !== 'site' || !parent.resource) return { items: [], nextToken: '' };
    const state = decodePageToken(page.token, 'groups');
    const site = await this.sites.get(parent.resource, ctx);
    const listed = await siteGroups(site).readPage(state.p, { signal: ctx.signal, promisedBefore: state.t ?? 0, onShortfall: warnShortfallTo(ctx) });
    const scim = await syncScimOf(this.scim, this.sites, site, ctx);
    return {
      items: listed.items.map((g) => groupResource(g, site, scim)),
      nextToken: tokenOfNext(listed.next, { k: 'groups', t: promisedTotal(listed.promised) }),
    };
  }

  async entitlements(resource: Resource): Promise<Page<Entitlement>> {
    const name = resource.displayName ?? '';
    const member = userEntitlement(resource, MEMBER_SLUG, {
      displayName: `${name} Group ${MEMBER_SLUG}`,
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
      items: members.map((u) => userGrant(groupRid, MEMBER_SLUG, u.id, immutable)),
      nextToken: tokenOfNext(listed.next, { k: 'group-members', t: promisedTotal(listed.promised) }),
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

/** A site's groups, sorted by name. */
function siteGroups(site: SiteRef): Listing<TableauGroup> {
  return new Listing({
    what: `groups of site "${site.contentUrl}" (${site.id})`,
    idOf: (group) => group.id,
    read: (pageNumber, pageSize, signal) => site.client.listGroups({ pageNumber, pageSize, sort: 'name:asc', signal }),
  });
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
