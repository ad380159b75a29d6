/**
 * DeleteResource / DeleteResourceV2 of a `user`: deprovisioning under a policy.
 * - `block-if-owner` (default): a user who owns workbooks, data sources or flows is not touched
 *   (FAILED_PRECONDITION with the counts); others are removed from the site.
 * - `remove`: owners are removed with their content moved to `mapAssetsTo` (a username or LUID on the
 *   same site); without a successor, owners are refused like block-if-owner.
 * - `unlicense`: the account stays, as `Unlicensed` (content untouched).
 * Tableau keeps an owner as Unlicensed instead of removing it (409), so a removal is only reported once
 * Query User answers 404. The result travels as ResourceDeleted plus a GrantMetadata
 * `{deprovision: {policy, action, ownedContent, mappedTo?}}`.
 */
import type { DeleteResourceRequest, DeleteResourceResponse } from '../../../proto/types.js';
import { TableauError } from '../../tableau/errors.js';
import type { ContentKind, TableauUser } from '../../tableau/types.js';
import { failedPrecondition, unimplemented } from '../errors.js';
import { metadataAnnotation, resourceDeleted, resourceDoesNotExist } from '../provisioning/annotations.js';
import type { OpEnv } from '../provisioning/context.js';
import { calls, dryRunAnnotation } from '../provisioning/plan.js';
import { changeRole, refuseServerAdministrator, userOnSite } from '../site/role-change.js';
import type { SiteRef } from '../provisioning/locator.js';
import { refuseScimManaged } from '../scim-management.js';

/** What DeleteResource does with a user (see the module comment). */
export type DeprovisionPolicy = 'remove' | 'unlicense' | 'block-if-owner';

type OwnedContent = Record<ContentKind, number>;

const describeOwned = (o: OwnedContent): string => `${o.workbooks} workbooks, ${o.datasources} data sources, ${o.flows} flows`;
const totalOwned = (o: OwnedContent): number => o.workbooks + o.datasources + o.flows;

export async function deprovisionUser(
  req: DeleteResourceRequest,
  env: OpEnv,
  policy: DeprovisionPolicy,
  mapAssetsTo: string | undefined,
): Promise<DeleteResourceResponse> {
  const id = req.resourceId;
  if (id?.resourceType !== 'user' || !id.resource) {
    throw unimplemented(`deleting ${id?.resourceType ?? 'this'} resources is not supported (only users)`);
  }
  const parent = req.parentResourceId;
  const hint = parent?.resourceType === 'site' && parent.resource ? await env.directory.siteByLuid(parent.resource, env.signal) : undefined;
  const found = await env.directory.findUser(id.resource, env.signal, hint);
  if (!found) {
    env.audit.finish('does-not-exist');
    return { annotations: [resourceDoesNotExist()] };
  }
  const { site, user } = found;
  env.audit.site = site.id;
  env.audit.before = user.siteRole;
  refuseServerAdministrator(user, 'deprovision a server administrator');
  await refuseScimManaged(env, site, { user }, 'account (deletion)');
  const owned = await site.client.countOwnedContent(user.name, env.signal);
  const summary = { policy, ownedContent: owned };
  if (policy === 'unlicense') return unlicense(site, user, env, summary);
  if (totalOwned(owned) > 0 && (policy === 'block-if-owner' || !mapAssetsTo)) {
    const advice = policy === 'remove' ? 'configure a successor (mapAssetsTo) to move it' : 'move or delete it first, or use the remove policy with a successor';
    throw failedPrecondition(`user ${user.name} owns ${describeOwned(owned)} on site ${site.id}: ${advice}`);
  }
  const successor = totalOwned(owned) > 0 && mapAssetsTo ? await resolveSuccessor(site, user, mapAssetsTo, env) : undefined;
  return removeUser(site, user, successor, env, summary);
}

async function unlicense(site: SiteRef, user: TableauUser, env: OpEnv, summary: Record<string, unknown>): Promise<DeleteResourceResponse> {
  const metadata = metadataAnnotation({ deprovision: { ...summary, action: 'unlicensed' } });
  if (user.siteRole === 'Unlicensed') {
    env.audit.finish('unlicensed', user.siteRole, 'already unlicensed');
    return { annotations: [metadata] };
  }
  const { after, annotations } = await changeRole(env, site, user, 'Unlicensed');
  env.audit.finish('unlicensed', after);
  return { annotations: [metadata, ...annotations] };
}

/** The LUID of the user who inherits the content: a LUID or a username on the same site. */
async function resolveSuccessor(site: SiteRef, user: TableauUser, mapAssetsTo: string, env: OpEnv): Promise<TableauUser> {
  const looksLikeLuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(mapAssetsTo);
  const successor = looksLikeLuid
    ? await userOnSite(site, mapAssetsTo, env)
    : await site.client.findUserByName(mapAssetsTo, env.signal);
  if (!successor) throw failedPrecondition(`the content successor ${mapAssetsTo} is not a user of site ${site.id}`);
  if (successor.id === user.id) throw failedPrecondition(`the content successor ${mapAssetsTo} is the user being removed`);
  return successor;
}

async function removeUser(
  site: SiteRef,
  user: TableauUser,
  successor: TableauUser | undefined,
  env: OpEnv,
  summary: Record<string, unknown>,
): Promise<DeleteResourceResponse> {
  const result = { ...summary, action: 'removed', ...(successor ? { mappedTo: successor.name, mappedToId: successor.id } : {}) };
  const deleted = resourceDeleted({ resourceType: 'user', resource: user.id });
  if (env.dryRun) {
    const planned = [calls.removeUser(site.id, user.id, successor?.id)];
    env.log.info({ dryRun: true, calls: planned }, 'dry run: would remove a user');
    env.audit.finish('deleted', undefined, successor ? `content to ${successor.name}` : undefined);
    return { annotations: [dryRunAnnotation(planned, `remove ${user.name} from site ${site.id}`), metadataAnnotation({ deprovision: result })] };
  }
  const options = successor ? { mapAssetsTo: successor.id, signal: env.signal } : { signal: env.signal };
  // `removed: false` (404) means the user went away since we read it — possibly our own replayed
  // request whose first answer was lost; the Query User below is what decides.
  try {
    await site.client.removeUser(user.id, options);
  } catch (err) {
    if (err instanceof TableauError && err.code === 'CONFLICT') await failKept(site, user, env, 'it still owns content');
    throw err;
  }
  const still = await userOnSite(site, user.id, env);
  if (still) await failKept(site, user, env, `it is now ${still.siteRole}`);
  env.directory.forgetUser(user.id);
  if (successor) env.log.info({ userId: user.id, successor: successor.id, moved: summary['ownedContent'] }, 'content moved to the successor');
  env.audit.finish('deleted', 'removed', successor ? `content to ${successor.name}` : undefined);
  return { annotations: [deleted, metadataAnnotation({ deprovision: result })] };
}

async function failKept(site: SiteRef, user: TableauUser, env: OpEnv, why: string): Promise<never> {
  const now = await userOnSite(site, user.id, env);
  throw failedPrecondition(`Tableau kept user ${user.name} on site ${site.id} (${why}; role ${now?.siteRole ?? 'unknown'})`);
}
