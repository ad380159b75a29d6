/** Users of one site: listing, lookup, add (idempotent on conflict), update, remove, groups of a user. */
import { single, toGroup, toUser } from './normalize.js';
import { filterTerm, unless, type PageOptions, type SiteRequester } from './site-request.js';
import type { TableauGroup, TableauPage, TableauUser } from './types.js';

/** Tableau: a second add of the same user answers 409000 or 409017 (seen in practice). */
const USER_EXISTS = new Set(['409000', '409017']);

export class UserEndpoints {
  constructor(private readonly req: SiteRequester) {}

  listUsers(opts: PageOptions = {}): Promise<TableauPage<TableauUser>> {
    // Tableau: the default field set can omit email/fullName; _all_ is what TSC asks for too.
    const fields = opts.fields ?? '_all_';
    return this.req.page({ method: 'GET', path: '/users', route: '/users' }, { ...opts, fields }, 'users', 'user', toUser);
  }

  userPages(opts: PageOptions = {}): AsyncGenerator<TableauPage<TableauUser>> {
    return this.req.drain('users', (user) => user.id, opts, (page) => this.listUsers(page));
  }

  getUser(userId: string, signal?: AbortSignal): Promise<TableauUser> {
    const call = { method: 'GET' as const, path: `/users/${encodeURIComponent(userId)}`, route: '/users/{}', signal };
    return this.req.convert(call, (body) => toUser(single(body, 'user')));
  }

  /** Case-insensitive exact match on the sign-in name (`filter=name:cieq:…`); BAD_REQUEST for a name a filter cannot carry. */
  async findUserByName(name: string, signal?: AbortSignal): Promise<TableauUser | undefined> {
    const page = await this.listUsers({ filter: filterTerm('name', 'cieq', name), pageSize: 100, signal });
    const wanted = name.toLowerCase();
    return page.items.find((user) => user.name.toLowerCase() === wanted);
  }

  async addUser(
    input: { name: string; siteRole: string; authSetting?: string; idpConfigurationId?: string },
    signal?: AbortSignal,
  ): Promise<{ user: TableauUser; created: boolean }> {
    const body = { user: { name: input.name, siteRole: input.siteRole, authSetting: input.authSetting, idpConfigurationId: input.idpConfigurationId } };
    try {
      const call = { method: 'POST' as const, path: '/users', route: '/users', body, replayWithCheck: true, signal };
      return { user: await this.req.convert(call, (tree) => toUser(single(tree, 'user'))), created: true };
    } catch (err) {
      const conflict = unless(err, (e) => e.tableauCode !== undefined && USER_EXISTS.has(e.tableauCode), (e) => e);
      const existing = await this.findUserByName(input.name, signal);
      if (!existing) throw conflict;
      // After a lost response the conflict is most likely our own first attempt having succeeded.
      return { user: existing, created: conflict.afterLostResponse === true };
    }
  }

  /** Returns what Tableau answered: the resulting role may differ from the requested one. */
  async updateUser(
    userId: string,
    patch: { siteRole?: string; fullName?: string; email?: string; authSetting?: string },
    signal?: AbortSignal,
  ): Promise<TableauUser> {
    const call = { method: 'PUT' as const, path: `/users/${encodeURIComponent(userId)}`, route: '/users/{}', body: { user: { ...patch } }, signal };
    const answered = await this.req.convert(call, (tree) => {
      // Tableau: the Update User response has no id attribute.
      const node: Record<string, unknown> = { id: userId, ...single(tree, 'user') };
      return node['name'] === undefined ? undefined : toUser(node);
    });
    // A server that answers without the name: read the user back (its role is then the one Tableau holds).
    return answered ?? this.getUser(userId, signal);
  }

  async removeUser(userId: string, opts: { mapAssetsTo?: string; signal?: AbortSignal } = {}): Promise<{ removed: boolean }> {
    const call = {
      method: 'DELETE' as const, path: `/users/${encodeURIComponent(userId)}`, route: '/users/{}',
      query: { mapAssetsTo: opts.mapAssetsTo }, expect: 'none' as const, signal: opts.signal,
    };
    try {
      await this.req.run(call);
      return { removed: true };
    } catch (err) {
      // 409 (user owns content, kept as Unlicensed) propagates as CONFLICT.
      return unless(err, (e) => e.code === 'NOT_FOUND', (e) => ({ removed: e.afterLostResponse === true }));
    }
  }

  groupsForUser(userId: string, opts: PageOptions = {}): Promise<TableauPage<TableauGroup>> {
    const call = { method: 'GET' as const, path: `/users/${encodeURIComponent(userId)}/groups`, route: '/users/{}/groups', feature: 'groupsForUser' as const };
    return this.req.page(call, opts, 'groups', 'group', toGroup);
  }
}
