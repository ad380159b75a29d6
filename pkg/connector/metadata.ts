/**
 * Connector metadata: capabilities computed from the resource types like the Baton SDK's
 * GetCapabilities, and the account creation schema (the profile CreateAccount accepts).
 */
import { Capability } from '../../proto/index.js';
import type {
  ConnectorAccountCreationSchema,
  ConnectorAccountCreationSchema_Field,
  ConnectorCapabilities,
  ConnectorMetadata,
  ResourceTypeCapability,
} from '../../proto/types.js';
import { isAccountManager, isProvisioner, type ResourceSyncer } from './types.js';

/**
 * Per type: SYNC, +TARGETED_SYNC when it can get one resource and, with provisioning, +PROVISION when
 * it is a Provisioner (grant/revoke) and +ACCOUNT_PROVISIONING +RESOURCE_DELETE when it is an
 * AccountManager; connector level: their union (+SERVICE_MODE_TARGETED_SYNC with targeted sync).
 * Sorted by enum number, types by id.
 */
export function capabilitiesOf(syncers: readonly ResourceSyncer[], opts: { provisioning: boolean }): ConnectorCapabilities {
  const union = new Set<number>();
  const perType: ResourceTypeCapability[] = [...syncers]
    .sort((a, b) => (a.resourceType.id ?? '').localeCompare(b.resourceType.id ?? ''))
    .map((syncer) => {
      const caps = new Set<number>([Capability.CAPABILITY_SYNC]);
      if (typeof syncer.get === 'function') caps.add(Capability.CAPABILITY_TARGETED_SYNC);
      if (opts.provisioning && isProvisioner(syncer)) caps.add(Capability.CAPABILITY_PROVISION);
      if (opts.provisioning && isAccountManager(syncer)) {
        caps.add(Capability.CAPABILITY_ACCOUNT_PROVISIONING).add(Capability.CAPABILITY_RESOURCE_DELETE);
      }
      caps.forEach((c) => union.add(c));
      return { resourceType: syncer.resourceType, capabilities: [...caps].sort((a, b) => a - b) };
    });
  if (union.has(Capability.CAPABILITY_TARGETED_SYNC)) union.add(Capability.CAPABILITY_SERVICE_MODE_TARGETED_SYNC);
  const out: ConnectorCapabilities = { resourceTypeCapabilities: perType, connectorCapabilities: [...union].sort((a, b) => a - b) };
  const accounts = opts.provisioning ? syncers.find(isAccountManager) : undefined;
  if (accounts !== undefined) out.credentialDetails = { capabilityAccountProvisioning: accounts.credentialOptions };
  return out;
}

function stringField(
  order: number,
  displayName: string,
  description: string,
  opts: { required?: boolean; placeholder?: string; defaultValue?: string } = {},
): ConnectorAccountCreationSchema_Field {
  const field: ConnectorAccountCreationSchema_Field = {
    displayName,
    description,
    required: opts.required ?? false,
    order,
    stringField: opts.defaultValue === undefined ? {} : { defaultValue: opts.defaultValue },
  };
  if (opts.placeholder !== undefined) field.placeholder = opts.placeholder;
  return field;
}

/**
 * Profile keys of CreateAccount, as the user type reads them (pkg/connector/user: snake_case,
 * the camelCase spellings of the Go connector are accepted too). The Baton CLI copies
 * --create-account-login into `login`, which stands for `username`.
 */
function accountCreationSchema(): ConnectorAccountCreationSchema {
  return {
    fieldMap: {
      email: stringField(1, 'Email', 'Email address of the user', { required: true, placeholder: 'jane@example.com' }),
      username: stringField(2, 'Username', 'Tableau sign-in name (default: the login, else the email)', { placeholder: 'jane@example.com' }),
      full_name: stringField(3, 'Full name', 'Display name of the user', { placeholder: 'Jane Doe' }),
      site_role: stringField(4, 'Site role', 'Tableau site role, e.g. Creator, Explorer, Viewer', { defaultValue: 'Viewer' }),
      auth_setting: stringField(5, 'Authentication', 'Tableau authSetting, e.g. SAML, OpenID, ServerDefault, TableauIDWithMFA (or give an IdP configuration)', {
        placeholder: 'ServerDefault',
      }),
      idp_configuration_id: stringField(6, 'IdP configuration', 'Id of the site identity provider configuration (instead of an authentication setting)', {}),
      site: stringField(7, 'Site', 'Content URL of the site to add the user to (default: the first synced site)', {}),
      identity_pool: stringField(8, 'Identity pool', 'Name or UUID of the identity pool the new user signs in through (Tableau Server 2023.1+)', {}),
      identity_pool_identifier: stringField(9, 'Identity pool identifier', "The user's identifier in the pool's identity store (with identity_pool)", {}),
    },
  };
}

/** The metadata GetMetadata returns. */
export function connectorMetadata(syncers: readonly ResourceSyncer[], opts: { provisioning: boolean }): ConnectorMetadata {
  return {
    displayName: 'Tableau',
    description:
      'Syncs Tableau Server and Tableau Cloud sites, users, groups, group memberships, site roles and license tiers.',
    capabilities: capabilitiesOf(syncers, opts),
    accountCreationSchema: accountCreationSchema(),
  };
}
