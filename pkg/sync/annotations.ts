/** The annotations that steer the sync (c1.connector.v2 annotation messages). */
import { findAnnotation, Trait } from '../../proto/index.js';
import type { Any, ChildResourceType, ResourceType } from '../../proto/types.js';

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

/** The trait annotation each ResourceType trait requires on every resource of the type (SDK syncer rule). */
const TRAIT_ANNOTATIONS: Record<number, string> = {
  [Trait.TRAIT_USER]: 'c1.connector.v2.UserTrait',
  [Trait.TRAIT_GROUP]: 'c1.connector.v2.GroupTrait',
  [Trait.TRAIT_ROLE]: 'c1.connector.v2.RoleTrait',
  [Trait.TRAIT_APP]: 'c1.connector.v2.AppTrait',
  [Trait.TRAIT_SECRET]: 'c1.connector.v2.SecretTrait',
};

/** Trait annotations a resource of `type` must carry but does not (the SDK fails the sync on any). */
export function missingTraits(type: ResourceType | undefined, annos: Any[] | undefined): string[] {
  const required = (type?.traits ?? []).map((t) => TRAIT_ANNOTATIONS[t]).filter((name) => name !== undefined);
  return required.filter((name) => !has(annos, name));
}
