/**
 * The Baton resource of a Tableau user (what sync lists and CreateAccount answers with): the UserTrait,
 * the profile keys of the Go connector and ours, and the status.
 */
import { AccountType, ResourceStatus, toStruct, toTimestamp, UserTraitStatus } from '../../../proto/index.js';
import type { Resource } from '../../../proto/types.js';
import type { TableauUser } from '../../tableau/index.js';
import { annotation, resourceId } from '../resource-types.js';
import { isDisabledRole, licenseTierOf } from '../site/roles.js';
import { userManagement, type SiteScim } from '../scim-management.js';
import type { SiteRef } from '../sites.js';

/** The Baton resource of a Tableau user: UserTrait plus the same profile and status on the resource. */
export function userResource(user: TableauUser, site: SiteRef, scim?: SiteScim): Resource {
  const profile = toStruct(userProfile(user, site, scim));
  const disabled = isDisabledRole(user.siteRole);
  const trait = {
    emails: looksLikeEmail(user.email) ? [{ address: user.email, isPrimary: true }] : [],
    status: { status: disabled ? UserTraitStatus.STATUS_DISABLED : UserTraitStatus.STATUS_ENABLED },
    profile,
    // Tableau Cloud's SupportUser accounts are Tableau staff, not people of the customer.
    accountType: user.siteRole === 'SupportUser' ? AccountType.ACCOUNT_TYPE_SYSTEM : AccountType.ACCOUNT_TYPE_HUMAN,
    login: user.name,
    ...lastLogin(user.lastLogin),
    structuredName: structuredName(user.fullName),
  };
  return {
    id: resourceId('user', user.id),
    parentResourceId: resourceId('site', site.id),
    displayName: user.fullName || user.name,
    annotations: [annotation('UserTrait', trait)],
    profile,
    status: { status: disabled ? ResourceStatus.RESOURCE_STATUS_DISABLED : ResourceStatus.RESOURCE_STATUS_ENABLED },
  };
}

/** Profile keys of the Go connector (`first_name`, `last_name`, `login`, `user_id`) and ours beside them. */
function userProfile(user: TableauUser, site: SiteRef, scim: SiteScim | undefined): Record<string, unknown> {
  const { first, last } = splitName(user.fullName ?? '');
  return {
    first_name: first,
    last_name: last,
    // The Go connector put the email here; Tableau Cloud sign-in names are emails too.
    login: user.email || user.name,
    user_id: user.id,
    username: user.name,
    email: user.email,
    full_name: user.fullName,
    site_role: user.siteRole,
    license_tier: licenseTierOf(user.siteRole),
    auth_setting: user.authSetting,
    domain: user.domainName,
    idp_configuration_id: user.idpConfigurationId,
    last_login: user.lastLogin,
    site_id: site.id,
    site_content_url: site.contentUrl,
    ...userManagement(user, scim),
  };
}

function splitName(fullName: string): { first: string; last: string } {
  const trimmed = fullName.trim();
  const space = trimmed.indexOf(' ');
  return space < 0 ? { first: trimmed, last: '' } : { first: trimmed.slice(0, space), last: trimmed.slice(space + 1) };
}

function structuredName(fullName: string | undefined): { givenName: string; familyName: string } | undefined {
  const { first, last } = splitName(fullName ?? '');
  return first === '' ? undefined : { givenName: first, familyName: last };
}

function lastLogin(value: string | undefined): { lastLogin?: { seconds: number; nanos?: number } } {
  if (value === undefined || !Number.isFinite(Date.parse(value))) return {};
  return { lastLogin: toTimestamp(value) };
}

/** Baton validates trait emails; Tableau sometimes holds free text in the email attribute. */
function looksLikeEmail(email: string | undefined): email is string {
  return email !== undefined && /^[^\s@]+@[^\s@]+$/.test(email);
}
