/**
 * Every configuration field of baton-tableau, declared once. The CLI builds its flags and `BATON_*`
 * env equivalents from this list, the `config` subcommand prints it as the Baton SDK's
 * `c1.config.v1.Configuration`, and `secret: true` drives log redaction.
 */

/** Value kinds, matching the `oneof field` cases of `c1.config.v1.Field`. */
type FieldKind = 'string' | 'bool' | 'int' | 'string-slice';

/** Which part of the connector a field belongs to (used for grouping and for "not available yet"). */
type FieldArea = 'tableau' | 'credentials' | 'sync' | 'ops' | 'provisioning' | 'service' | 'serve';

/** The declaration of one configuration field. */
export interface FieldSpec {
  /** Flag name without dashes (`server-path`); env is `BATON_` + upper snake (`BATON_SERVER_PATH`). */
  readonly name: string;
  /** One-letter alias (`f` for `--file`). */
  readonly alias?: string;
  readonly kind: FieldKind;
  readonly displayName: string;
  readonly description: string;
  readonly area: FieldArea;
  /** Secret values are never printed or logged. */
  readonly secret?: boolean;
  /** Operational knob rather than connector configuration (SDK `is_ops`). */
  readonly ops?: boolean;
  readonly defaultValue?: string | boolean | number | readonly string[];
  /** Allowed values of a string field. */
  readonly choices?: readonly string[];
  readonly placeholder?: string;
  /** Declared so `config` lists it, but the feature is not built yet: giving it is a usage error. */
  readonly notAvailableYet?: boolean;
  /** Read from its `BATON_*` variable only, never a flag (as the Baton SDK reads it). */
  readonly envOnly?: boolean;
}

const tableauFields: FieldSpec[] = [
  {
    name: 'server-path',
    kind: 'string',
    area: 'tableau',
    displayName: 'Server path',
    description: 'Host (https assumed) or full URL of Tableau Server / Tableau Cloud; plain http only for loopback hosts',
    placeholder: 'tableau.example.com',
  },
  {
    name: 'site-id',
    kind: 'string-slice',
    area: 'tableau',
    displayName: 'Site ID',
    description: 'Site content URL to sync ("" = the Default site); may be repeated for several sites',
  },
  {
    name: 'all-sites',
    kind: 'bool',
    area: 'tableau',
    displayName: 'All sites',
    description: 'Sync every site the credentials can reach (Tableau Server administrators)',
    defaultValue: false,
  },
  {
    name: 'api-version',
    kind: 'string',
    area: 'tableau',
    displayName: 'API version',
    description: 'Force a Tableau REST API version (default: negotiated from serverinfo)',
    placeholder: '3.29',
  },
  {
    name: 'retry-budget',
    kind: 'string',
    area: 'tableau',
    ops: true,
    displayName: 'Retry budget',
    description: 'How long one Tableau request keeps retrying through an outage (refused connections, 502/503/504, timeouts), e.g. 5m or 45s',
    defaultValue: '5m',
  },
  {
    name: 'ca-file',
    kind: 'string',
    area: 'tableau',
    displayName: 'CA file',
    description: 'Extra CA certificate(s) to trust for Tableau (PEM file)',
  },
];

const credentialFields: FieldSpec[] = [
  { name: 'access-token-name', kind: 'string', area: 'credentials', displayName: 'Access token name', description: 'Name of the personal access token' },
  { name: 'access-token-secret', kind: 'string', area: 'credentials', secret: true, displayName: 'Access token secret', description: 'Secret of the personal access token' },
  { name: 'jwt-client-id', kind: 'string', area: 'credentials', displayName: 'Connected app client ID', description: 'Client ID of the connected app (direct trust)' },
  { name: 'jwt-secret-id', kind: 'string', area: 'credentials', displayName: 'Connected app secret ID', description: 'Secret ID of the connected app' },
  { name: 'jwt-secret-value', kind: 'string', area: 'credentials', secret: true, displayName: 'Connected app secret value', description: 'Secret value of the connected app, used to sign the JWT' },
  { name: 'jwt-username', kind: 'string', area: 'credentials', displayName: 'Connected app username', description: 'Tableau user the connected app signs in as' },
  { name: 'username', kind: 'string', area: 'credentials', displayName: 'Username', description: 'Username for username/password sign-in' },
  { name: 'password', kind: 'string', area: 'credentials', secret: true, displayName: 'Password', description: 'Password for username/password sign-in' },
  { name: 'scim-base-url', kind: 'string', area: 'credentials', displayName: 'SCIM base URL', description: "Opt-in SCIM read: the site's SCIM 2.0 base URL (…/sites/<site LUID>/scim/v2), with --scim-token", placeholder: 'https://scim.online.tableau.com/pods/POD/sites/SITE-LUID/scim/v2' },
  { name: 'scim-token', kind: 'string', area: 'credentials', secret: true, displayName: 'SCIM token', description: 'Opt-in SCIM read: the SCIM bearer secret generated in Tableau (read only)' },
];

