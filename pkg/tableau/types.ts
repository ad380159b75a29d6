/**
 * Tableau objects as the connector sees them, normalised from XML or JSON responses.
 * Optional fields are absent when Tableau did not send them (never empty strings invented by us).
 * Numbers that Tableau sends as strings are converted; unknown attributes are ignored.
 */

/** A site role string exactly as Tableau sends it (current, legacy or unknown values are all kept). */
export type SiteRole = string;

/** Seats in use on a site, per license tier (Query Site with `includeUsageStatistics`). */
export interface SiteUsage {
  numUsers?: number;
  numCreators?: number;
  numExplorers?: number;
  numViewers?: number;
}

/** A site (`<site>`): its id (LUID), name, content URL and, when asked for, quotas and usage. */
export interface TableauSite {
  id: string;
  name: string;
  /** `""` is the Default site. */
  contentUrl: string;
  adminMode?: string;
  state?: string;
  userQuota?: number;
  tierCreatorCapacity?: number;
  tierExplorerCapacity?: number;
  tierViewerCapacity?: number;
  usage?: SiteUsage;
  /** The IdP configuration SCIM provisions through (3.27+ sites with SCIM enabled; see scim.ts). */
  idpConfigurationIdForScim?: string;
}

/** A user of one site (`<user>`); `id` is the user's LUID, the same on every site of a server. */
export interface TableauUser {
  id: string;
  /** Sign-in name (an email address on Tableau Cloud). */
  name: string;
  siteRole: SiteRole;
  fullName?: string;
  email?: string;
  authSetting?: string;
  /** ISO-8601 timestamp; absent when the user never signed in. */
  lastLogin?: string;
  externalAuthUserId?: string;
  /** `<domain name>`: `local` for local users, the AD/LDAP domain or TABID_* otherwise. */
  domainName?: string;
  idpConfigurationId?: string;
  identityPoolUuid?: string;
  identityPoolName?: string;
  /** Role that a group with grant-license-on-sign-in will give this user. */
  glsiMinimumSiteRole?: SiteRole;
}

/** How a group imported from AD/LDAP or an IdP is kept in sync (`<import>`). */
export interface TableauGroupImport {
  source?: string;
  domainName?: string;
  siteRole?: SiteRole;
  grantLicenseMode?: string;
}

/** A group of one site (`<group>`): local, or imported (`import` then says from where). */
export interface TableauGroup {
  id: string;
  name: string;
  /** `local` for groups managed in Tableau; an AD/LDAP/IdP domain otherwise. */
  domainName: string;
  userCount?: number;
  minimumSiteRole?: SiteRole;
  grantLicenseMode?: string;
  import?: TableauGroupImport;
}

/** Tableau's `<pagination>` element: 1-based page number, page size and the total it claims. */
export interface Pagination {
  pageNumber: number;
  pageSize: number;
  totalAvailable: number;
}

/** One page of a Tableau listing. */
export interface TableauPage<T> {
  items: T[];
  pagination: Pagination;
}

/** What `GET /serverinfo` tells (no sign-in needed): product version and highest REST API version. */
export interface ServerInfo {
  productVersion?: string;
  build?: string;
  restApiVersion: string;
}

/** Result of a sign-in or switchSite. */
export interface SessionInfo {
  token: string;
  siteId: string;
  /** The site's content URL as Tableau spells it (it compares case-insensitively); absent when not sent. */
  siteContentUrl?: string;
  userId: string;
}

/** Kinds of content a user can own; counted before deprovisioning. */
export type ContentKind = 'workbooks' | 'datasources' | 'flows';

/** An identity pool (Tableau Server 2023.1+): a set of users with their own identity store and sign-in. */
export interface IdentityPool {
  id: string;
  name: string;
  description?: string;
  isEnabled?: boolean;
  identityStoreType?: string;
  authType?: string;
  /** `identity_store_instance_id`. */
  storeId?: string;
  /** `auth_type_instance_id`. */
  authConfigId?: string;
}

/**
 * Which sites a connector works on: explicit content URLs (`""` = the Default site) or every site the
 * credentials reach (Tableau Server administrators). Declared here, in the lowest layer, so that the
 * configuration and the connector share one definition.
 */
export type SiteSelection = { readonly contentUrls: readonly string[] } | { readonly all: true };
