/**
 * The configuration schema as protojson of the Baton SDK's `c1.config.v1.Configuration`
 * (what `baton-<connector> config` prints and connectors commit as `config_schema.json`).
 * Protojson rules applied by hand: lowerCamel keys, default values omitted, enums as names,
 * int64 as strings.
 */
import { CREDENTIAL_GROUPS, FIELDS, type FieldSpec } from './fields.js';

type Json = Record<string, unknown>;

function fieldValueJson(field: FieldSpec): Json {
  const value = field.defaultValue;
  switch (field.kind) {
    case 'bool':
      return { boolField: value === true ? { defaultValue: true } : {} };
    case 'int':
      return { intField: typeof value === 'number' && value !== 0 ? { defaultValue: String(value) } : {} };
    case 'string-slice':
      return { stringSliceField: Array.isArray(value) && value.length > 0 ? { defaultValue: [...value] } : {} };
    case 'string': {
      const body: Json = {};
      if (typeof value === 'string' && value !== '') body['defaultValue'] = value;
      if (field.choices) body['options'] = field.choices.map((c) => ({ name: c, value: c, displayName: c }));
      return { stringField: body };
    }
  }
}

function fieldJson(field: FieldSpec): Json {
  const out: Json = { name: field.name, displayName: field.displayName, description: field.description };
  if (field.placeholder) out['placeholder'] = field.placeholder;
  if (field.name === 'server-path') out['isRequired'] = true;
  if (field.ops) out['isOps'] = true;
  if (field.secret) out['isSecret'] = true;
  return { ...out, ...fieldValueJson(field) };
}

function constraintsJson(): Json[] {
  const groups = Object.values(CREDENTIAL_GROUPS).map((fields) => ({
    kind: 'CONSTRAINT_KIND_REQUIRED_TOGETHER',
    fieldNames: [...fields],
  }));
  const firstOfEach = Object.values(CREDENTIAL_GROUPS).map((fields) => fields[0]);
  return [
    ...groups,
    { kind: 'CONSTRAINT_KIND_AT_LEAST_ONE', fieldNames: firstOfEach, name: 'credentials', helpText: 'One kind of Tableau credentials is required' },
    { kind: 'CONSTRAINT_KIND_MUTUALLY_EXCLUSIVE', fieldNames: firstOfEach, name: 'one credential kind' },
    { kind: 'CONSTRAINT_KIND_MUTUALLY_EXCLUSIVE', fieldNames: ['site-id', 'all-sites'] },
    { kind: 'CONSTRAINT_KIND_DEPENDENT_ON', fieldNames: ['dry-run'], secondaryFieldNames: ['provisioning'] },
    { kind: 'CONSTRAINT_KIND_REQUIRED_TOGETHER', fieldNames: ['grant-entitlement', 'grant-principal', 'grant-principal-type'] },
    { kind: 'CONSTRAINT_KIND_REQUIRED_TOGETHER', fieldNames: ['create-account-login', 'create-account-email'] },
    { kind: 'CONSTRAINT_KIND_REQUIRED_TOGETHER', fieldNames: ['delete-resource', 'delete-resource-type'] },
    {
      kind: 'CONSTRAINT_KIND_MUTUALLY_EXCLUSIVE',
      fieldNames: ['grant-entitlement', 'revoke-grant', 'create-account-login', 'delete-resource'],
      name: 'one provisioning action',
    },
    {
      kind: 'CONSTRAINT_KIND_DEPENDENT_ON',
      fieldNames: ['grant-entitlement', 'revoke-grant', 'create-account-login', 'delete-resource'],
      secondaryFieldNames: ['provisioning'],
    },
  ];
}

function fieldGroupsJson(): Json[] {
  return [
    { name: 'pat', displayName: 'Personal access token', helpText: 'Sign in with a personal access token', fields: [...CREDENTIAL_GROUPS.pat], default: true },
    { name: 'jwt', displayName: 'Connected app (direct trust)', helpText: 'Sign in with a JWT signed by a connected app', fields: [...CREDENTIAL_GROUPS.jwt] },
    { name: 'password', displayName: 'Username and password', helpText: 'Sign in with a username and password', fields: [...CREDENTIAL_GROUPS.password] },
  ];
}

/** The whole schema as a protojson object, ready for `JSON.stringify`. */
export function configurationJson(): Json {
  return {
    fields: FIELDS.map(fieldJson),
    constraints: constraintsJson(),
    displayName: 'Tableau',
    fieldGroups: fieldGroupsJson(),
  };
}
