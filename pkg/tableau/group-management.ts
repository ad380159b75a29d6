/**
 * Who manages a group, read the same way from every shape Tableau sends it in:
 * - `<group minimumSiteRole><domain name/><import source domainName siteRole grantLicenseMode/></group>` (current);
 * - `<group><import domainName siteRole grantLicenseMode/></group>`, with no `<domain>` (AD/LDAP imports);
 * - `<group siteRole|minimumSiteRole grantLicenseMode><domain name/></group>` (older versions).
 * toGroup (normalize.ts) folds these into one TableauGroup; the sync's group profile and
 * provisioning's refusal to edit a directory-managed group both read it through {@link groupManagement}.
 */
import type { TableauGroup } from './types.js';

/** How a group's membership and license rules are managed. */
export interface GroupManagement {
  /** `tableau` (a local group, edited in Tableau) or `directory` (AD/LDAP/IdP: edited there). */
  managedBy: 'tableau' | 'directory';
  /** `local`, or the directory's domain. */
  domainName: string;
  /** The import source when Tableau names it (e.g. `ActiveDirectory`). */
  importSource?: string;
  minimumSiteRole?: string;
  /** `onLogin` / `onSync` (grant license on sign-in / on directory sync). */
  grantLicenseMode?: string;
}

/** The management of a group (see the module comment); the one place that decides `directory`. */
export function groupManagement(group: TableauGroup): GroupManagement {
  const imported = group.import;
  const domainName = group.domainName;
  // An <import> element means a directory import even where it names no domain we could compare.
  const directory = domainName.toLowerCase() !== 'local' || (imported !== undefined && (imported.source !== undefined || imported.domainName !== undefined));
  const management: GroupManagement = { managedBy: directory ? 'directory' : 'tableau', domainName };
  if (imported?.source !== undefined) management.importSource = imported.source;
  if (group.minimumSiteRole !== undefined) management.minimumSiteRole = group.minimumSiteRole;
  if (group.grantLicenseMode !== undefined) management.grantLicenseMode = group.grantLicenseMode;
  return management;
}
