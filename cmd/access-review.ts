/**
 * The access-review table of a c1z: one row per user and site with role, license tier, status, last
 * login and groups. Sites, users and groups are held in maps; grants stream through once.
 */
import type { C1zReader } from '../pkg/c1z/index.js';
import { decode, findAnnotation, fromStruct } from '../proto/index.js';
import type { Resource } from '../proto/types.js';

/** One row of the access review. */
export interface AccessRow {
  user: string;
  email: string;
  fullName: string;
  site: string;
  siteRole: string;
  licenseTier: string;
  status: 'enabled' | 'disabled' | 'deleted' | 'unknown';
  lastLogin: string;
  groups: string[];
  userId: string;
  siteId: string;
}

/** Column headers of the CSV, in row order (see {@link rowCells}). */
export const ACCESS_COLUMNS = [
  'user', 'email', 'full_name', 'site', 'site_role', 'license_tier', 'status', 'last_login', 'groups', 'user_id', 'site_id',
] as const;

export function rowCells(row: AccessRow): string[] {
  const { user, email, fullName, site, siteRole, licenseTier, status, lastLogin, groups, userId, siteId } = row;
  return [user, email, fullName, site, siteRole, licenseTier, status, lastLogin, groups.join(';'), userId, siteId];
}

/** A group and how many users of the review are in it. */
interface GroupCount {
  name: string;
  site: string;
  members: number;
}

/** The whole review: rows sorted by site then user, plus the groups for the summary. */
export interface AccessReview {
  rows: AccessRow[];
  groups: GroupCount[];
}

interface UserTraitView {
  status?: { status?: number };
  lastLogin?: { seconds?: number; nanos?: number };
  login?: string;
}

/** UserTrait.Status.status: 1 enabled, 2 disabled, 3 deleted. */
const USER_STATUS: Record<number, AccessRow['status']> = { 1: 'enabled', 2: 'disabled', 3: 'deleted' };

function userRow(resource: Resource, siteNames: Map<string, string>): AccessRow {
  const profile = fromStruct(resource.profile);
  const trait = findAnnotation<UserTraitView>(resource.annotations, 'c1.connector.v2.UserTrait');
  const text = (key: string): string => (typeof profile[key] === 'string' ? (profile[key] as string) : '');
  const siteId = resource.parentResourceId?.resource ?? text('site_id');
  const seconds = trait?.lastLogin?.seconds;
  return {
    user: text('username') || trait?.login || text('login'),
    email: text('email'),
    fullName: text('full_name') || (resource.displayName ?? ''),
    site: siteNames.get(siteId) ?? siteId,
    siteRole: text('site_role'),
    licenseTier: text('license_tier'),
    status: USER_STATUS[trait?.status?.status ?? 0] ?? 'unknown',
    lastLogin: text('last_login') || (seconds ? new Date(seconds * 1000).toISOString() : ''),
    groups: [],
    userId: resource.id?.resource ?? '',
    siteId,
  };
}

function readResources(reader: C1zReader): { users: Map<string, AccessRow>; groups: Map<string, GroupCount> } {
  const siteNames = new Map<string, string>();
  const groupResources: Resource[] = [];
  const userResources: Resource[] = [];
  for (const record of reader.resources()) {
    if (!['site', 'group', 'user'].includes(record.resourceTypeId)) continue;
    const resource = decode<Resource>('c1.connector.v2.Resource', record.data);
    const id = resource.id?.resource ?? '';
    if (record.resourceTypeId === 'site') siteNames.set(id, resource.displayName || id);
    else if (record.resourceTypeId === 'group') groupResources.push(resource);
    else userResources.push(resource);
  }
  const users = new Map(userResources.map((r) => [r.id?.resource ?? '', userRow(r, siteNames)]));
  const groups = new Map(
    groupResources.map((r) => {
      const siteId = r.parentResourceId?.resource ?? '';
      const name = r.displayName || (r.id?.resource ?? '');
      return [r.id?.resource ?? '', { name, site: siteNames.get(siteId) ?? siteId, members: 0 }] as const;
    }),
  );
  return { users, groups };
}

/** Fills groups (and role/tier when a profile lacked them) from the grants to users. */
function applyGrants(reader: C1zReader, users: Map<string, AccessRow>, groups: Map<string, GroupCount>): void {
  for (const grant of reader.grants()) {
    if (grant.principalResourceTypeId !== 'user') continue;
    const row = users.get(grant.principalResourceId);
    if (!row) continue;
    // Entitlement ids are `<type>:<resource>:<slug>` raw joins; Tableau LUIDs hold no ':'.
    const slug = grant.entitlementId.split(':').slice(2).join(':');
    if (grant.resourceTypeId === 'group') {
      const group = groups.get(grant.resourceId);
      row.groups.push(group?.name ?? grant.resourceId);
      if (group) group.members++;
    } else if (grant.resourceTypeId === 'site' && row.siteRole === '') row.siteRole = slug;
    else if (grant.resourceTypeId === 'license' && row.licenseTier === '') row.licenseTier = grant.resourceId;
  }
}

/** Builds the review of the latest sync in `reader`. */
export function buildAccessReview(reader: C1zReader): AccessReview {
  const { users, groups } = readResources(reader);
  applyGrants(reader, users, groups);
  const rows = [...users.values()];
  for (const row of rows) row.groups.sort((a, b) => a.localeCompare(b));
  rows.sort((a, b) => a.site.localeCompare(b.site) || a.user.localeCompare(b.user) || a.userId.localeCompare(b.userId));
  return { rows, groups: [...groups.values()] };
}
