/**
 * Who manages a user or group — `scim`, `directory` or `tableau` — and the one refusal every
 * provisioning path runs before changing what the identity provider owns.
 *
 * How `scim` is decided (pkg/tableau/scim.ts has what is read):
 * - exact: with the opt-in SCIM read for the site, a user or group the SCIM service lists (by id or
 *   name) is SCIM-managed;
 * - inference: without it, on a site whose Query Site names an `idpConfigurationIdForScim`, a user
 *   whose `idpConfigurationId` is that configuration is taken as SCIM-managed (a user added by hand but
 *   signing in through the same IdP configuration is marked too). Groups cannot be inferred: Tableau's
 *   REST group shape has no IdP attribute, so SCIM-created groups look local (one warning per site);
 * - unknown: a REST API older than 3.27 cannot show the attribute: nothing is marked (one warning).
 * Otherwise `directory` (AD/LDAP users and groups) and `tableau` (local) as before.
 */
import { toStruct } from '../../proto/index.js';
import type { Any } from '../../proto/types.js';
import { groupManagement, type SiteClient, type TableauClient, type TableauGroup, type TableauSite, type TableauUser } from '../tableau/index.js';
import { ScimReader, siteScimAttributes, type ScimDirectory, type ScimSettings } from '../tableau/scim.js';
import { ConnectorError, failedPrecondition } from './errors.js';
import { annotation } from './resource-types.js';
import type { CallCtx } from './types.js';
import { warnOnce } from './warnings.js';

type ManagedBy = 'scim' | 'directory' | 'tableau';

/** A site's SCIM state: how `scim` is decided there (see the module comment). */
export interface SiteScim {
  mode: 'exact' | 'inference' | 'unknown' | 'off';
  idpConfigurationId?: string;
  directory?: ScimDirectory;
}

const OFF: SiteScim = { mode: 'off' };

/** Profile keys of a user or group: `managed_by`, and the IdP configuration when SCIM manages it. */
export interface Management {
  managed_by: ManagedBy;
  scim_idp_configuration_id?: string;
}

/** What decides whether SCIM manages a user: the profile's TableauUser, or a compact users page entry. */
export interface ScimUserKey {
  id: string;
  /** The sign-in name: needed only in exact mode (the SCIM service is matched by id or name). */
  name?: string | undefined;
  idpConfigurationId?: string | undefined;
}

/** Whether SCIM manages the user on a site in this state (the one test, see the module comment). */
function scimManagesUser(user: ScimUserKey, scim: SiteScim): boolean {
  const dir = scim.directory;
  if (dir) return dir.userIds.has(user.id.toLowerCase()) || (user.name !== undefined && dir.userNames.has(user.name.toLowerCase()));
  return scim.mode === 'inference' && user.idpConfigurationId !== undefined && user.idpConfigurationId === scim.idpConfigurationId;
}

/** The one decision for users. */
export function userManagement(user: TableauUser, scim: SiteScim = OFF): Management {
  if (scimManagesUser(user, scim)) return scimManaged(scim);
  const domain = user.domainName ?? 'local';
  // TABID_* are Tableau Cloud's own identity domains, not a directory.
  const directory = domain.toLowerCase() !== 'local' && !domain.toUpperCase().startsWith('TABID');
  return { managed_by: directory ? 'directory' : 'tableau' };
}

/** The one decision for groups (directory/tableau from groupManagement). */
export function groupManagedBy(group: TableauGroup, scim: SiteScim = OFF): Management {
  const dir = scim.directory;
  if (dir && (dir.groupIds.has(group.id.toLowerCase()) || dir.groupNames.has(group.name.toLowerCase()))) return scimManaged(scim);
  return { managed_by: groupManagement(group).managedBy };
}

function scimManaged(scim: SiteScim): Management {
  return scim.idpConfigurationId === undefined ? { managed_by: 'scim' } : { managed_by: 'scim', scim_idp_configuration_id: scim.idpConfigurationId };
}

/** GrantImmutable (source: the IdP configuration) for grants of a SCIM-managed resource's profile. */
export function scimImmutable(profile: Record<string, unknown>): Any[] | undefined {
  if (profile['managed_by'] !== 'scim') return undefined;
  return immutableFrom(typeof profile['scim_idp_configuration_id'] === 'string' ? profile['scim_idp_configuration_id'] : undefined);
}

