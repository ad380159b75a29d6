/**
 * Reading a CreateAccount request. Profile keys (both spellings accepted, snake_case first):
 * `username` (or `login`, else AccountInfo.login, else the email), `email` (else the primary
 * AccountInfo email), `full_name`/`fullName`, `site_role`/`siteRole` (a Tableau role or its slug,
 * default Viewer), `auth_setting`/`authSetting`, `idp_configuration_id`/`idpConfigurationId`,
 * `site` (content URL; default the first configured site). Only NO_PASSWORD credentials: Tableau
 * users sign in through the site's identity provider or a password set elsewhere.
 */
import type { CreateAccountRequest } from '../../../proto/types.js';
import { fromStruct } from '../../../proto/index.js';
import { invalidArgument } from '../errors.js';
import { isSettableRole, roleOfSlug } from '../site/roles.js';

/** What to create, validated. */
export interface AccountRequest {
  username: string;
  email?: string;
  fullName?: string;
  siteRole: string;
  authSetting?: string;
  idpConfigurationId?: string;
  /** Site content URL; undefined = the first configured site. */
  site?: string;
  /** Identity pool (name or UUID) to add the new user to (Tableau Server 2023.1+). */
  identityPool?: string;
  /** The user's identifier in the pool's identity store (Add User to Identity Pool's `identityUuid`). */
  identityPoolIdentifier?: string;
}

function text(profile: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = profile[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

function requireNoPassword(req: CreateAccountRequest): void {
  const options = req.credentialOptions;
  if (options?.randomPassword || options?.encryptedPassword || options?.sso) {
    throw invalidArgument('Tableau accounts are created without a password: only the NO_PASSWORD credential option is supported');
  }
}

/** A role name as Tableau spells it, from either the role (`ExplorerCanPublish`) or its slug. */
function siteRoleOf(value: string | undefined): string {
  if (value === undefined) return 'Viewer';
  const role = /[\s]|^[a-z]/.test(value) ? roleOfSlug(value.toLowerCase()) : value;
  if (!isSettableRole(role)) throw invalidArgument(`site role "${value}" cannot be given to a new account`);
  return role;
}

export function parseAccountRequest(req: CreateAccountRequest): AccountRequest {
  requireNoPassword(req);
  const info = req.accountInfo ?? {};
  const profile = fromStruct(info.profile);
  const primaryEmail = (info.emails ?? []).find((e) => e.isPrimary)?.address ?? info.emails?.[0]?.address;
  const email = text(profile, 'email') ?? (primaryEmail?.trim() || undefined);
  const username = text(profile, 'username', 'login') ?? (info.login?.trim() || undefined) ?? email;
  if (!username) throw invalidArgument('a username (profile "username" or "login", or the account login or email) is required');
  if (text(profile, 'idpConfigurationName', 'idp_configuration_name')) {
    throw invalidArgument('give the identity provider configuration by id ("idp_configuration_id"), not by name');
  }
  const out: AccountRequest = { username, siteRole: siteRoleOf(text(profile, 'site_role', 'siteRole')) };
  const optional = {
    email,
    fullName: text(profile, 'full_name', 'fullName'),
    authSetting: text(profile, 'auth_setting', 'authSetting'),
    idpConfigurationId: text(profile, 'idp_configuration_id', 'idpConfigurationId'),
    site: typeof profile['site'] === 'string' ? profile['site'].trim() : undefined,
    identityPool: text(profile, 'identity_pool', 'identityPool'),
    identityPoolIdentifier: text(profile, 'identity_pool_identifier', 'identityPoolIdentifier'),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(out, { [key]: value });
  // Tableau: a user has either an authSetting or an IdP configuration, not both (TSC never sends both).
  if (out.authSetting && out.idpConfigurationId) throw invalidArgument('give either auth_setting or idp_configuration_id, not both');
  if (out.identityPoolIdentifier && !out.identityPool) throw invalidArgument('identity_pool_identifier needs identity_pool');
  return out;
}
