/**
 * The identity pools of the server (Tableau Server 2023.1+, REST API 3.19): pools, identity stores and
 * authentication configurations from the authn service, read once per sync through any synced site
 * (pools are server-wide). Where Tableau has no pools to show — Tableau Cloud, a server older than
 * 3.19, credentials that are not a server administrator's — the answer is "none", with one counted
 * warning that says why; the rest of the sync goes on.
 */
import { TableauError, type AuthConfiguration, type IdentityPool, type IdentityStore } from '../../tableau/index.js';
import type { SiteLookup, SiteRef } from '../sites.js';
import type { CallCtx } from '../types.js';
import { warnOnce } from '../warnings.js';

/** One pool with its store and authentication configuration, as far as Tableau showed them. */
export interface PoolFacts {
  pool: IdentityPool;
  store?: IdentityStore;
  auth?: AuthConfiguration;
}

/** Syncs whose pools are kept (a sync reads them once; older syncs' entries are dropped). */
const KEPT_SYNCS = 4;

/** Why Tableau shows no pools, for the warning; undefined when the failure is not one of those. */
function unavailableReason(err: unknown): string | undefined {
  if (!(err instanceof TableauError)) return undefined;
  if (err.code === 'VERSION_UNSUPPORTED') return err.message;
  if (err.code === 'NOT_FOUND') return 'Tableau has no identity-pool service here (Tableau Cloud, or a server without identity pools)';
  if (err.code === 'FORBIDDEN' || err.code === 'UNAUTHORIZED') {
    return 'only a server administrator can read identity pools, and these credentials are not a server administrator\'s';
  }
  return undefined;
}

export class PoolDirectory {
  private readonly bySync = new Map<string, Promise<PoolFacts[] | undefined>>();

  constructor(private readonly sites: SiteLookup) {}

  /** The pools (undefined when Tableau shows none, after warning once why). Cached per sync id. */
  pools(ctx: CallCtx): Promise<PoolFacts[] | undefined> {
    if (ctx.syncId === '') return this.read(ctx);
    let pending = this.bySync.get(ctx.syncId);
    if (pending === undefined) {
      pending = this.read(ctx);
      this.bySync.set(ctx.syncId, pending);
      pending.catch(() => this.bySync.delete(ctx.syncId));
      while (this.bySync.size > KEPT_SYNCS) this.bySync.delete(this.bySync.keys().next().value as string);
    }
    return pending;
  }

  private async read(ctx: CallCtx): Promise<PoolFacts[] | undefined> {
    const site = (await this.sites.list(ctx))[0];
    if (site === undefined) return undefined;
    try {
      return await readPools(site, ctx);
    } catch (err) {
      const reason = unavailableReason(err);
      if (reason === undefined) throw err;
      warnOnce(ctx, `identity pools are not synced: ${reason}`, 'identity pools unavailable');
      return undefined;
    }
  }
}

/**
 * Pools first (they decide whether there is anything to show), then stores and configurations; when
 * only those details are withheld, the pools are still synced without them (one warning).
 */
async function readPools(site: SiteRef, ctx: CallCtx): Promise<PoolFacts[]> {
  const pools = await site.client.listIdentityPools(ctx.signal);
  if (pools.length === 0) return [];
  const details = <T>(read: Promise<T[]>, what: string): Promise<T[]> =>
    read.catch((err: unknown) => {
      const reason = unavailableReason(err);
      if (reason === undefined) throw err;
      warnOnce(ctx, `identity pools are synced without their ${what}: ${reason}`, `identity pool ${what}`);
      return [];
    });
  const [stores, auths] = await Promise.all([
    details(site.client.listIdentityStores(ctx.signal), 'identity stores'),
    details(site.client.listAuthConfigurations(ctx.signal), 'authentication configurations'),
  ]);
  return pools.map((pool) => {
    const facts: PoolFacts = { pool };
    const store = stores.find((s) => s.id === pool.storeId);
    const auth = auths.find((a) => a.id === pool.authConfigId);
    if (store) facts.store = store;
    if (auth) facts.auth = auth;
    return facts;
  });
}
