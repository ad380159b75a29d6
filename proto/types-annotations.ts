/**
 * Annotation messages (traits and markers) that travel as `google.protobuf.Any` with type URL
 * `type.googleapis.com/c1.connector.v2.<Name>`. Pack them with `packAny('c1.connector.v2.<Name>', msg)`.
 */
import type { AssetRef, ResourceId, Struct, Timestamp } from './types.js';

/** c1.connector.v2.UserTrait.Email */
export interface UserTrait_Email {
  address?: string;
  isPrimary?: boolean;
}

/** c1.connector.v2.UserTrait.Status. `status` holds a `UserTraitStatus` value. */
export interface UserTrait_Status {
  status?: number;
  details?: string;
}

/** c1.connector.v2.UserTrait.MFAStatus */
export interface UserTrait_MFAStatus {
  mfaEnabled?: boolean;
}

/** c1.connector.v2.UserTrait.SSOStatus */
export interface UserTrait_SSOStatus {
  ssoEnabled?: boolean;
}

/** c1.connector.v2.UserTrait.StructuredName */
export interface UserTrait_StructuredName {
  givenName?: string;
  familyName?: string;
  middleNames?: string[];
  prefix?: string;
  suffix?: string;
}

/**
 * c1.connector.v2.UserTrait. `status` and `profile` are marked deprecated upstream but are still what
 * the Baton SDK's resource helpers fill and what the `baton` CLI shows, so we keep setting them.
 * `accountType` holds an `AccountType` value.
 */
export interface UserTrait {
  emails?: UserTrait_Email[];
  status?: UserTrait_Status;
  profile?: Struct;
  icon?: AssetRef;
  accountType?: number;
  login?: string;
  loginAliases?: string[];
  employeeIds?: string[];
  createdAt?: Timestamp;
  lastLogin?: Timestamp;
  mfaStatus?: UserTrait_MFAStatus;
  ssoStatus?: UserTrait_SSOStatus;
  structuredName?: UserTrait_StructuredName;
}

/** c1.connector.v2.GroupTrait */
export interface GroupTrait {
  icon?: AssetRef;
  profile?: Struct;
  groupSourceType?: string;
  rawGroupSourceType?: string;
}

/** c1.connector.v2.RoleScopeCondition */
export interface RoleScopeCondition {
  expression?: string;
}

/** c1.connector.v2.RoleScopeConditions */
export interface RoleScopeConditions {
  type?: string;
  conditions?: RoleScopeCondition[];
}

/** c1.connector.v2.RoleTrait */
export interface RoleTrait {
  profile?: Struct;
  roleScopeConditions?: RoleScopeConditions;
}

/** c1.connector.v2.LicenseProfileTrait */
export interface LicenseProfileTrait {
  licenseName?: string;
  purchasedSeats?: number;
  consumedSeats?: number;
  costPerUnitInCents?: number;
  currency?: string;
  entitlementIds?: string[];
}

/** c1.connector.v2.ChildResourceType: on a resource, "list children of this type under me". */
export interface ChildResourceType {
  resourceTypeId?: string;
}

/** c1.connector.v2.ExternalLink */
export interface ExternalLink {
  url?: string;
}

/** c1.connector.v2.V1Identifier: legacy ConductorOne id. */
export interface V1Identifier {
  id?: string;
}

/** c1.connector.v2.SkipEntitlementsAndGrants (marker) */
export type SkipEntitlementsAndGrants = Record<string, never>;
/** c1.connector.v2.SkipEntitlements (marker) */
export type SkipEntitlements = Record<string, never>;
/** c1.connector.v2.SkipGrants (marker) */
export type SkipGrants = Record<string, never>;
/** c1.connector.v2.GrantAlreadyExists (marker on a Grant response) */
export type GrantAlreadyExists = Record<string, never>;
/** c1.connector.v2.GrantAlreadyRevoked (marker on a Revoke response) */
export type GrantAlreadyRevoked = Record<string, never>;
/** c1.connector.v2.ResourceDoesNotExist (marker) */
export type ResourceDoesNotExist = Record<string, never>;

/** c1.connector.v2.GrantReplaced */
export interface GrantReplaced {
  replacedGrantId?: string;
}

/** c1.connector.v2.GrantImmutable */
export interface GrantImmutable {
  sourceId?: string;
  metadata?: Struct;
}

/** c1.connector.v2.GrantMetadata */
export interface GrantMetadata {
  metadata?: Struct;
}

/** c1.connector.v2.GrantExpandable: the principal's own grants of these entitlements expand into this one. */
export interface GrantExpandable {
  entitlementIds?: string[];
  shallow?: boolean;
  resourceTypeIds?: string[];
}

/** c1.connector.v2.EntitlementImmutable */
export interface EntitlementImmutable {
  sourceId?: string;
  metadata?: Struct;
}

/** c1.connector.v2.ResourceDeleted */
export interface ResourceDeleted {
  resourceId?: ResourceId;
}

/** c1.connector.v2.RateLimitDescription. `status` holds a `RateLimitStatus` value. */
export interface RateLimitDescription {
  status?: number;
  limit?: number;
  remaining?: number;
  resetAt?: Timestamp;
}

/** c1.connector.v2.RequestId */
export interface RequestId {
  requestId?: string;
}
