/**
 * The annotations provisioning answers with (PROTOCOL §1.7–§1.9), packed as google.protobuf.Any.
 *
 * Extra results that have no dedicated Baton message travel in a `c1.connector.v2.GrantMetadata`
 * whose Struct holds one of:
 * - `{ "dryRun": true, "calls": [{ "method", "path", "body"? }, ...], "summary" }` — the Tableau calls a
 *   dry run would make (nothing was changed);
 * - `{ "deprovision": { "policy", "action", "ownedContent": {workbooks, datasources, flows}, "mappedTo"? } }`
 *   — what DeleteResource did with the user's content.
 * - `{ "siteRole": "<role Tableau reports>" }` — the role a user holds after a revoke.
 */
import type { Any, ResourceId } from '../../../proto/types.js';
import { packAny, toStruct } from '../../../proto/index.js';

const NS = 'c1.connector.v2.';

export const grantAlreadyExists = (): Any => packAny(`${NS}GrantAlreadyExists`, {});
export const grantAlreadyRevoked = (): Any => packAny(`${NS}GrantAlreadyRevoked`, {});
export const resourceDoesNotExist = (): Any => packAny(`${NS}ResourceDoesNotExist`, {});

export const grantReplaced = (replacedGrantId: string): Any => packAny(`${NS}GrantReplaced`, { replacedGrantId });

export const resourceDeleted = (resourceId: ResourceId): Any => packAny(`${NS}ResourceDeleted`, { resourceId });

/** A GrantMetadata carrying a JSON object (see the module comment for the shapes we use). */
export const metadataAnnotation = (metadata: Record<string, unknown>): Any =>
  packAny(`${NS}GrantMetadata`, { metadata: toStruct(metadata) });