const syncFields: FieldSpec[] = [
  { name: 'file', alias: 'f', kind: 'string', area: 'sync', ops: true, displayName: 'File', description: 'Path of the c1z file to write', defaultValue: 'sync.c1z' },
  { name: 'concurrency', kind: 'int', area: 'sync', ops: true, displayName: 'Concurrency', description: 'Number of sync workers talking to Tableau at once', defaultValue: 4 },
];

const opsFields: FieldSpec[] = [
  { name: 'log-level', kind: 'string', area: 'ops', ops: true, displayName: 'Log level', description: 'Log level: debug, info, warn or error', defaultValue: 'info', choices: ['debug', 'info', 'warn', 'error'] },
  { name: 'log-format', kind: 'string', area: 'ops', ops: true, displayName: 'Log format', description: 'Log format: json or console (default: console on a terminal, else json)', choices: ['json', 'console'] },
];

const provisioningFields: FieldSpec[] = [
  { name: 'provisioning', alias: 'p', kind: 'bool', area: 'provisioning', displayName: 'Provisioning', description: 'Enable grant, revoke, create and delete', defaultValue: false },
  { name: 'dry-run', kind: 'bool', area: 'provisioning', displayName: 'Dry run', description: 'With --provisioning: validate and plan mutations, change nothing', defaultValue: false },
  { name: 'scim-override', kind: 'bool', area: 'provisioning', displayName: 'SCIM override', description: 'With --provisioning: change SCIM-managed users and groups anyway (the identity provider may undo it; the audit line records the override)', defaultValue: false },
  {
    name: 'deprovision-policy',
    kind: 'string',
    area: 'provisioning',
    displayName: 'Deprovision policy',
    description: 'What deleting a user does: remove it, unlicense it (keep the account), or block-if-owner (refuse while it owns content)',
    defaultValue: 'block-if-owner',
    choices: ['remove', 'unlicense', 'block-if-owner'],
  },
  {
    name: 'map-assets-to',
    kind: 'string',
    area: 'provisioning',
    displayName: 'Map assets to',
    description: 'Username or LUID of the user who inherits the content of a user removed under the remove policy',
  },
  { name: 'allow-pool-lockout', kind: 'bool', area: 'provisioning', displayName: 'Allow identity-pool lock-out', description: 'Let a revoke remove the only identity pool Tableau shows for a user (they may no longer be able to sign in)', defaultValue: false },
  { name: 'grant-entitlement', kind: 'string', area: 'provisioning', displayName: 'Grant entitlement', description: 'The entitlement ID to grant to a principal' },
  { name: 'grant-principal', kind: 'string', area: 'provisioning', displayName: 'Grant principal', description: 'The resource ID of the principal receiving the grant' },
  { name: 'grant-principal-type', kind: 'string', area: 'provisioning', displayName: 'Grant principal type', description: 'The resource type of the principal receiving the grant' },
  { name: 'revoke-grant', kind: 'string', area: 'provisioning', displayName: 'Revoke grant', description: 'The grant ID to revoke' },
  { name: 'create-account-login', kind: 'string', area: 'provisioning', displayName: 'Create account login', description: 'Login of the account to create' },
  { name: 'create-account-email', kind: 'string', area: 'provisioning', displayName: 'Create account email', description: 'Email of the account to create' },
  { name: 'create-account-profile', kind: 'string', area: 'provisioning', displayName: 'Create account profile', description: 'JSON profile of the account to create' },
  { name: 'delete-resource', kind: 'string', area: 'provisioning', displayName: 'Delete resource', description: 'The resource ID to delete' },
  { name: 'delete-resource-type', kind: 'string', area: 'provisioning', displayName: 'Delete resource type', description: 'The resource type of the resource to delete' },
];

