/**
 * Annotation messages (traits and markers) that travel as `google.protobuf.Any` with type URL
 * `type.googleapis.com/c1.connector.v2.<Name>`. Pack them with `packAny('c1.connector.v2.<Name>', msg)`.
 * Shapes are generated (./generated/baton.d.ts); these are our names for them.
 */
import type { c1 } from './generated/baton.js';

/** c1.connector.v2.UserTrait.Email */
export type UserTrait_Email = c1.connector.v2.UserTrait.Email.$Shape;
/** c1.connector.v2.UserTrait.Status. `status` holds a `UserTraitStatus` value. */
export type UserTrait_Status = c1.connector.v2.UserTrait.Status.$Shape;
/** c1.connector.v2.UserTrait.MFAStatus */
export type UserTrait_MFAStatus = c1.connector.v2.UserTrait.MFAStatus.$Shape;
/** c1.connector.v2.UserTrait.SSOStatus */
export type UserTrait_SSOStatus = c1.connector.v2.UserTrait.SSOStatus.$Shape;
/** c1.connector.v2.UserTrait.StructuredName */
export type UserTrait_StructuredName = c1.connector.v2.UserTrait.StructuredName.$Shape;
/**
 * c1.connector.v2.UserTrait. `status` and `profile` are marked deprecated upstream but are still what
 * the Baton SDK's resource helpers fill and what the `baton` CLI shows, so we keep setting them.
 * `accountType` holds an `AccountType` value.
 */
export type UserTrait = c1.connector.v2.UserTrait.$Shape;
/** c1.connector.v2.GroupTrait */
export type GroupTrait = c1.connector.v2.GroupTrait.$Shape;
/** c1.connector.v2.RoleScopeCondition */
export type RoleScopeCondition = c1.connector.v2.RoleScopeCondition.$Shape;
/** c1.connector.v2.RoleScopeConditions */
export type RoleScopeConditions = c1.connector.v2.RoleScopeConditions.$Shape;
/** c1.connector.v2.RoleTrait */
export type RoleTrait = c1.connector.v2.RoleTrait.$Shape;
/** c1.connector.v2.LicenseProfileTrait */
export type LicenseProfileTrait = c1.connector.v2.LicenseProfileTrait.$Shape;
/** c1.connector.v2.ChildResourceType: on a resource, "list children of this type under me". */
export type ChildResourceType = c1.connector.v2.ChildResourceType.$Shape;
/** c1.connector.v2.ExternalLink */
export type ExternalLink = c1.connector.v2.ExternalLink.$Shape;
/** c1.connector.v2.V1Identifier: legacy ConductorOne id. */
export type V1Identifier = c1.connector.v2.V1Identifier.$Shape;

/** c1.connector.v2.SkipEntitlementsAndGrants (marker) */
export type SkipEntitlementsAndGrants = c1.connector.v2.SkipEntitlementsAndGrants.$Shape;
/** c1.connector.v2.SkipEntitlements (marker) */
export type SkipEntitlements = c1.connector.v2.SkipEntitlements.$Shape;
/** c1.connector.v2.SkipGrants (marker) */
export type SkipGrants = c1.connector.v2.SkipGrants.$Shape;
/** c1.connector.v2.GrantAlreadyExists (marker on a Grant response) */
export type GrantAlreadyExists = c1.connector.v2.GrantAlreadyExists.$Shape;
/** c1.connector.v2.GrantAlreadyRevoked (marker on a Revoke response) */
export type GrantAlreadyRevoked = c1.connector.v2.GrantAlreadyRevoked.$Shape;
/** c1.connector.v2.ResourceDoesNotExist (marker) */
export type ResourceDoesNotExist = c1.connector.v2.ResourceDoesNotExist.$Shape;

/** c1.connector.v2.GrantReplaced */
export type GrantReplaced = c1.connector.v2.GrantReplaced.$Shape;
/** c1.connector.v2.GrantImmutable */
export type GrantImmutable = c1.connector.v2.GrantImmutable.$Shape;
/** c1.connector.v2.GrantMetadata */
export type GrantMetadata = c1.connector.v2.GrantMetadata.$Shape;
/** c1.connector.v2.GrantExpandable: the principal's own grants of these entitlements expand into this one. */
export type GrantExpandable = c1.connector.v2.GrantExpandable.$Shape;
/** c1.connector.v2.EntitlementImmutable */
export type EntitlementImmutable = c1.connector.v2.EntitlementImmutable.$Shape;
/** c1.connector.v2.ResourceDeleted */
export type ResourceDeleted = c1.connector.v2.ResourceDeleted.$Shape;
/** c1.connector.v2.RateLimitDescription. `status` holds a `RateLimitStatus` value. */
export type RateLimitDescription = c1.connector.v2.RateLimitDescription.$Shape;
/** c1.connector.v2.RequestId */
export type RequestId = c1.connector.v2.RequestId.$Shape;
