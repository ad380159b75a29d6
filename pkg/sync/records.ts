/**
 * Store connector records in the c1z with the SDK's column values, and count them.
 * Column sources follow the SDK: entitlements by `entitlement.resource.id`, grants by
 * `grant.entitlement.resource.id` and `grant.principal.id`.
 */
import { encode } from '../../proto/index.js';
import type { Entitlement, Grant, Resource, ResourceId, ResourceType } from '../../proto/types.js';
import type { C1zWriter } from '../c1z/index.js';
import { SyncError } from './errors.js';
import { GrantEncoder } from './grant-encoder.js';
import type { SyncCounts, TypeCounts } from './types.js';

const RESOURCE_TYPE = 'c1.connector.v2.ResourceType';
export const RESOURCE = 'c1.connector.v2.Resource';
const ENTITLEMENT = 'c1.connector.v2.Entitlement';

/** `<type>:<id>` as the c1z and the SDK print resource ids. */
export const resourceKey = (id: ResourceId | undefined): string => `${id?.resourceType ?? ''}:${id?.resource ?? ''}`;

/** Writes records and keeps the totals and per-type counts of the run. */
export class RecordSink {
  readonly counts: SyncCounts = { resourceTypes: 0, resources: 0, entitlements: 0, grants: 0 };
  readonly perType: Record<string, TypeCounts> = {};
  private readonly grantEncoder = new GrantEncoder();

  constructor(private readonly writer: C1zWriter) {}

  resourceType(rt: ResourceType): void {
    if (!rt.id) throw new SyncError('the connector returned a resource type without an id');
    const isNew = this.writer.addResourceType({ id: rt.id, data: encode(RESOURCE_TYPE, rt) });
    if (isNew) this.counts.resourceTypes++;
    this.typeCounts(rt.id);
  }

  /**
   * Returns the row the resource went to (the writer's `resourceAt`). Counted as stored: a resource
   * the connector returned twice counts twice until {@link recountResources}.
   */
  resource(r: Resource): number {
    const { resourceType, resource } = r.id ?? {};
    if (!resourceType || !resource) throw new SyncError('the connector returned a resource without an id');
    const rowId = this.writer.addResource({
      resourceTypeId: resourceType,
      resourceId: resource,
      parentTypeId: r.parentResourceId?.resourceType,
      parentId: r.parentResourceId?.resource,
      data: encode(RESOURCE, r),
    });
    this.counts.resources++;
    this.typeCounts(resourceType).resources++;
    return rowId;
  }

  /** Collapses repeated resources in the writer and takes its exact counts (every resource is in). */
  recountResources(): void {
    this.writer.indexResources();
    this.counts.resources = 0;
    for (const [typeId, counts] of Object.entries(this.perType)) {
      counts.resources = this.writer.countResourcesOfType(typeId);
      this.counts.resources += counts.resources;
    }
  }

  /** `owner` is the resource the entitlement was listed for: the fallback when it names none itself. */
  entitlement(e: Entitlement, owner: ResourceId): void {
    const resourceId = e.resource?.id?.resource ? e.resource.id : owner;
    if (!e.id) throw new SyncError(`the connector returned an entitlement without an id for ${resourceKey(owner)}`);
    this.writer.addEntitlement({
      id: e.id,
      resourceTypeId: resourceId.resourceType ?? '',
      resourceId: resourceId.resource ?? '',
      data: encode(ENTITLEMENT, e),
    });
    this.counts.entitlements++;
    this.typeCounts(resourceId.resourceType ?? '').entitlements++;
  }

  grant(g: Grant, owner: ResourceId): void {
    const entitlementResource = g.entitlement?.resource?.id?.resource ? g.entitlement.resource.id : owner;
    const principal = g.principal?.id;
    if (!g.id || !g.entitlement?.id || !principal?.resourceType || !principal.resource) {
      throw new SyncError(`the connector returned an incomplete grant (id, entitlement or principal missing) for ${resourceKey(owner)}`);
    }
    this.writer.addGrant({
      id: g.id,
      entitlementId: g.entitlement.id,
      resourceTypeId: entitlementResource.resourceType ?? '',
      resourceId: entitlementResource.resource ?? '',
      principalTypeId: principal.resourceType,
      principalId: principal.resource,
      data: this.grantEncoder.encode(g),
    });
    this.counts.grants++;
    this.typeCounts(entitlementResource.resourceType ?? '').grants++;
  }

  private typeCounts(typeId: string): TypeCounts {
    return (this.perType[typeId] ??= { resources: 0, entitlements: 0, grants: 0 });
  }
}
