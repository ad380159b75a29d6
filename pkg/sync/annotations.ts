/** The annotations that steer the sync (c1.connector.v2 annotation messages). */
import { findAnnotation } from '../../proto/index.js';
import type { Any, ChildResourceType } from '../../proto/types.js';

const SKIP_ALL = 'c1.connector.v2.SkipEntitlementsAndGrants';
const SKIP_ENTITLEMENTS = 'c1.connector.v2.SkipEntitlements';
const SKIP_GRANTS = 'c1.connector.v2.SkipGrants';
const CHILD_RESOURCE_TYPE = 'c1.connector.v2.ChildResourceType';
const TYPE_URL_PREFIX = 'type.googleapis.com/';

const has = (annos: Any[] | undefined, fullName: string): boolean =>
  annos?.some((a) => a.typeUrl === TYPE_URL_PREFIX + fullName) ?? false;

/** Whether entitlements of an object carrying `annos` are skipped. */
export function skipsEntitlements(annos: Any[] | undefined): boolean {
  return has(annos, SKIP_ALL) || has(annos, SKIP_ENTITLEMENTS);
}

/** Whether grants of an object carrying `annos` are skipped. */
export function skipsGrants(annos: Any[] | undefined): boolean {
  return has(annos, SKIP_ALL) || has(annos, SKIP_GRANTS);
}

/** Child resource type ids declared on a resource (ChildResourceType annotations), deduped, in order. */
export function childResourceTypeIds(annos: Any[] | undefined): string[] {
  const ids: string[] = [];
  for (const anno of annos ?? []) {
    if (anno.typeUrl !== TYPE_URL_PREFIX + CHILD_RESOURCE_TYPE) continue;
    const child = findAnnotation<ChildResourceType>([anno], CHILD_RESOURCE_TYPE);
    if (child?.resourceTypeId && !ids.includes(child.resourceTypeId)) ids.push(child.resourceTypeId);
  }
  return ids;
}
