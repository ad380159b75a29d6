/**
 * Request/response messages of the c1.connector.v2 services we serve, plus the connector metadata
 * and account-provisioning messages they carry. Shapes are generated (./generated/baton.d.ts).
 *
 * Paged list requests share `pageSize` (0 = server's choice), `pageToken` ("" = first page),
 * `annotations` and `activeSyncId` (set by SDK ≥ 0.4.3 syncers on every list call); their responses
 * share `list`, `nextPageToken` ("" or absent = last page) and `annotations`.
 */
import type { c1 } from './generated/baton.js';

export type ConnectorServiceGetMetadataRequest = c1.connector.v2.ConnectorServiceGetMetadataRequest.$Shape;
export type ConnectorServiceGetMetadataResponse = c1.connector.v2.ConnectorServiceGetMetadataResponse.$Shape;
export type ConnectorServiceValidateRequest = c1.connector.v2.ConnectorServiceValidateRequest.$Shape;
/** `sdkVersion` is parsed as semver by the SDK syncer: ≥ 0.4.3 makes it send active_sync_id. */
export type ConnectorServiceValidateResponse = c1.connector.v2.ConnectorServiceValidateResponse.$Shape;
export type ConnectorServiceCleanupRequest = c1.connector.v2.ConnectorServiceCleanupRequest.$Shape;
export type ConnectorServiceCleanupResponse = c1.connector.v2.ConnectorServiceCleanupResponse.$Shape;

/** c1.connector.v2.ConnectorMetadata. `displayName` is required (1..1024 bytes). */
export type ConnectorMetadata = c1.connector.v2.ConnectorMetadata.$Shape;
/** c1.connector.v2.CapabilityPermission */
export type CapabilityPermission = c1.connector.v2.CapabilityPermission.$Shape;
/** c1.connector.v2.CapabilityPermissions */
export type CapabilityPermissions = c1.connector.v2.CapabilityPermissions.$Shape;
/** c1.connector.v2.CredentialDetailsAccountProvisioning (options are `CapabilityDetailCredentialOption`). */
export type CredentialDetailsAccountProvisioning = c1.connector.v2.CredentialDetailsAccountProvisioning.$Shape;
/** c1.connector.v2.CredentialDetailsCredentialRotation */
export type CredentialDetailsCredentialRotation = c1.connector.v2.CredentialDetailsCredentialRotation.$Shape;
/** c1.connector.v2.CredentialDetails */
export type CredentialDetails = c1.connector.v2.CredentialDetails.$Shape;
/** c1.connector.v2.ResourceTypeCapability (`capabilities` holds `Capability` values). */
export type ResourceTypeCapability = c1.connector.v2.ResourceTypeCapability.$Shape;
/** c1.connector.v2.ConnectorCapabilities */
export type ConnectorCapabilities = c1.connector.v2.ConnectorCapabilities.$Shape;
/** c1.connector.v2.ConnectorAccountCreationSchema.Field; exactly one `*Field` member is set. */
export type ConnectorAccountCreationSchema_Field = c1.connector.v2.ConnectorAccountCreationSchema.Field.$Shape;
/** c1.connector.v2.ConnectorAccountCreationSchema: the profile fields CreateAccount accepts. */
export type ConnectorAccountCreationSchema = c1.connector.v2.ConnectorAccountCreationSchema.$Shape;