function immutableFrom(idpConfigurationId: string | undefined): Any[] {
  return [annotation('GrantImmutable', { sourceId: idpConfigurationId ?? 'scim', metadata: toStruct({ managed_by: 'scim' }) })];
}

/**
 * For the grants of a site's users (site role, license tier): GrantImmutable of a SCIM-managed user,
 * or undefined when the site has nothing to test (SCIM off or undeterminable: no per-user work).
 */
export function scimUserGrants(scim: SiteScim | undefined): ((user: ScimUserKey) => Any[] | undefined) | undefined {
  if (scim === undefined || (scim.mode !== 'inference' && scim.mode !== 'exact')) return undefined;
  const immutable = immutableFrom(scim.idpConfigurationId);
  return (user) => (scimManagesUser(user, scim) ? immutable : undefined);
}

/** A site as the lookup needs it (sync's SiteRef and provisioning's both fit). */
interface ScimSite {
  id: string;
  contentUrl: string;
  client: SiteClient;
}

/** Keeps this many sites' SCIM states (the latest sync's, or for a minute in provisioning). */
const CACHE_LIMIT = 256;
const STATE_TTL_MS = 60_000;

/** Each site's SCIM state, read once per sync (or per minute) and shared by concurrent callers. */
export class ScimLookup {
  private readonly reader: ScimReader | undefined;
  private readonly cache = new Map<string, { at: number; syncId: string; state: Promise<SiteScim> }>();

  constructor(private readonly client: TableauClient, settings: ScimSettings | undefined) {
    this.reader = settings && new ScimReader(settings);
  }

  /** Whether the sync reads this site's SCIM service (exact mode matches names: users pages keep them). */
  readsSite(siteId: string): boolean {
    return this.reader?.servesSite(siteId) === true;
  }

  /** The site's state; `details` is Query Site (the sync's memoised one, or a fresh read). */
  forSite(site: ScimSite, details: () => Promise<TableauSite>, ctx: CallCtx, forSync = true): Promise<SiteScim> {
    // One entry per site and side: a new sync replaces the last one's state (an exact-mode state holds
    // the site's whole SCIM directory, so states of finished syncs must not pile up in a long-lived serve).
    const key = `${forSync ? 'sync' : 'provisioning'}|${site.id}`;
    const hit = this.cache.get(key);
    // Within a sync the state holds for the sync; without a sync id (and in provisioning) for a minute.
    const fresh = ctx.syncId !== '' ? hit?.syncId === ctx.syncId : hit?.syncId === '' && Date.now() - hit.at < STATE_TTL_MS;
    if (hit && fresh) return hit.state;
    const state = this.read(site, details, ctx, forSync);
    state.catch(() => {
      if (this.cache.get(key)?.state === state) this.cache.delete(key);
    });
    this.cache.delete(key);
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { at: Date.now(), syncId: ctx.syncId, state });
    return state;
  }

  /** The site's state for a provisioning request (Query Site read here). */
  forProvisioning(site: ScimSite, ctx: CallCtx): Promise<SiteScim> {
    return this.forSite(site, () => site.client.getSite({ signal: ctx.signal }), { ...ctx, syncId: '' }, false);
  }

  /** Whether SCIM holds this user or group, asked by name (provisioning's exact check). */
  async holds(site: { id: string }, subject: ScimSubject, signal: AbortSignal): Promise<boolean | undefined> {
    if (!this.reader?.servesSite(site.id)) return undefined;
    return 'user' in subject ? this.reader.hasUser(subject.user.name, signal) : this.reader.hasGroup(subject.group.name, signal);
  }

  /** Reads the site's state; the sync's warnings are not repeated by provisioning requests. */
  private async read(site: ScimSite, details: () => Promise<TableauSite>, ctx: CallCtx, forSync: boolean): Promise<SiteScim> {
    const attrs = siteScimAttributes(await details(), await this.client.apiVersion(ctx.signal));
    const idp = attrs.idpConfigurationId === undefined ? {} : { idpConfigurationId: attrs.idpConfigurationId };
    const where = `site "${site.contentUrl}" (${site.id})`;
    // Provisioning asks SCIM about the one user or group it changes (ScimLookup.holds), not for all of them.
    if (forSync && this.reader?.servesSite(site.id)) {
      try {
        return { mode: 'exact', ...idp, directory: await this.reader.directory(ctx.signal) };
      } catch (err) {
        warnOnce(ctx, `the SCIM read of ${where} failed (${(err as Error).message}): users and groups are marked by inference`, `scim-read ${site.id}`);
      }
    }
    if (!attrs.known) {
      if (forSync) warnOnce(ctx, `SCIM cannot be determined on ${where}: its REST API is older than 3.27 (no SCIM site attributes), so nothing is marked as SCIM-managed`, `scim-unknown ${site.id}`);
      return { mode: 'unknown' };
    }
    if (!attrs.enabled) return OFF;
    if (forSync) {
      warnOnce(ctx, `SCIM is enabled on ${where} (IdP configuration ${attrs.idpConfigurationId ?? '?'}): users are marked from their IdP configuration; SCIM-managed groups cannot be told from local groups without the SCIM read (--scim-base-url, --scim-token)`, `scim-inference ${site.id}`);
    }
    return { mode: 'inference', ...idp };
  }
}

