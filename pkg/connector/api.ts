/**
 * ConnectorApi: the in-process face of the `c1.connector.v2` services. The gRPC server (pkg/server)
 * and the one-shot sync engine (pkg/sync) both drive this one object, with the same request and
 * response messages as the RPCs, so "sync in-process" and "sync over gRPC" cannot drift apart.
 * Methods throw ConnectorError (pkg/connector/errors.ts) or TableauError; pkg/server maps them to a
 * gRPC status in one place.
 */
import type * as pb from '../../proto/types.js';
import type { CallCtx } from './types.js';

/**
 * The connector as Baton sees it: one method per `c1.connector.v2` RPC, same messages. Every method
 * honours `ctx.signal` (abort) and throws {@link ConnectorError} or a Tableau error, never a raw one.
 */
export interface ConnectorApi {
  /** The connector's display name, description, capabilities and account-creation schema. */
  getMetadata(req: pb.ConnectorServiceGetMetadataRequest, ctx: CallCtx): Promise<pb.ConnectorServiceGetMetadataResponse>;
  /** Signs in to Tableau and checks the configured sites are reachable; throws when they are not. */
  validate(req: pb.ConnectorServiceValidateRequest, ctx: CallCtx): Promise<pb.ConnectorServiceValidateResponse>;
  /** Releases per-sync caches (site directory, user indexes); the next call starts fresh. */
  cleanup(req: pb.ConnectorServiceCleanupRequest, ctx: CallCtx): Promise<pb.ConnectorServiceCleanupResponse>;

  /** The resource types this connector models (site, user, group, license, ...), one page. */
  listResourceTypes(
    req: pb.ResourceTypesServiceListResourceTypesRequest,
    ctx: CallCtx,
  ): Promise<pb.ResourceTypesServiceListResourceTypesResponse>;
  /**
   * One page of resources of `req.resourceTypeId` under `req.parentResourceId`; an empty
   * `nextPageToken` ends the listing. Tokens are opaque and only valid for this connector.
   */
  listResources(req: pb.ResourcesServiceListResourcesRequest, ctx: CallCtx): Promise<pb.ResourcesServiceListResourcesResponse>;
  /** One resource by id (NOT_FOUND when Tableau no longer has it). */
  getResource(
    req: pb.ResourceGetterServiceGetResourceRequest,
    ctx: CallCtx,
  ): Promise<pb.ResourceGetterServiceGetResourceResponse>;
  /** One page of the entitlements a resource offers (site roles, group membership, license seats). */
  listEntitlements(
    req: pb.EntitlementsServiceListEntitlementsRequest,
    ctx: CallCtx,
  ): Promise<pb.EntitlementsServiceListEntitlementsResponse>;
  /** Entitlements that are the same for every resource of a type; this connector lists none. */
  listStaticEntitlements(
    req: pb.EntitlementsServiceListStaticEntitlementsRequest,
    ctx: CallCtx,
  ): Promise<pb.EntitlementsServiceListStaticEntitlementsResponse>;
  /** One page of the grants of a resource: who holds which of its entitlements. */
  listGrants(req: pb.GrantsServiceListGrantsRequest, ctx: CallCtx): Promise<pb.GrantsServiceListGrantsResponse>;

  /** Grants `req.entitlement` to `req.principal` (idempotent: an existing grant is reported, not an error). */
  grant(req: pb.GrantManagerServiceGrantRequest, ctx: CallCtx): Promise<pb.GrantManagerServiceGrantResponse>;
  /** Revokes `req.grant` (idempotent: a grant already gone is reported, not an error). */
  revoke(req: pb.GrantManagerServiceRevokeRequest, ctx: CallCtx): Promise<pb.GrantManagerServiceRevokeResponse>;
  /** Adds a user to a site with the requested role (provisioning must be enabled). */
  createAccount(req: pb.CreateAccountRequest, ctx: CallCtx): Promise<pb.CreateAccountResponse>;
  /** Removes a user from a site under the configured deprovisioning policy (v1 request shape). */
  deleteResource(req: pb.DeleteResourceRequest, ctx: CallCtx): Promise<pb.DeleteResourceResponse>;
  /** As {@link ConnectorApi.deleteResource}, for the v2 request shape. */
  deleteResourceV2(req: pb.DeleteResourceV2Request, ctx: CallCtx): Promise<pb.DeleteResourceV2Response>;
}