const serviceFields: FieldSpec[] = [
  { name: 'client-id', kind: 'string', area: 'service', ops: true, displayName: 'Client ID', description: 'ConductorOne client ID: runs ConductorOne service mode (BATON_C1_API_HOST, BATON_HOST_ID also apply)' },
  { name: 'client-secret', kind: 'string', area: 'service', ops: true, secret: true, displayName: 'Client secret', description: 'ConductorOne client secret (service mode)' },
  { name: 'task-concurrency', kind: 'int', area: 'service', ops: true, displayName: 'Task concurrency', description: 'Service mode: ConductorOne tasks handled at once (1 to 100)', defaultValue: 3 },
  {
    name: 'c1-api-host',
    kind: 'string',
    area: 'service',
    ops: true,
    envOnly: true,
    displayName: 'ConductorOne API host',
    description: 'Service mode: HOST[:PORT] where the token endpoint and the BatonService are reached instead of the client id\'s host',
  },
  { name: 'host-id', kind: 'string', area: 'service', ops: true, envOnly: true, displayName: 'Host ID', description: "Service mode: this instance's host id (default: the host name)" },
];

const serveFields: FieldSpec[] = [
  { name: 'listen', kind: 'string', area: 'serve', ops: true, displayName: 'gRPC listen address', description: 'serve: HOST:PORT of the gRPC server', placeholder: '127.0.0.1:50051' },
  { name: 'http-listen', kind: 'string', area: 'serve', ops: true, displayName: 'HTTP listen address', description: 'serve and service mode: HOST:PORT of /healthz, /readyz and /metrics' },
  { name: 'tls-cert', kind: 'string', area: 'serve', ops: true, displayName: 'TLS certificate', description: 'serve: PEM certificate of the gRPC server' },
  { name: 'tls-key', kind: 'string', area: 'serve', ops: true, displayName: 'TLS key', description: 'serve: PEM private key of the gRPC server' },
  { name: 'tls-client-ca', kind: 'string', area: 'serve', ops: true, displayName: 'TLS client CA', description: 'serve: CA that client certificates must chain to (mutual TLS)' },
  { name: 'auth-token-file', kind: 'string', area: 'serve', ops: true, displayName: 'Auth token file', description: 'serve: file holding the bearer token callers must send' },
  { name: 'insecure-listen', kind: 'bool', area: 'serve', ops: true, displayName: 'Insecure listen', description: 'serve: allow a non-loopback address without TLS or a token', defaultValue: false },
  { name: 'sync-interval', kind: 'string', area: 'serve', ops: true, displayName: 'Sync interval', description: 'serve: sync into --file every interval, e.g. 15m (0 = never)', defaultValue: '0' },
  {
    name: 'shutdown-timeout',
    kind: 'string',
    area: 'serve',
    ops: true,
    displayName: 'Shutdown timeout',
    description: 'serve and service mode: how long SIGTERM waits for in-flight RPCs and running tasks',
    defaultValue: '30s',
  },
  {
    name: 'max-inflight-rpcs',
    kind: 'int',
    area: 'serve',
    ops: true,
    displayName: 'Max in-flight RPCs',
    description: 'serve: RPCs handled at once; more get RESOURCE_EXHAUSTED',
    defaultValue: 64,
  },
];

/** All fields, in the order `config` and `--help` show them. */
export const FIELDS: readonly FieldSpec[] = Object.freeze([
  ...tableauFields,
  ...credentialFields,
  ...syncFields,
  ...opsFields,
  ...provisioningFields,
  ...serviceFields,
  ...serveFields,
]);

/** The three credential kinds and the fields each one needs (all of them, together). */
export const CREDENTIAL_GROUPS = Object.freeze({
  pat: ['access-token-name', 'access-token-secret'],
  jwt: ['jwt-client-id', 'jwt-secret-id', 'jwt-secret-value', 'jwt-username'],
  password: ['username', 'password'],
} as const);

/** Names of the fields whose values are secret. */
export const SECRET_FIELD_NAMES: readonly string[] = FIELDS.filter((f) => f.secret).map((f) => f.name);

/** `server-path` → `BATON_SERVER_PATH`. */
export function envName(fieldName: string): string {
  return `BATON_${fieldName.replace(/-/g, '_').toUpperCase()}`;
}

/** The declared default of field `name` (the one source of each default). */
export function fieldDefault(name: string): FieldSpec['defaultValue'] {
  return FIELDS.find((f) => f.name === name)?.defaultValue;
}
