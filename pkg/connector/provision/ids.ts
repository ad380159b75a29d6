/**
 * Parsing of the Baton ids provisioning receives (CONTRACTS §3): entitlement ids
 * `<type>:<resource id>:<slug>`, principal `user:<userLuid>`, grant ids `<entitlement id>:user:<userLuid>`.
 * Requests in service mode may carry only ids (no parent, sometimes no nested resource), so every
 * field is read from the message first and from the id string as a fallback.
 */
import type { Entitlement, Grant, Resource } from '../../../proto/types.js';
import { invalidArgument } from '../errors.js';
import type { PoolTarget } from '../identity-pool/provision.js';
import { LICENSE_TIERS, roleOfSlug, type LicenseTier } from './roles.js';

/** What an entitlement lets provisioning change. */
export type GrantTarget =
  | { kind: 'site-role'; siteLuid: string; slug: string; role: string; entitlementId: string }
  | { kind: 'group-member'; groupLuid: string; entitlementId: string }
  | { kind: 'license'; tier: LicenseTier; entitlementId: string }
  | PoolTarget;

/** A grant to act on: what, and to whom (always a user). */
export interface GrantRequestTarget {
  target: GrantTarget;
  userLuid: string;
}

export const entitlementIdOf = (type: string, resource: string, slug: string): string => `${type}:${resource}:${slug}`;
export const grantIdOf = (entitlementId: string, userLuid: string): string => `${entitlementId}:user:${userLuid}`;

/** The parts of an entitlement id; the slug is everything after the second colon (slugs hold spaces). */
export interface EntitlementParts {
  type: string;
  resource: string;
  slug: string;
}

/** `<type>:<resource id>:<slug>` split into its parts; undefined when the id is not of that form. */
export function splitEntitlementId(id: string): EntitlementParts | undefined {
  const first = id.indexOf(':');
  const second = first < 0 ? -1 : id.indexOf(':', first + 1);
  if (first <= 0 || second <= first + 1 || second === id.length - 1) return undefined;
  return { type: id.slice(0, first), resource: id.slice(first + 1, second), slug: id.slice(second + 1) };
}

function entitlementParts(ent: Entitlement): EntitlementParts {
  const type = ent.resource?.id?.resourceType ?? '';
  const resource = ent.resource?.id?.resource ?? '';
  const id = ent.id ?? '';
  if (type && resource) {
    const prefix = `${type}:${resource}:`;
    const slug = id.startsWith(prefix) ? id.slice(prefix.length) : (ent.slug ?? '');
    if (slug) return { type, resource, slug };
  }
  const parts = splitEntitlementId(id);
  if (!parts) throw invalidArgument(`entitlement id "${id}" is not of the form <type>:<resource id>:<slug>`);
  return parts;
}

/** Reads what an entitlement grants; INVALID_ARGUMENT for anything provisioning does not manage. */
export function parseEntitlement(ent: Entitlement | undefined): GrantTarget {
  if (!ent) throw invalidArgument('entitlement is required');
  const { type, resource, slug } = entitlementParts(ent);
  const entitlementId = entitlementIdOf(type, resource, slug);
  if (type === 'site') return { kind: 'site-role', siteLuid: resource, slug, role: roleOfSlug(slug), entitlementId };
  if (type === 'group') {
    if (slug !== 'member') throw invalidArgument(`group entitlement "${entitlementId}" is unknown (only "member")`);
    return { kind: 'group-member', groupLuid: resource, entitlementId };
  }
  if (type === 'license') {
    const tier = LICENSE_TIERS.find((t) => t === resource);
    if (!tier || slug !== 'member') throw invalidArgument(`license entitlement "${entitlementId}" is unknown`);
    return { kind: 'license', tier, entitlementId };
  }
  if (type === 'identity_pool') {
    if (slug !== 'member') throw invalidArgument(`identity pool entitlement "${entitlementId}" is unknown (only "member")`);
    return { kind: 'identity-pool', poolId: resource, entitlementId };
  }
  throw invalidArgument(`resource type "${type}" has no grantable entitlements`);
}

/** The user LUID of a principal; a group (or anything but a user) is INVALID_ARGUMENT. */
export function principalUserLuid(principal: Resource | undefined): string {
  const type = principal?.id?.resourceType ?? '';
  const id = principal?.id?.resource ?? '';
  if (type === 'group') {
    throw invalidArgument('a group cannot be granted a Tableau entitlement: grant it to each user of the group');
  }
  if (type !== 'user' || !id) throw invalidArgument(`principal must be a user (got "${type}:${id}")`);
  return id;
}

/** The target and user of a Revoke: from the grant's entitlement and principal, else from its id. */
export function parseGrant(grant: Grant | undefined): GrantRequestTarget {
  if (!grant) throw invalidArgument('grant is required');
  if (grant.entitlement && grant.principal?.id?.resource) {
    return { target: parseEntitlement(grant.entitlement), userLuid: principalUserLuid(grant.principal) };
  }
  const id = grant.id ?? '';
  const marker = id.lastIndexOf(':user:');
  if (marker < 0) throw invalidArgument(`grant id "${id}" is not of the form <entitlement id>:user:<user id>`);
  const userLuid = id.slice(marker + ':user:'.length);
  const entitlement: Entitlement = grant.entitlement ?? { id: id.slice(0, marker) };
  return { target: parseEntitlement(entitlement), userLuid: principalUserLuid({ id: { resourceType: 'user', resource: userLuid } }) };
}
