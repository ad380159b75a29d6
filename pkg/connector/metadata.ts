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
import { isProvisioner, type ResourceSyncer } from './types.js';

/**
 * Per type: SYNC, +TARGETED_SYNC when it can get one resource, +PROVISION when it grants/revokes;
 * connector level: their union (+SERVICE_MODE_TARGETED_SYNC with targeted sync). Sorted by enum
 * number, types by id.
 */
export function capabilitiesOf(syncers: readonly ResourceSyncer[]): ConnectorCapabilities {
  const union = new Set<number>();
  const perType: ResourceTypeCapability[] = [...syncers]
    .sort((a, b) => (a.resourceType.id ?? '').localeCompare(b.resourceType.id ?? ''))
    .map((syncer) => {
      const caps = new Set<number>([Capability.CAPABILITY_SYNC]);
      if (typeof syncer.get === 'function') caps.add(Capability.CAPABILITY_TARGETED_SYNC);
      if (isProvisioner(syncer)) caps.add(Capability.CAPABILITY_PROVISION);
      caps.forEach((c) => union.add(c));
      return { resourceType: syncer.resourceType, capabilities: [...caps].sort((a, b) => a - b) };
    });
  if (union.has(Capability.CAPABILITY_TARGETED_SYNC)) union.add(Capability.CAPABILITY_SERVICE_MODE_TARGETED_SYNC);
  return { resourceTypeCapabilities: perType, connectorCapabilities: [...union].sort((a, b) => a - b) };
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
 * Profile keys of CreateAccount. `email`, `siteRole`, `authSetting` and `idpConfigurationName` are the
 * Go connector's keys; `login` is what the Baton CLI copies from --create-account-login.
 */
export function accountCreationSchema(): ConnectorAccountCreationSchema {
  return {
    fieldMap: {
      email: stringField(1, 'Email', 'Email address of the user', { required: true, placeholder: 'jane@example.com' }),
      login: stringField(2, 'Username', 'Tableau sign-in name; defaults to the email address', { placeholder: 'jane@example.com' }),
      fullName: stringField(3, 'Full name', 'Display name of the user', { placeholder: 'Jane Doe' }),
      siteRole: stringField(4, 'Site role', 'Tableau site role, e.g. Creator, Explorer, Viewer', { defaultValue: 'Viewer' }),
      authSetting: stringField(5, 'Authentication', 'Tableau authSetting (e.g. SAML, OpenID, ServerDefault, TableauIDWithMFA)', {
        placeholder: 'ServerDefault',
      }),
      idpConfigurationName: stringField(6, 'IdP configuration', 'Name of the site identity provider configuration to use', {}),
      site: stringField(7, 'Site', 'Content URL of the site to add the user to (empty: the first synced site)', {}),
    },
  };
}

/** The metadata GetMetadata returns. */
export function connectorMetadata(syncers: readonly ResourceSyncer[]): ConnectorMetadata {
  return {
    displayName: 'Tableau',
    description:
      'Syncs Tableau Server and Tableau Cloud sites, users, groups, group memberships, site roles and license tiers.',
    capabilities: capabilitiesOf(syncers),
    accountCreationSchema: accountCreationSchema(),
  };
}
