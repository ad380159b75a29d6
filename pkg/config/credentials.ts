/**
 * Picking exactly one credential kind out of the raw flag values, with a problem message for every
 * way that can go wrong (none given, several kinds mixed, a kind given incompletely).
 */
import { CREDENTIAL_GROUPS, envName } from './fields.js';

/** Tableau sign-in credentials; exactly one kind is ever configured. */
export type Credentials =
  | { readonly kind: 'pat'; readonly name: string; readonly secret: string }
  | {
      readonly kind: 'jwt';
      readonly clientId: string;
      readonly secretId: string;
      readonly secretValue: string;
      readonly username: string;
    }
  | { readonly kind: 'password'; readonly username: string; readonly password: string };

type CredentialKind = keyof typeof CREDENTIAL_GROUPS;

const KIND_LABEL: Record<CredentialKind, string> = {
  pat: 'personal access token (--access-token-name, --access-token-secret)',
  jwt: 'connected app (--jwt-client-id, --jwt-secret-id, --jwt-secret-value, --jwt-username)',
  password: 'username/password (--username, --password)',
};

/** Raw string values by field name; empty strings count as "not given". */
export type StringLookup = (fieldName: string) => string | undefined;

export function resolveCredentials(get: StringLookup): { credentials?: Credentials; problems: string[] } {
  const given = (Object.keys(CREDENTIAL_GROUPS) as CredentialKind[]).filter((kind) =>
    CREDENTIAL_GROUPS[kind].some((field) => get(field) !== undefined),
  );
  if (given.length === 0) {
    const options = Object.values(KIND_LABEL).join(', or a ');
    return { problems: [`no Tableau credentials given: use a ${options}`] };
  }
  if (given.length > 1) {
    const kinds = given.map((kind) => KIND_LABEL[kind]).join(' and a ');
    return { problems: [`give exactly one kind of credentials, not a ${kinds}`] };
  }
  const kind = given[0] as CredentialKind;
  const missing = CREDENTIAL_GROUPS[kind].filter((field) => get(field) === undefined);
  if (missing.length > 0) {
    const list = missing.map((field) => `--${field} (${envName(field)})`).join(', ');
    return { problems: [`incomplete ${KIND_LABEL[kind].replace(/ \(.*\)$/, '')} credentials: missing ${list}`] };
  }
  return { credentials: buildCredentials(kind, (field) => get(field) ?? ''), problems: [] };
}

function buildCredentials(kind: CredentialKind, value: (field: string) => string): Credentials {
  switch (kind) {
    case 'pat':
      return { kind, name: value('access-token-name'), secret: value('access-token-secret') };
    case 'jwt':
      return {
        kind,
        clientId: value('jwt-client-id'),
        secretId: value('jwt-secret-id'),
        secretValue: value('jwt-secret-value'),
        username: value('jwt-username'),
      };
    case 'password':
      return { kind, username: value('username'), password: value('password') };
  }
}
