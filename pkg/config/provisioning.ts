/**
 * The provisioning part of the Config: `-p` with its settings (dry run, deprovisioning policy,
 * content successor) and the one-shot provisioning action named by the Baton SDK's flags
 * (`--grant-entitlement ...`, `--revoke-grant`, `--create-account-*`, `--delete-resource ...`).
 * Every problem is collected so that a usage error lists them all at once.
 */

/** What deleting a user does (see pkg/connector/user/deprovision.ts). */
type DeprovisionPolicy = 'remove' | 'unlicense' | 'block-if-owner';

/** How provisioning behaves when `-p` is given; the names match buildConnector's provisioning options. */
export interface ProvisioningSettings {
  readonly policy: DeprovisionPolicy;
  /** Username or LUID inheriting a removed user's content (the `remove` policy). */
  readonly mapAssetsTo?: string;
  readonly dryRun: boolean;
  /** `--allow-pool-lockout`: a revoke may leave a user in no identity pool (see identity-pool/provision.ts). */
  readonly allowPoolLockout?: boolean;
  /** Change SCIM-managed users and groups despite the refusal (`--scim-override`). */
  readonly scimOverride?: boolean;
}

/** The safe settings for callers that enable provisioning without choosing any. */
export const DEFAULT_PROVISIONING_SETTINGS: ProvisioningSettings = Object.freeze({ policy: 'block-if-owner', dryRun: false });

/** A one-shot provisioning request, with the ids exactly as given (resolved against Tableau later). */
export type ProvisioningAction =
  | { readonly kind: 'grant'; readonly entitlementId: string; readonly principalId: string; readonly principalType: string }
  | { readonly kind: 'revoke'; readonly grantId: string }
  | { readonly kind: 'create-account'; readonly login: string; readonly email: string; readonly profile: Readonly<Record<string, unknown>> }
  | { readonly kind: 'delete-resource'; readonly resourceId: string; readonly resourceType: string };

type Lookup = (name: string) => string | undefined;

/** The flags of each one-shot mode: the first names the mode, all of them are needed. */
const ACTION_FLAGS = {
  grant: ['grant-entitlement', 'grant-principal', 'grant-principal-type'],
  revoke: ['revoke-grant'],
  'create-account': ['create-account-login', 'create-account-email'],
  'delete-resource': ['delete-resource', 'delete-resource-type'],
} as const;

/** Flags that belong to a mode without naming it. */
const OPTIONAL_FLAGS: Record<string, keyof typeof ACTION_FLAGS> = { 'create-account-profile': 'create-account' };

type ActionKind = keyof typeof ACTION_FLAGS;

export interface ProvisioningPart {
  settings?: ProvisioningSettings;
  action?: ProvisioningAction;
}

/** Reads `-p`, `--dry-run`, the policy flags and the one-shot action; problems go to `problems`. */
export function resolveProvisioning(str: Lookup, enabled: boolean, dryRun: boolean, problems: string[]): ProvisioningPart {
  if (dryRun && !enabled) problems.push('--dry-run needs --provisioning (-p)');
  const policy = (str('deprovision-policy') ?? 'block-if-owner') as DeprovisionPolicy;
  const mapAssetsTo = str('map-assets-to');
  const kinds = givenKinds(str);
  if (kinds.length > 1) {
    const named = kinds.map((k) => `--${ACTION_FLAGS[k][0]}`).join(', ');
    problems.push(`${named} are mutually exclusive: give one provisioning action at a time`);
  }
  if (!enabled) problems.push(...kinds.map((k) => `--${ACTION_FLAGS[k][0]} needs --provisioning (-p)`));
  // Every given action is checked, so that one usage error lists all of their problems.
  const actions = kinds.map((k) => actionOf(k, str, problems));
  const action = actions.length === 1 ? actions[0] : undefined;
  const settings: ProvisioningSettings | undefined = enabled ? { policy, dryRun, ...(mapAssetsTo ? { mapAssetsTo } : {}) } : undefined;
  return { ...(settings ? { settings } : {}), ...(action ? { action } : {}) };
}

/** The modes any of whose flags were given, in declaration order. */
function givenKinds(str: Lookup): ActionKind[] {
  const optional = Object.entries(OPTIONAL_FLAGS);
  return (Object.keys(ACTION_FLAGS) as ActionKind[]).filter(
    (kind) => ACTION_FLAGS[kind].some((f) => str(f) !== undefined) || optional.some(([flag, k]) => k === kind && str(flag) !== undefined),
  );
}

function actionOf(kind: ActionKind, str: Lookup, problems: string[]): ProvisioningAction | undefined {
  const missing = ACTION_FLAGS[kind].filter((f) => str(f) === undefined);
  if (missing.length > 0) {
    const all = ACTION_FLAGS[kind].map((f) => `--${f}`).join(', ');
    problems.push(`one-shot ${kind} needs ${all}: missing ${missing.map((f) => `--${f}`).join(', ')}`);
    return undefined;
  }
  const get = (flag: string): string => str(flag) ?? '';
  problems.push(...idShapeProblems(kind, get));
  switch (kind) {
    case 'grant':
      return { kind, entitlementId: get('grant-entitlement'), principalId: get('grant-principal'), principalType: get('grant-principal-type') };
    case 'revoke':
      return { kind, grantId: get('revoke-grant') };
    case 'delete-resource':
      return { kind, resourceId: get('delete-resource'), resourceType: get('delete-resource-type') };
    case 'create-account': {
      const profile = profileOf(str('create-account-profile'), problems);
      return profile ? { kind, login: get('create-account-login'), email: get('create-account-email'), profile } : undefined;
    }
  }
}

/** Baton ids are raw joins (CONTRACTS §3): `<type>:<resource id>:<slug>`, grants add `:<type>:<id>`. */
const ENTITLEMENT_ID = /^[^:]+:[^:]+:.+$/;
const GRANT_ID = /^[^:]+:[^:]+:.+:[^:]+:[^:]+$/;

/** Every malformed id or unsupported type of the action, all at once (CONTRACTS §2). */
function idShapeProblems(kind: ActionKind, get: (flag: string) => string): string[] {
  const problems: string[] = [];
  if (kind === 'grant' && !ENTITLEMENT_ID.test(get('grant-entitlement'))) {
    problems.push(`--grant-entitlement "${get('grant-entitlement')}" is not an entitlement id <type>:<resource id>:<slug>`);
  }
  if (kind === 'revoke' && !GRANT_ID.test(get('revoke-grant'))) {
    problems.push(`--revoke-grant "${get('revoke-grant')}" is not a grant id <entitlement id>:<principal type>:<principal id>`);
  }
  // Known before any network call: users are the only principals and the only deletable resources.
  if (kind === 'grant' && get('grant-principal-type') !== 'user') {
    problems.push(`--grant-principal-type "${get('grant-principal-type')}" is not supported: grants go to users (user)`);
  }
  if (kind === 'delete-resource' && get('delete-resource-type') !== 'user') {
    problems.push(`--delete-resource-type "${get('delete-resource-type')}" is not supported: only users can be deleted (user)`);
  }
  return problems;
}

function profileOf(text: string | undefined, problems: string[]): Record<string, unknown> | undefined {
  if (text === undefined) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below together with non-object JSON.
  }
  problems.push('--create-account-profile must be a JSON object, e.g. {"site_role":"Explorer"}');
  return undefined;
}
