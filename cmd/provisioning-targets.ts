/**
 * The messages of the one-shot provisioning modes, built from the ids on the command line by reading
 * live Tableau through the connector itself (GetResource, ListEntitlements): the entitlement, principal
 * and grant a request carries are the very messages a sync emits. The Baton SDK looks these ids up in
 * the c1z instead; reading Tableau needs no earlier sync and never acts on stale data.
 */
import type { ProvisioningAction } from '../pkg/config/config.js';
import type { ConnectorApi } from '../pkg/connector/api.js';
import { ConnectorError, invalidArgument, notFound } from '../pkg/connector/errors.js';
import { splitEntitlementId, splitGrantId } from '../pkg/connector/ids.js';
import type { CallCtx } from '../pkg/connector/types.js';
import { toStruct } from '../proto/index.js';
import type * as pb from '../proto/types.js';

/** Entitlement pages read while looking for one id (site roles page along with the site's users). */
const MAX_ENTITLEMENT_PAGES = 50;

/** A resource by type and id, as GetResource returns it (NOT_FOUND when Tableau does not have it). */
export async function resourceById(api: ConnectorApi, resourceType: string, resource: string, ctx: CallCtx): Promise<pb.Resource> {
  const found = await api.getResource({ resourceId: { resourceType, resource } }, ctx);
  if (!found.resource) throw notFound(`${resourceType} ${resource} not found`);
  return found.resource;
}

/** The entitlement `<type>:<resource id>:<slug>` as ListEntitlements returns it for its resource. */
export async function entitlementById(api: ConnectorApi, id: string, ctx: CallCtx): Promise<pb.Entitlement> {
  const parts = splitEntitlementId(id);
  if (!parts) throw invalidArgument(`entitlement id "${id}" is not of the form <type>:<resource id>:<slug>`);
  const resource = await resourceById(api, parts.type, parts.resource, ctx);
  let pageToken = '';
  for (let page = 0; page < MAX_ENTITLEMENT_PAGES; page++) {
    const res = await api.listEntitlements({ resource, pageToken }, ctx);
    const match = (res.list ?? []).find((e) => e.id === id);
    if (match) return match;
    if (!res.nextPageToken) break;
    pageToken = res.nextPageToken;
  }
  throw notFound(`${parts.type} ${parts.resource} has no entitlement "${parts.slug}"`);
}

/**
 * The grant `<entitlement id>:<principal type>:<principal id>`. A principal Tableau no longer knows
 * stays a bare id, so that revoking what is already gone can still answer "already revoked".
 */
export async function grantById(api: ConnectorApi, grantId: string, ctx: CallCtx): Promise<pb.Grant> {
  const parts = splitGrantId(grantId);
  if (!parts) throw invalidArgument(`grant id "${grantId}" is not of the form <entitlement id>:<principal type>:<principal id>`);
  const entitlement = await entitlementById(api, parts.entitlementId, ctx);
  const { principalType, principalId } = parts;
  const principal = await resourceById(api, principalType, principalId, ctx).catch((err: unknown) => {
    if (err instanceof ConnectorError && err.status === 'NOT_FOUND') return { id: { resourceType: principalType, resource: principalId } };
    throw err;
  });
  return { id: grantId, entitlement, principal };
}

/**
 * CreateAccount as the Baton SDK's one-shot mode builds it: login and email copied into the profile
 * (profile keys given explicitly win), the email also as the primary address. Tableau accounts have
 * no password, so the only credential option is NO_PASSWORD.
 */
export function createAccountRequest(action: Extract<ProvisioningAction, { kind: 'create-account' }>): pb.CreateAccountRequest {
  const profile = { login: action.login, email: action.email, ...action.profile };
  return {
    accountInfo: { login: action.login, emails: [{ address: action.email, isPrimary: true }], profile: toStruct(profile) },
    credentialOptions: { noPassword: {} },
    resourceTypeId: 'user',
  };
}
