/**
 * Site roles: which license seat each consumes and how they rank, for seat capacity and for
 * grant-license-on-sign-in ("the user gets the highest of its roles").
 */

/** Roles Tableau accepts in Add User / Update User (ServerAdministrator and Guest are refused separately). */
export const SETTABLE_ROLES: ReadonlySet<string> = new Set([
  'Creator', 'Explorer', 'ExplorerCanPublish', 'SiteAdministratorCreator', 'SiteAdministratorExplorer',
  'Unlicensed', 'Viewer', 'ReadOnly',
]);

/** The license seat a role consumes. */
export type Seat = 'Creator' | 'Explorer' | 'Viewer' | null;

const SEAT_OF: Record<string, Seat> = {
  ServerAdministrator: 'Creator', SiteAdministratorCreator: 'Creator', Creator: 'Creator',
  SiteAdministratorExplorer: 'Explorer', ExplorerCanPublish: 'Explorer', Explorer: 'Explorer',
  Interactor: 'Explorer', Publisher: 'Explorer', SiteAdministrator: 'Explorer',
  Viewer: 'Viewer', ViewerWithPublish: 'Viewer', SupportUser: 'Viewer', Guest: null,
  Unlicensed: null, UnlicensedWithPublish: null, ReadOnly: null,
};

/** The license seat a role consumes (null: none). */
export function seatOf(role: string): Seat {
  return SEAT_OF[role] ?? null;
}

// Seat first, then admin/publish rights, so that "max" picks the more permissive role.
const RANK: Record<string, number> = {
  Unlicensed: 0, UnlicensedWithPublish: 1, ReadOnly: 2, Guest: 3,
  Viewer: 10, ViewerWithPublish: 11, SupportUser: 10,
  Explorer: 20, Interactor: 20, ExplorerCanPublish: 21, Publisher: 21,
  SiteAdministratorExplorer: 22, SiteAdministrator: 22,
  Creator: 30, SiteAdministratorCreator: 31, ServerAdministrator: 40,
};

function roleRank(role: string): number {
  return RANK[role] ?? 0;
}

/** The more permissive of two roles. */
export function maxRole(a: string, b: string): string {
  return roleRank(b) > roleRank(a) ? b : a;
}

/** Roles that may call write endpoints and list all users. */
export function isAdminRole(role: string): boolean {
  return role === 'ServerAdministrator' || role === 'SiteAdministratorCreator'
    || role === 'SiteAdministratorExplorer' || role === 'SiteAdministrator';
}