/** What a provisioning request would change. */
export type ScimSubject = { user: TableauUser } | { group: TableauGroup };

/** The lookup provisioning asks, and whether `--scim-override` lets changes through anyway. */
export interface ScimGuard {
  lookup: ScimLookup;
  override: boolean;
}

/** What the refusal needs from a provisioning request's environment. */
export interface ScimGuardEnv {
  scim?: ScimGuard | undefined;
  audit: { override?: string | undefined };
  log: CallCtx['log'];
  signal: AbortSignal;
}

/**
 * The one refusal check of every provisioning path: FAILED_PRECONDITION naming the IdP configuration
 * when the user or group is SCIM-managed (the IdP would undo the change, and Tableau says to make it
 * there), unless `--scim-override`, which proceeds and records the override in the audit line.
 */
export async function refuseScimManaged(
  env: ScimGuardEnv,
  site: ScimSite,
  subject: ScimSubject,
  change: string,
): Promise<void> {
  if (!env.scim) return;
  const ctx = { signal: env.signal, log: env.log, syncId: '' };
  const state = await env.scim.lookup.forProvisioning(site, ctx);
  let held: boolean | undefined;
  try {
    held = await env.scim.lookup.holds(site, subject, env.signal);
  } catch (err) {
    throw new ConnectorError('UNAVAILABLE', `cannot tell whether SCIM manages this ${'user' in subject ? 'user' : 'group'}: ${(err as Error).message}`, { cause: err });
  }
  const managed = held ?? ('user' in subject ? userManagement(subject.user, state) : groupManagedBy(subject.group, state)).managed_by === 'scim';
  if (!managed) return;
  const what = 'user' in subject ? `user ${subject.user.name}` : `group ${subject.group.name}`;
  const idp = state.idpConfigurationId === undefined ? 'the site\'s SCIM identity provider' : `identity provider configuration ${state.idpConfigurationId}`;
  if (env.scim.override) {
    env.audit.override = `scim: ${what} is managed by ${idp}; ${change} changed anyway (--scim-override)`;
    env.log.warn({ site: site.id }, `changing the ${change} of SCIM-managed ${what} (--scim-override)`);
    return;
  }
  throw failedPrecondition(
    `${what} is managed by SCIM through ${idp} on site ${site.id}: change its ${change} in the identity provider (a change made in Tableau would be undone); --scim-override forces it`,
  );
}

/** The sync's SCIM state of a site (Query Site memoised per sync); undefined without a lookup. */
export function syncScimOf(
  lookup: ScimLookup | undefined,
  sites: { details(site: ScimSite, ctx: CallCtx): Promise<TableauSite> },
  site: ScimSite,
  ctx: CallCtx,
): Promise<SiteScim | undefined> {
  return lookup ? lookup.forSite(site, () => sites.details(site, ctx), ctx) : Promise.resolve(undefined);
}
