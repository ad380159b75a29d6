/**
 * ConnectorApi: the in-process face of the `c1.connector.v2` services. The gRPC server (pkg/server)
 * and the one-shot sync engine (pkg/sync) both drive this one object, with the same request and
 * response messages as the RPCs, so "sync in-process" and "sync over gRPC" cannot drift apart.
 * Methods throw ConnectorError (pkg/connector/errors.ts) or TableauError; pkg/server maps them to a
 * gRPC status in one place.
 */
import type * as pb from '../../proto/types.js';
import type { CallCtx } from './types.js';

export interface ConnectorApi {
  getMetadata(req: pb.ConnectorServiceGetMetadataRequest, ctx: CallCtx): Promise<pb.ConnectorServiceGetMetadataResponse>;
  validate(req: pb.ConnectorServiceValidateRequest, ctx: CallCtx): Promise<pb.ConnectorServiceValidateResponse>;
  cleanup(req: pb.ConnectorServiceCleanupRequest, ctx: CallCtx): Promise<pb.ConnectorServiceCleanupResponse>;

  listResourceTypes(
    req: pb.ResourceTypesServiceListResourceTypesRequest,
    ctx: CallCtx,
  ): Promise<pb.ResourceTypesServiceListResourceTypesResponse>;
  listResources(req: pb.ResourcesServiceListResourcesRequest, ctx: CallCtx): Promise<pb.ResourcesServiceListResourcesResponse>;
  getResource(
    req: pb.ResourceGetterServiceGetResourceRequest,
    ctx: CallCtx,
  ): Promise<pb.ResourceGetterServiceGetResourceResponse>;
  listEntitlements(
    req: pb.EntitlementsServiceListEntitlementsRequest,
    ctx: CallCtx,
  ): Promise<pb.EntitlementsServiceListEntitlementsResponse>;
  listStaticEntitlements(
    req: pb.EntitlementsServiceListStaticEntitlementsRequest,
    ctx: CallCtx,
  ): Promise<pb.EntitlementsServiceListStaticEntitlementsResponse>;
  listGrants(req: pb.GrantsServiceListGrantsRequest, ctx: CallCtx): Promise<pb.GrantsServiceListGrantsResponse>;

  grant(req: pb.GrantManagerServiceGrantRequest, ctx: CallCtx): Promise<pb.GrantManagerServiceGrantResponse>;
  revoke(req: pb.GrantManagerServiceRevokeRequest, ctx: CallCtx): Promise<pb.GrantManagerServiceRevokeResponse>;
  createAccount(req: pb.CreateAccountRequest, ctx: CallCtx): Promise<pb.CreateAccountResponse>;
  deleteResource(req: pb.DeleteResourceRequest, ctx: CallCtx): Promise<pb.DeleteResourceResponse>;
  deleteResourceV2(req: pb.DeleteResourceV2Request, ctx: CallCtx): Promise<pb.DeleteResourceV2Response>;
}
