/**
 * The Baton resource types of Tableau (CONTRACTS §3: ids are stable forever) and the small
 * constructors of entitlements and grants every resource type shares (their ids: ids.ts).
 */
import { EntitlementPurpose, packAny, Trait } from '../../proto/index.js';
import type { Any, Entitlement, Grant, Resource, ResourceId, ResourceType } from '../../proto/types.js';
import { entitlementIdOf, grantIdOf, USER_PRINCIPAL } from './ids.js';

const V2 = 'c1.connector.v2.';

/** Packs a `c1.connector.v2.<name>` annotation. */
export function annotation(name: string, msg: object): Any {
  return packAny(V2 + name, msg);
}

function typeAnnotations(id: string, extra: Any[] = []): Any[] {
  return [annotation('V1Identifier', { id }), ...extra];
}

export const SITE_TYPE: ResourceType = {
  id: 'site',
  displayName: 'Site',
  description: 'A Tableau site; its entitlements are the site roles',
  traits: [],
  annotations: typeAnnotations('site'),
};

export const USER_TYPE: ResourceType = {
  id: 'user',
  displayName: 'User',
  description: 'A Tableau user of one site',
  traits: [Trait.TRAIT_USER],
  annotations: typeAnnotations('user', [annotation('SkipEntitlementsAndGrants', {})]),
};

export const GROUP_TYPE: ResourceType = {
  id: 'group',
  displayName: 'Group',
  description: 'A Tableau group of one site',
  traits: [Trait.TRAIT_GROUP],
  annotations: typeAnnotations('group'),
};

export const LICENSE_TYPE: ResourceType = {
  id: 'license',
  displayName: 'License',
  description: 'A Tableau license tier (the seat a site role consumes)',
  traits: [Trait.TRAIT_ROLE],
  annotations: typeAnnotations('license'),
};

/** The principal type stub entitlements declare as grantable-to (id and name are what Baton reads). */
const GRANTABLE_TO_USER: ResourceType = { id: USER_PRINCIPAL, displayName: 'User', traits: [Trait.TRAIT_USER] };

export function resourceId(resourceType: string, resource: string): ResourceId {
  return { resourceType, resource };
}

/** `<type>:<resource id>:<slug>` (Baton SDK entitlement.NewEntitlementID, a raw join). */
function entitlementId(resource: ResourceId, slug: string): string {
  return entitlementIdOf(resource.resourceType ?? '', resource.resource ?? '', slug);
}

/** An entitlement of `resource` grantable to users. */
export function userEntitlement(
  resource: Resource,
  slug: string,
  text: { displayName: string; description: string; purpose: 'assignment' | 'permission' },
): Entitlement {
  return {
    resource,
    id: entitlementId(resource.id ?? {}, slug),
    slug,
    displayName: text.displayName,
    description: text.description,
    grantableTo: [GRANTABLE_TO_USER],
    purpose:
      text.purpose === 'assignment'
        ? EntitlementPurpose.PURPOSE_VALUE_ASSIGNMENT
        : EntitlementPurpose.PURPOSE_VALUE_PERMISSION,
  };
}

/**
 * A grant of `<resource>:<slug>` to a user. Like the SDK's grant.NewGrant the embedded entitlement is
 * a stub (id + resource id) and the principal only its id: pages of 1000 grants stay small.
 */
export function userGrant(entitlementResource: ResourceId, slug: string, userId: string, annotations?: Any[]): Grant {
  const entId = entitlementId(entitlementResource, slug);
  const grant: Grant = {
    id: grantIdOf(entId, userId),
    entitlement: { id: entId, resource: { id: entitlementResource } },
    principal: { id: resourceId(USER_PRINCIPAL, userId) },
  };
  if (annotations !== undefined && annotations.length > 0) grant.annotations = annotations;
  return grant;
}
