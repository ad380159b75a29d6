/**
 * Request/response messages of the c1.connector.v2 services we serve, plus the connector metadata
 * and account-provisioning messages they carry.
 */
import type { Any, AssetRef, Entitlement, Grant, Resource, ResourceId, ResourceType, Struct, Timestamp } from './types.js';

/** Fields every paged list request shares. `pageSize` 0 = server's choice; `pageToken` "" = first page. */
interface PagedRequest {
  pageSize?: number;
  pageToken?: string;
  annotations?: Any[];
  /** Set by SDK ≥ 0.4.3 syncers on every list call. */
  activeSyncId?: string;
}

/** Fields every paged list response shares. `nextPageToken` "" (or absent) = last page. */
interface PagedResponse<T> {
  list?: T[];
  nextPageToken?: string;
  annotations?: Any[];
}

export type ConnectorServiceGetMetadataRequest = Record<string, never>;
export interface ConnectorServiceGetMetadataResponse {
  metadata?: ConnectorMetadata;
}
export type ConnectorServiceValidateRequest = Record<string, never>;
export interface ConnectorServiceValidateResponse {
  annotations?: Any[];
  /** Parsed as semver by the SDK syncer: ≥ 0.4.3 makes it send active_sync_id. */
  sdkVersion?: string;
}
export interface ConnectorServiceCleanupRequest {
  annotations?: Any[];
  activeSyncId?: string;
}
export interface ConnectorServiceCleanupResponse {
  annotations?: Any[];
}

/** c1.connector.v2.ConnectorMetadata. `displayName` is required (1..1024 bytes). */
export interface ConnectorMetadata {
  displayName?: string;
  helpUrl?: string;
  icon?: AssetRef;
  logo?: AssetRef;
  profile?: Struct;
  annotations?: Any[];
  description?: string;
  capabilities?: ConnectorCapabilities;
  accountCreationSchema?: ConnectorAccountCreationSchema;
}

/** c1.connector.v2.CapabilityPermission */
export interface CapabilityPermission {
  permission?: string;
}
/** c1.connector.v2.CapabilityPermissions */
export interface CapabilityPermissions {
  permissions?: CapabilityPermission[];
}

/** c1.connector.v2.CredentialDetailsAccountProvisioning (options are `CapabilityDetailCredentialOption`). */
export interface CredentialDetailsAccountProvisioning {
  supportedCredentialOptions?: number[];
  preferredCredentialOption?: number;
}
/** c1.connector.v2.CredentialDetailsCredentialRotation */
export type CredentialDetailsCredentialRotation = CredentialDetailsAccountProvisioning;
/** c1.connector.v2.CredentialDetails */
export interface CredentialDetails {
  capabilityAccountProvisioning?: CredentialDetailsAccountProvisioning;
  capabilityCredentialRotation?: CredentialDetailsCredentialRotation;
}

/** c1.connector.v2.ResourceTypeCapability (`capabilities` holds `Capability` values). */
export interface ResourceTypeCapability {
  resourceType?: ResourceType;
  capabilities?: number[];
  permissions?: CapabilityPermissions;
  optInRequired?: boolean;
  skipSyncAnomalyDetection?: boolean;
  deprecated?: boolean;
}

/** c1.connector.v2.ConnectorCapabilities */
export interface ConnectorCapabilities {
  resourceTypeCapabilities?: ResourceTypeCapability[];
  connectorCapabilities?: number[];
  credentialDetails?: CredentialDetails;
}

/** c1.connector.v2.ConnectorAccountCreationSchema.Field; exactly one `*Field` member is set. */
export interface ConnectorAccountCreationSchema_Field {
  displayName?: string;
  required?: boolean;
  description?: string;
  placeholder?: string;
  order?: number;
  deprecated?: boolean;
  stringField?: { defaultValue?: string };
  boolField?: { defaultValue?: boolean };
  stringListField?: { defaultValue?: string[] };
  intField?: { defaultValue?: number };
  mapField?: { defaultValue?: { [key: string]: ConnectorAccountCreationSchema_Field } };
}

/** c1.connector.v2.ConnectorAccountCreationSchema: the profile fields CreateAccount accepts. */
export interface ConnectorAccountCreationSchema {
  fieldMap?: { [key: string]: ConnectorAccountCreationSchema_Field };
}

export type ResourceTypesServiceListResourceTypesRequest = PagedRequest & { parent?: Resource };
export type ResourceTypesServiceListResourceTypesResponse = PagedResponse<ResourceType>;