export type ResourceTypesServiceListResourceTypesRequest = c1.connector.v2.ResourceTypesServiceListResourceTypesRequest.$Shape;
export type ResourceTypesServiceListResourceTypesResponse = c1.connector.v2.ResourceTypesServiceListResourceTypesResponse.$Shape;
/** `trait` is deprecated upstream; never set. */
export type ResourcesServiceListResourcesRequest = c1.connector.v2.ResourcesServiceListResourcesRequest.$Shape;
export type ResourcesServiceListResourcesResponse = c1.connector.v2.ResourcesServiceListResourcesResponse.$Shape;
export type ResourceGetterServiceGetResourceRequest = c1.connector.v2.ResourceGetterServiceGetResourceRequest.$Shape;
export type ResourceGetterServiceGetResourceResponse = c1.connector.v2.ResourceGetterServiceGetResourceResponse.$Shape;
export type EntitlementsServiceListEntitlementsRequest = c1.connector.v2.EntitlementsServiceListEntitlementsRequest.$Shape;
export type EntitlementsServiceListEntitlementsResponse = c1.connector.v2.EntitlementsServiceListEntitlementsResponse.$Shape;
export type EntitlementsServiceListStaticEntitlementsRequest =
  c1.connector.v2.EntitlementsServiceListStaticEntitlementsRequest.$Shape;
export type EntitlementsServiceListStaticEntitlementsResponse =
  c1.connector.v2.EntitlementsServiceListStaticEntitlementsResponse.$Shape;
export type GrantsServiceListGrantsRequest = c1.connector.v2.GrantsServiceListGrantsRequest.$Shape;
export type GrantsServiceListGrantsResponse = c1.connector.v2.GrantsServiceListGrantsResponse.$Shape;
export type GrantManagerServiceGrantRequest = c1.connector.v2.GrantManagerServiceGrantRequest.$Shape;
export type GrantManagerServiceGrantResponse = c1.connector.v2.GrantManagerServiceGrantResponse.$Shape;
export type GrantManagerServiceRevokeRequest = c1.connector.v2.GrantManagerServiceRevokeRequest.$Shape;
export type GrantManagerServiceRevokeResponse = c1.connector.v2.GrantManagerServiceRevokeResponse.$Shape;
export type DeleteResourceRequest = c1.connector.v2.DeleteResourceRequest.$Shape;
export type DeleteResourceResponse = c1.connector.v2.DeleteResourceResponse.$Shape;
export type DeleteResourceV2Request = c1.connector.v2.DeleteResourceV2Request.$Shape;
export type DeleteResourceV2Response = c1.connector.v2.DeleteResourceV2Response.$Shape;

/** c1.connector.v2.AccountInfo.Email */
export type AccountInfo_Email = c1.connector.v2.AccountInfo.Email.$Shape;
/** c1.connector.v2.AccountInfo: who to create. */
export type AccountInfo = c1.connector.v2.AccountInfo.$Shape;
/** c1.connector.v2.PasswordConstraint */
export type PasswordConstraint = c1.connector.v2.PasswordConstraint.$Shape;
/** c1.connector.v2.EncryptedData */
export type EncryptedData = c1.connector.v2.EncryptedData.$Shape;
/** c1.connector.v2.CredentialOptions; at most one of the option members is set. */
export type CredentialOptions = c1.connector.v2.CredentialOptions.$Shape;
/** c1.connector.v2.EncryptionConfig */
export type EncryptionConfig = c1.connector.v2.EncryptionConfig.$Shape;
export type CreateAccountRequest = c1.connector.v2.CreateAccountRequest.$Shape;

/** c1.connector.v2.CreateAccountResponse.SuccessResult */
export type CreateAccountResponse_SuccessResult = c1.connector.v2.CreateAccountResponse.SuccessResult.$Shape;
/** c1.connector.v2.CreateAccountResponse.ActionRequiredResult */
export type CreateAccountResponse_ActionRequiredResult = c1.connector.v2.CreateAccountResponse.ActionRequiredResult.$Shape;
/** AlreadyExistsResult / InProgressResult of c1.connector.v2.CreateAccountResponse (the same two fields). */
export type CreateAccountResponse_ResourceResult = c1.connector.v2.CreateAccountResponse.AlreadyExistsResult.$Shape;
/** c1.connector.v2.CreateAccountResponse; exactly one result member is set. */
export type CreateAccountResponse = c1.connector.v2.CreateAccountResponse.$Shape;
