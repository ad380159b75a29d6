/**
 * Enum constants of the Baton protos, as plain numbers (what `encode` expects and `decode` returns).
 * Nested proto enums get a clearer top-level name; the proto name is given on each. The generated
 * declarations hold no values, so these stay written out; each is checked at compile time against
 * its generated enum (same members, same numbers).
 */
import type { c1, google } from './generated/baton.js';

/** The constants of an enum: every member, with its number. */
type ConstantsOf<Enum> = { readonly [Name in keyof Enum]: Enum[Name] };

/** c1.connector.v2.ResourceType.Trait */
export const Trait = {
  TRAIT_UNSPECIFIED: 0,
  TRAIT_USER: 1,
  TRAIT_GROUP: 2,
  TRAIT_ROLE: 3,
  TRAIT_APP: 4,
  TRAIT_SECRET: 5,
  TRAIT_SECURITY_INSIGHT: 6,
  TRAIT_SCOPE_BINDING: 7,
  TRAIT_VENDOR: 8,
  TRAIT_VENDOR_AGREEMENT: 9,
  TRAIT_LICENSE_PROFILE: 10,
  TRAIT_AGENT: 11,
  TRAIT_MANAGED_DEVICE: 12,
} as const satisfies ConstantsOf<typeof c1.connector.v2.ResourceType.Trait>;

/** c1.connector.v2.Status.ResourceStatus */
export const ResourceStatus = {
  RESOURCE_STATUS_UNSPECIFIED: 0,
  RESOURCE_STATUS_ENABLED: 1,
  RESOURCE_STATUS_DISABLED: 2,
  RESOURCE_STATUS_DELETED: 3,
} as const satisfies ConstantsOf<typeof c1.connector.v2.Status.ResourceStatus>;

/** c1.connector.v2.Resource.CreationSource (deprecated upstream) */
export const CreationSource = {
  CREATION_SOURCE_UNSPECIFIED: 0,
  CREATION_SOURCE_CONNECTOR_LIST_RESOURCES: 1,
  CREATION_SOURCE_CONNECTOR_LIST_GRANTS_PRINCIPAL_JIT: 2,
} as const satisfies ConstantsOf<typeof c1.connector.v2.Resource.CreationSource>;

/** c1.connector.v2.UserTrait.Status.Status */
export const UserTraitStatus = {
  STATUS_UNSPECIFIED: 0,
  STATUS_ENABLED: 1,
  STATUS_DISABLED: 2,
  STATUS_DELETED: 3,
} as const satisfies ConstantsOf<typeof c1.connector.v2.UserTrait.Status.Status>;

/** c1.connector.v2.UserTrait.AccountType */
export const AccountType = {
  ACCOUNT_TYPE_UNSPECIFIED: 0,
  ACCOUNT_TYPE_HUMAN: 1,
  ACCOUNT_TYPE_SERVICE: 2,
  ACCOUNT_TYPE_SYSTEM: 3,
} as const satisfies ConstantsOf<typeof c1.connector.v2.UserTrait.AccountType>;

/** c1.connector.v2.Entitlement.PurposeValue */
export const EntitlementPurpose = {
  PURPOSE_VALUE_UNSPECIFIED: 0,
  PURPOSE_VALUE_ASSIGNMENT: 1,
  PURPOSE_VALUE_PERMISSION: 2,
  PURPOSE_VALUE_OWNERSHIP: 3,
} as const satisfies ConstantsOf<typeof c1.connector.v2.Entitlement.PurposeValue>;

/** c1.connector.v2.Capability */
export const Capability = {
  CAPABILITY_UNSPECIFIED: 0,
  CAPABILITY_PROVISION: 1,
  CAPABILITY_SYNC: 2,
  CAPABILITY_EVENT_FEED: 3,
  CAPABILITY_TICKETING: 4,
  CAPABILITY_ACCOUNT_PROVISIONING: 5,
  CAPABILITY_CREDENTIAL_ROTATION: 6,
  CAPABILITY_RESOURCE_CREATE: 7,
  CAPABILITY_RESOURCE_DELETE: 8,
  CAPABILITY_SYNC_SECRETS: 9,
  CAPABILITY_ACTIONS: 10,
  CAPABILITY_TARGETED_SYNC: 11,
  CAPABILITY_EVENT_FEED_V2: 12,
  CAPABILITY_SERVICE_MODE_TARGETED_SYNC: 13,
  CAPABILITY_CREDENTIAL_ISSUE: 14,
} as const satisfies ConstantsOf<typeof c1.connector.v2.Capability>;

/** c1.connector.v2.CapabilityDetailCredentialOption */
export const CapabilityDetailCredentialOption = {
  CAPABILITY_DETAIL_CREDENTIAL_OPTION_UNSPECIFIED: 0,
  CAPABILITY_DETAIL_CREDENTIAL_OPTION_NO_PASSWORD: 1,
  CAPABILITY_DETAIL_CREDENTIAL_OPTION_RANDOM_PASSWORD: 2,
  CAPABILITY_DETAIL_CREDENTIAL_OPTION_SSO: 3,
  CAPABILITY_DETAIL_CREDENTIAL_OPTION_ENCRYPTED_PASSWORD: 4,
  CAPABILITY_DETAIL_CREDENTIAL_OPTION_API_KEY: 5,
  CAPABILITY_DETAIL_CREDENTIAL_OPTION_KEYPAIR: 6,
  CAPABILITY_DETAIL_CREDENTIAL_OPTION_TOKEN: 7,
  CAPABILITY_DETAIL_CREDENTIAL_OPTION_CLIENT_SECRET: 8,
} as const satisfies ConstantsOf<typeof c1.connector.v2.CapabilityDetailCredentialOption>;

/** c1.connector.v2.CredentialResourceMode */
export const CredentialResourceMode = {
  CREDENTIAL_RESOURCE_MODE_UNSPECIFIED: 0,
  CREDENTIAL_RESOURCE_MODE_DISCOVERABLE: 1,
  CREDENTIAL_RESOURCE_MODE_VIRTUAL: 2,
} as const satisfies ConstantsOf<typeof c1.connector.v2.CredentialResourceMode>;

/** c1.connector.v2.RateLimitDescription.Status */
export const RateLimitStatus = {
  STATUS_UNSPECIFIED: 0,
  STATUS_OK: 1,
  STATUS_OVERLIMIT: 2,
  STATUS_ERROR: 3,
} as const satisfies ConstantsOf<typeof c1.connector.v2.RateLimitDescription.Status>;

/** google.protobuf.NullValue */
export const NullValue = { NULL_VALUE: 0 } as const satisfies ConstantsOf<typeof google.protobuf.NullValue>;
