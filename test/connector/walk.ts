/**
 * Test helpers: drive a ConnectorApi the way a Baton syncer does (resource types, resources with their
 * child types, static entitlements, entitlements, grants), page by page, failing on a repeated token.
 */
import pino from 'pino';
import { findAnnotation } from '../../proto/index.js';
import type { ChildResourceType, Entitlement, Grant, Resource, ResourceId, ResourceType } from '../../proto/types.js';
import type { ConnectorApi } from '../../pkg/connector/api.js';
import type { CallCtx } from '../../pkg/connector/types.js';

/** More pages than any test data set needs: a runaway pager fails instead of hanging. */
const MAX_PAGES = 2_000;

export function callCtx(syncId = 'sync-1'): CallCtx {
  return { signal: AbortSignal.timeout(120_000), log: pino({ level: 'silent' }), syncId };
}

/** Every page of one listing; throws when a next token repeats or the listing never ends. */
export async function drain<T>(
  label: string,
  call: (pageToken: string) => Promise<{ list?: T[]; nextPageToken?: string }>,
): Promise<{ items: T[]; pages: number }> {
  const seen = new Set<string>();
  const items: T[] = [];
  let token = '';
  for (let pages = 1; pages <= MAX_PAGES; pages++) {
    const response = await call(token);
    items.push(...(response.list ?? []));
    const next = response.nextPageToken ?? '';
    if (next === '') return { items, pages };
    if (seen.has(next)) throw new Error(`${label}: page token repeated`);
    seen.add(next);
    token = next;
  }
  throw new Error(`${label}: more than ${MAX_PAGES} pages`);
}

export interface Walk {
  resourceTypes: ResourceType[];
  resources: Map<string, Resource>;
  entitlements: Map<string, Entitlement>;
  grants: Map<string, Grant>;
  /** Pages per listing, e.g. `grants group:<id>` → 3. */
  pages: Map<string, number>;
}

const key = (id: ResourceId | undefined) => `${id?.resourceType ?? ''}:${id?.resource ?? ''}`;

function addUnique<T>(map: Map<string, T>, id: string, value: T, what: string): void {
  if (map.has(id)) throw new Error(`duplicate ${what} ${id}`);
  map.set(id, value);
}

/** The whole Baton sync order (Validate first) against `api`, collecting every object by id. */
export async function walk(api: ConnectorApi, ctx: CallCtx = callCtx()): Promise<Walk> {
  const out: Walk = { resourceTypes: [], resources: new Map(), entitlements: new Map(), grants: new Map(), pages: new Map() };
  await api.validate({}, ctx);
  out.resourceTypes = (await drain('types', (t) => api.listResourceTypes({ pageToken: t }, ctx))).items;
  await listAllResources(api, ctx, out);
  for (const type of out.resourceTypes) {
    const statics = await drain('static', (t) => api.listStaticEntitlements({ resourceTypeId: type.id, pageToken: t }, ctx));
    if (statics.items.length > 0) throw new Error(`unexpected static entitlements for ${type.id}`);
    if (findAnnotation(type.annotations, 'c1.connector.v2.SkipEntitlementsAndGrants')) continue;
    for (const resource of [...out.resources.values()].filter((r) => r.id?.resourceType === type.id)) {
      await collectEntitlementsAndGrants(api, ctx, resource, out);
    }
  }
  return out;
}

async function listAllResources(api: ConnectorApi, ctx: CallCtx, out: Walk): Promise<void> {
  const queue: { typeId: string; parent?: ResourceId }[] = out.resourceTypes.map((t) => ({ typeId: t.id ?? '' }));
  for (let op = queue.shift(); op !== undefined; op = queue.shift()) {
    const { typeId, parent } = op;
    const label = `resources ${typeId} under ${key(parent)}`;
    const { items, pages } = await drain(label, (t) =>
      api.listResources({ resourceTypeId: typeId, parentResourceId: parent, pageToken: t, activeSyncId: ctx.syncId }, ctx),
    );
    out.pages.set(label, pages);
    for (const resource of items) {
      addUnique(out.resources, key(resource.id), resource, 'resource');
      for (const a of resource.annotations ?? []) {
        if (!a.typeUrl.endsWith('/c1.connector.v2.ChildResourceType')) continue;
        const child = findAnnotation<ChildResourceType>([a], 'c1.connector.v2.ChildResourceType');
        queue.push({ typeId: child?.resourceTypeId ?? '', parent: resource.id });
      }
    }
  }
}

async function collectEntitlementsAndGrants(api: ConnectorApi, ctx: CallCtx, resource: Resource, out: Walk): Promise<void> {
  const ents = await drain(`entitlements ${key(resource.id)}`, (t) => api.listEntitlements({ resource, pageToken: t }, ctx));
  for (const e of ents.items) addUnique(out.entitlements, e.id ?? '', e, 'entitlement');
  const label = `grants ${key(resource.id)}`;
  const grants = await drain(label, (t) => api.listGrants({ resource, pageToken: t }, ctx));
  out.pages.set(label, grants.pages);
  for (const g of grants.items) addUnique(out.grants, g.id ?? '', g, 'grant');
}