export type ResourcesServiceListResourcesRequest = PagedRequest & {
  resourceTypeId?: string;
  parentResourceId?: ResourceId;
  /** Deprecated upstream; never set. */
  trait?: number;
};
export type ResourcesServiceListResourcesResponse = PagedResponse<Resource>;

export interface ResourceGetterServiceGetResourceRequest {
  resourceId?: ResourceId;
  parentResourceId?: ResourceId;
  annotations?: Any[];
  activeSyncId?: string;
}
export interface ResourceGetterServiceGetResourceResponse {
  resource?: Resource;
  annotations?: Any[];
}

export type EntitlementsServiceListEntitlementsRequest = PagedRequest & { resource?: Resource };
export type EntitlementsServiceListEntitlementsResponse = PagedResponse<Entitlement>;
export type EntitlementsServiceListStaticEntitlementsRequest = PagedRequest & { resourceTypeId?: string };
export type EntitlementsServiceListStaticEntitlementsResponse = PagedResponse<Entitlement>;

export type GrantsServiceListGrantsRequest = PagedRequest & { resource?: Resource };
export type GrantsServiceListGrantsResponse = PagedResponse<Grant>;

export interface GrantManagerServiceGrantRequest {
  entitlement?: Entitlement;
  principal?: Resource;
  annotations?: Any[];
}
export interface GrantManagerServiceGrantResponse {
  annotations?: Any[];
  grants?: Grant[];
}
export interface GrantManagerServiceRevokeRequest {
  grant?: Grant;
  annotations?: Any[];
}
export interface GrantManagerServiceRevokeResponse {
  annotations?: Any[];
}

export interface DeleteResourceRequest {
  resourceId?: ResourceId;
  parentResourceId?: ResourceId;
}
export interface DeleteResourceResponse {
  annotations?: Any[];
}
export type DeleteResourceV2Request = DeleteResourceRequest;
export type DeleteResourceV2Response = DeleteResourceResponse;

/** c1.connector.v2.AccountInfo.Email */
export interface AccountInfo_Email {
  address?: string;
  isPrimary?: boolean;
}
/** c1.connector.v2.AccountInfo: who to create. */
export interface AccountInfo {
  emails?: AccountInfo_Email[];
  login?: string;
  loginAliases?: string[];
  profile?: Struct;
}

/** c1.connector.v2.PasswordConstraint */
export interface PasswordConstraint {
  charSet?: string;
  minCount?: number;
}

/** c1.connector.v2.EncryptedData */
export interface EncryptedData {
  provider?: string;
  keyId?: string;
  name?: string;
  description?: string;
  schema?: string;
  encryptedBytes?: Uint8Array;
  keyIds?: string[];
}

/** c1.connector.v2.CredentialOptions; at most one of the option members is set. */
export interface CredentialOptions {
  randomPassword?: { length?: number; constraints?: PasswordConstraint[] };
  noPassword?: Record<string, never>;
  sso?: { ssoProvider?: string };
  encryptedPassword?: { encryptedPasswords?: EncryptedData[] };
  forceChangeAtNextLogin?: boolean;
}

/** c1.connector.v2.EncryptionConfig */
export interface EncryptionConfig {
  principal?: Resource;
  provider?: string;
  keyId?: string;
  jwkPublicKeyConfig?: { pubKey?: Uint8Array };
  ageRecipientConfig?: { recipient?: string };
}

export interface CreateAccountRequest {
  accountInfo?: AccountInfo;
  credentialOptions?: CredentialOptions;
  encryptionConfigs?: EncryptionConfig[];
  resourceTypeId?: string;
}

/** c1.connector.v2.CreateAccountResponse.SuccessResult */
export interface CreateAccountResponse_SuccessResult {
  resource?: Resource;
  isCreateAccountResult?: boolean;
  invitationExpiresAt?: Timestamp;
}
/** c1.connector.v2.CreateAccountResponse.ActionRequiredResult */
export interface CreateAccountResponse_ActionRequiredResult {
  resource?: Resource;
  message?: string;
  isCreateAccountResult?: boolean;
}
/** AlreadyExistsResult / InProgressResult of c1.connector.v2.CreateAccountResponse */
export interface CreateAccountResponse_ResourceResult {
  resource?: Resource;
  isCreateAccountResult?: boolean;
}

/** c1.connector.v2.CreateAccountResponse; exactly one result member is set. */
export interface CreateAccountResponse {
  success?: CreateAccountResponse_SuccessResult;
  actionRequired?: CreateAccountResponse_ActionRequiredResult;
  alreadyExists?: CreateAccountResponse_ResourceResult;
  inProgress?: CreateAccountResponse_ResourceResult;
  encryptedData?: EncryptedData[];
  annotations?: Any[];
}
