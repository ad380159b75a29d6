/**
 * `license`: the four Tableau license tiers (creator, explorer, viewer, unlicensed) as roles with a
 * `member` entitlement. A user's tier follows from their site role, so the grants are derived from the
 * users pages of the sync cache (the users are never listed once per tier). Seats are summed over the
 * synced sites.
 */
import { toStruct } from '../../../proto/index.js';
import type { Entitlement, Grant, Resource, ResourceId } from '../../../proto/types.js';
import type { TableauSite } from '../../tableau/types.js';
import { invalidArgument } from '../errors.js';
import { decodePageToken, encodePageToken } from '../page-token.js';
import { annotation, LICENSE_TYPE, resourceId, userEntitlement, userGrant } from '../resource-types.js';
import { LICENSE_TIERS, licenseTierOf, tierLabel, type LicenseTier } from '../site/roles.js';
import { inSequence, type SiteLookup } from '../sites.js';
import { MEMBER_SLUG } from '../ids.js';
import { onTarget } from '../provisioning/context.js';
import type { CallCtx, Page, PageRequest, Provisioner, ResourceSyncer } from '../types.js';
import { grantLicense, licenseTarget, revokeLicense } from './license-tier.js';
import type { UserPages } from '../user-pages.js';
import { scimUserGrants, syncScimOf, type ScimLookup } from '../scim-management.js';

/** The `license` resource type. */
export class LicenseSyncer implements ResourceSyncer, Provisioner {
  readonly resourceType = LICENSE_TYPE;

  /** A tier change is a role change (read, write, verify): one change per user at a time. */
  readonly lockPerPrincipal = true;
  readonly grant = onTarget(licenseTarget, grantLicense);
  readonly revoke = onTarget(licenseTarget, revokeLicense);

  constructor(
    private readonly sites: SiteLookup,
    private readonly users: UserPages,
    private readonly scim?: ScimLookup,
  ) {}

  async list(parent: ResourceId | undefined, _page: PageRequest, ctx: CallCtx): Promise<Page<Resource>> {
    if (parent !== undefined) return { items: [], nextToken: '' };
    const seats = await this.seatsPerTier(ctx);
    return { items: LICENSE_TIERS.map((tier) => licenseResource(tier, seats.get(tier))), nextToken: '' };
  }

  async entitlements(resource: Resource): Promise<Page<Entitlement>> {
    const name = resource.displayName ?? '';
    const member = userEntitlement(resource, MEMBER_SLUG, {
      displayName: `${name} License ${MEMBER_SLUG}`,
      description: `Member of ${name} License in Tableau`,
      purpose: 'assignment',
    });
    return { items: [member], nextToken: '' };
  }

  /** One Baton page per (site, users page): the users of that page whose role is in this tier. */
  async grants(resource: Resource, page: PageRequest, ctx: CallCtx): Promise<Page<Grant>> {
    const tier = tierOf(resource.id?.resource);
    const state = decodePageToken(page.token, 'license-members');
    const siteIndex = state.s ?? 0;
    const sites = await this.sites.list(ctx);
    const site = sites[siteIndex];
    if (site === undefined) return { items: [], nextToken: '' };
    const users = await this.users.compact(site, state.p, ctx);
    const licenseRid = resourceId('license', tier);
    // A SCIM-managed user's tier follows its IdP-set role (license-tier.ts refuses to change it): immutable.
    const immutable = scimUserGrants(await syncScimOf(this.scim, this.sites, site, ctx));
    const items: Grant[] = [];
    for (let i = 0; i < users.size; i++) {
      if (licenseTierOf(users.siteRole(i)) === tier) items.push(userGrant(licenseRid, MEMBER_SLUG, users.userId(i), immutable?.(users.scimUser(i))));
    }
    const next = users.hasMore
      ? { k: 'license-members', s: siteIndex, p: state.p + 1 }
      : siteIndex + 1 < sites.length
        ? { k: 'license-members', s: siteIndex + 1, p: 1 }
        : undefined;
    return { items, nextToken: next === undefined ? '' : encodePageToken(next) };
  }

  async get(id: ResourceId, _parent: ResourceId | undefined, ctx: CallCtx): Promise<Resource | undefined> {
    const tier = LICENSE_TIERS.find((t) => t === id.resource);
    if (tier === undefined) return undefined;
    return licenseResource(tier, (await this.seatsPerTier(ctx)).get(tier));
  }

  private async seatsPerTier(ctx: CallCtx): Promise<Map<LicenseTier, Seats>> {
    const sites = await this.sites.list(ctx);
    const details = await inSequence(sites, (s) => this.sites.details(s, ctx));
    return sumSeats(details);
  }
}

/** Seats of a tier over the synced sites; a field stays undefined when no site reported it. */
interface Seats {
  purchased?: number;
  used?: number;
}

function sumSeats(sites: TableauSite[]): Map<LicenseTier, Seats> {
  const out = new Map<LicenseTier, Seats>();
  const add = (tier: LicenseTier, key: keyof Seats, value: number | undefined) => {
    if (value === undefined) return;
    const seats = out.get(tier) ?? {};
    seats[key] = (seats[key] ?? 0) + value;
    out.set(tier, seats);
  };
  for (const site of sites) {
    add('creator', 'purchased', site.tierCreatorCapacity);
    add('creator', 'used', site.usage?.numCreators);
    add('explorer', 'purchased', site.tierExplorerCapacity);
    add('explorer', 'used', site.usage?.numExplorers);
    add('viewer', 'purchased', site.tierViewerCapacity);
    add('viewer', 'used', site.usage?.numViewers);
  }
  return out;
}

function tierOf(id: string | undefined): LicenseTier {
  const tier = LICENSE_TIERS.find((t) => t === id);
  if (tier === undefined) throw invalidArgument(`unknown license ${JSON.stringify(id ?? '')}`);
  return tier;
}

/** The Baton resource of a tier (Go profile keys `license_name`, `license_id`, plus the seats). */
function licenseResource(tier: LicenseTier, seats: Seats | undefined): Resource {
  const name = tierLabel(tier);
  const profile = toStruct({
    license_name: name,
    license_id: tier,
    seats_purchased: seats?.purchased,
    seats_used: seats?.used,
  });
  return {
    id: resourceId('license', tier),
    displayName: name,
    annotations: [annotation('RoleTrait', { profile })],
    profile,
  };
}
