/** Small exact scenarios for the simulator (deterministic ids, one server administrator per site). */
import type { ScenarioData, ScenarioGroup, ScenarioSite, ScenarioUser } from '../../pkg/tableau-sim/index.js';
import type { TableauClientOptions } from '../../pkg/tableau/index.js';

export function luid(kind: number, n: number): string {
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export const ADMIN = 'admin@example.com';

/** A site with the admin plus `extraUsers` users named user00001…, and optional groups/memberships. */
export function site(index: number, contentUrl: string, extraUsers: number, more: Partial<ScenarioSite> = {}): ScenarioSite {
  const users: ScenarioUser[] = [{ id: luid(index * 16 + 1, 0), name: ADMIN, siteRole: 'ServerAdministrator' }];
  for (let i = 1; i <= extraUsers; i++) {
    users.push({ id: luid(index * 16 + 1, i), name: `user${String(i).padStart(5, '0')}@example.com`, siteRole: i % 3 === 0 ? 'Viewer' : 'Explorer' });
  }
  return { id: luid(index * 16, 0), contentUrl, name: contentUrl || 'Default', users, groups: [], memberships: [], ...more };
}

export function group(index: number, n: number, name: string, extra: Partial<ScenarioGroup> = {}): ScenarioGroup {
  return { id: luid(index * 16 + 2, n), name, ...extra };
}

export function scenario(...sites: ScenarioSite[]): ScenarioData {
  return { sites, credentials: { adminUsername: ADMIN, adminPassword: 'admin-password-42', patSecret: 'pat-secret-xyz' } };
}

/** Fast retries for tests (the simulator's 429 asks for 1 s, which still applies). */
export const FAST_RETRY: TableauClientOptions['retry'] = { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50, budgetMs: 60_000 };
