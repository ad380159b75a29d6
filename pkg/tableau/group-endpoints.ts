/** Groups of one site: listing, members, single and bulk membership changes, create/delete. */
import { listOf, single, toGroup, toUser } from './normalize.js';
import { unless, type PageOptions, type SiteRequester } from './site-request.js';
import type { TableauGroup, TableauPage, TableauUser } from './types.js';

const groupPath = (groupId: string): string => `/groups/${encodeURIComponent(groupId)}`;

function memberBody(userIds: string[]): { users: { user: { id: string }[] } } {
  return { users: { user: userIds.map((id) => ({ id })) } };
}

/**
 * The bulk membership calls speak XML whatever the client's format: Tableau documents them in XML only,
 * and no JSON request or response of theirs could be found (pkg/tableau-sim/README.md, JSON details).
 */
const BULK_FORMAT = 'xml' as const;

export class GroupEndpoints {
  constructor(private readonly req: SiteRequester) {}

  listGroups(opts: PageOptions = {}): Promise<TableauPage<TableauGroup>> {
    return this.req.page({ method: 'GET', path: '/groups', route: '/groups' }, opts, 'groups', 'group', toGroup);
  }

  groupPages(opts: PageOptions = {}): AsyncGenerator<TableauPage<TableauGroup>> {
    return this.req.drain('groups', (group) => group.id, opts, (page) => this.listGroups(page));
  }

  listGroupUsers(groupId: string, opts: PageOptions = {}): Promise<TableauPage<TableauUser>> {
    const call = { method: 'GET' as const, path: `${groupPath(groupId)}/users`, route: '/groups/{}/users' };
    return this.req.page(call, opts, 'users', 'user', toUser);
  }

  groupUserPages(groupId: string, opts: PageOptions = {}): AsyncGenerator<TableauPage<TableauUser>> {
    return this.req.drain(`members of group ${groupId}`, (user) => user.id, opts, (page) => this.listGroupUsers(groupId, page));
  }

  /** 409011 (already a member) counts as success: `added` false unless our lost first attempt did it. */
  async addUserToGroup(groupId: string, userId: string, signal?: AbortSignal): Promise<{ added: boolean }> {
    const call = { method: 'POST' as const, path: `${groupPath(groupId)}/users`, route: '/groups/{}/users', body: { user: { id: userId } }, replayWithCheck: true, signal };
    try {
      await this.req.run(call);
      return { added: true };
    } catch (err) {
      return unless(err, (e) => e.tableauCode === '409011', (e) => ({ added: e.afterLostResponse === true }));
    }
  }

  async removeUserFromGroup(groupId: string, userId: string, signal?: AbortSignal): Promise<{ removed: boolean }> {
    const call = {
      method: 'DELETE' as const, path: `${groupPath(groupId)}/users/${encodeURIComponent(userId)}`, route: '/groups/{}/users/{}',
      expect: 'none' as const, signal,
    };
    try {
      await this.req.run(call);
      return { removed: true };
    } catch (err) {
      return unless(err, (e) => e.code === 'NOT_FOUND', (e) => ({ removed: e.afterLostResponse === true }));
    }
  }

  /** Bulk add (REST API 3.21+); returns the users Tableau reports as members. */
  addUsersToGroup(groupId: string, userIds: string[], signal?: AbortSignal): Promise<TableauUser[]> {
    const call = {
      method: 'POST' as const, path: `${groupPath(groupId)}/users`, route: '/groups/{}/users', body: memberBody(userIds),
      replayWithCheck: true, feature: 'bulkGroupMembership' as const, format: BULK_FORMAT, signal,
    };
    return this.req.convert(call, (body) => listOf(body['users'], 'user').map(toUser));
  }

  /** Bulk remove (REST API 3.21+): a PUT to `…/users/remove`, idempotent. */
  async removeUsersFromGroup(groupId: string, userIds: string[], signal?: AbortSignal): Promise<void> {
    await this.req.run({
      method: 'PUT', path: `${groupPath(groupId)}/users/remove`, route: '/groups/{}/users/remove', body: memberBody(userIds),
      expect: 'none', feature: 'bulkGroupMembership', format: BULK_FORMAT, signal,
    });
  }

  /** 409009 (name taken) → the existing group, `created` false. */
  async createGroup(input: { name: string; minimumSiteRole?: string }, signal?: AbortSignal): Promise<{ group: TableauGroup; created: boolean }> {
    const body = { group: { name: input.name, minimumSiteRole: input.minimumSiteRole } };
    try {
      const call = { method: 'POST' as const, path: '/groups', route: '/groups', body, replayWithCheck: true, signal };
      return { group: await this.req.convert(call, (tree) => toGroup(single(tree, 'group'))), created: true };
    } catch (err) {
      const conflict = unless(err, (e) => e.code === 'CONFLICT', (e) => e);
      const page = await this.listGroups({ filter: `name:eq:${input.name}`, signal });
      const existing = page.items.find((group) => group.name === input.name);
      if (!existing) throw conflict;
      return { group: existing, created: conflict.afterLostResponse === true };
    }
  }

  async deleteGroup(groupId: string, signal?: AbortSignal): Promise<{ deleted: boolean }> {
    try {
      await this.req.run({ method: 'DELETE', path: groupPath(groupId), route: '/groups/{}', expect: 'none', signal });
      return { deleted: true };
    } catch (err) {
      return unless(err, (e) => e.code === 'NOT_FOUND', (e) => ({ deleted: e.afterLostResponse === true }));
    }
  }
}
