/**
 * The Baton ids of Tableau, built and parsed here only (CONTRACTS §3: ids are stable forever):
 * entitlement ids `<type>:<resource id>:<slug>` (a raw join, like the SDK's entitlement.NewEntitlementID),
 * grant ids `<entitlement id>:<principal type>:<principal id>` (principals are always users), and the
 * principal of a grant. Requests in service mode may carry only ids (no parent, sometimes no nested
 * resource), so every field is read from the message first and from the id string as a fallback.
 * The read side (resource-types.ts), the write side (the builder's Grant/Revoke) and `cmd/` use it.
 */
import type { Entitlement, Grant, Resource } from '../../proto/types.js';
import { invalidArgument } from './errors.js';

/** The slug of a membership entitlement (`group:<luid>:member`, `license:<tier>:member`). */
export const MEMBER_SLUG = 'member';

/** The only principal type Tableau entitlements are granted to. */
export const USER_PRINCIPAL = 'user';

/** `<type>:<resource id>:<slug>`. */
export const entitlementIdOf = (type: string, resource: string, slug: string): string => `${type}:${resource}:${slug}`;

/** `<entitlement id>:user:<user id>`. */
export const grantIdOf = (entitlementId: string, userLuid: string): string => `${entitlementId}:${USER_PRINCIPAL}:${userLuid}`;

/** The parts of an entitlement id; the slug is everything after the second colon (slugs hold spaces). */
export interface EntitlementParts {
  type: string;
  resource: string;
  slug: string;
}

/**
 * An entitlement a Grant or Revoke names, read once by the builder: the resource type picks the
 * {@link Provisioner}, which reads `resource` and `slug` in its own terms.
 */
export interface EntitlementRef extends EntitlementParts {
  /** The canonical id `<type>:<resource>:<slug>`. */
  entitlementId: string;
}

/** A grant to act on: what, and to whom (always a user). */
export interface GrantRequestTarget {
  target: EntitlementRef;
  userLuid: string;
}

/** `<type>:<resource id>:<slug>` split into its parts; undefined when the id is not of that form. */
export function splitEntitlementId(id: string): EntitlementParts | undefined {
  const first = id.indexOf(':');
  const second = first < 0 ? -1 : id.indexOf(':', first + 1);
  if (first <= 0 || second <= first + 1 || second === id.length - 1) return undefined;
  return { type: id.slice(0, first), resource: id.slice(first + 1, second), slug: id.slice(second + 1) };
}

/** The parts of a grant id `<entitlement id>:<principal type>:<principal id>`. */
export interface GrantIdParts {
  entitlementId: string;
  principalType: string;
  principalId: string;
}

/** A grant id split at its last two colons; undefined when it is not of that form. */
export function splitGrantId(grantId: string): GrantIdParts | undefined {
  const idColon = grantId.lastIndexOf(':');
  const typeColon = idColon <= 0 ? -1 : grantId.lastIndexOf(':', idColon - 1);
  if (typeColon <= 0 || idColon === grantId.length - 1) return undefined;
  return { entitlementId: grantId.slice(0, typeColon), principalType: grantId.slice(typeColon + 1, idColon), principalId: grantId.slice(idColon + 1) };
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

/** The entitlement a request names; INVALID_ARGUMENT when it names none. */
export function parseEntitlement(ent: Entitlement | undefined): EntitlementRef {
  if (!ent) throw invalidArgument('entitlement is required');
  const parts = entitlementParts(ent);
  return { ...parts, entitlementId: entitlementIdOf(parts.type, parts.resource, parts.slug) };
}

/** The user LUID of a principal; a group (or anything but a user) is INVALID_ARGUMENT. */
export function principalUserLuid(principal: Resource | undefined): string {
  const type = principal?.id?.resourceType ?? '';
  const id = principal?.id?.resource ?? '';
  if (type === 'group') {
    throw invalidArgument('a group cannot be granted a Tableau entitlement: grant it to each user of the group');
  }
  if (type !== USER_PRINCIPAL || !id) throw invalidArgument(`principal must be a user (got "${type}:${id}")`);
  return id;
}

/** The target and user of a Revoke: from the grant's entitlement and principal, else from its id. */
export function parseGrant(grant: Grant | undefined): GrantRequestTarget {
  if (!grant) throw invalidArgument('grant is required');
  if (grant.entitlement && grant.principal?.id?.resource) {
    return { target: parseEntitlement(grant.entitlement), userLuid: principalUserLuid(grant.principal) };
  }
  const id = grant.id ?? '';
  const parts = splitGrantId(id);
  if (parts?.principalType !== USER_PRINCIPAL) {
    throw invalidArgument(`grant id "${id}" is not of the form <entitlement id>:user:<user id>`);
  }
  const entitlement: Entitlement = grant.entitlement ?? { id: parts.entitlementId };
  return { target: parseEntitlement(entitlement), userLuid: principalUserLuid({ id: { resourceType: USER_PRINCIPAL, resource: parts.principalId } }) };
}
