/**
 * Request validation mirroring the protoc-gen-validate rules of the Baton SDK's protos (the Go
 * server runs grpc_validator on every request). The first violation becomes INVALID_ARGUMENT naming
 * the field by its proto path, e.g. `page_size: must be <= 250`.
 * Beyond the SDK rules, the ids our handlers cannot work without (GetResource and Delete* resource
 * ids) are required.
 */
import type { ConnectorApi } from '../connector/api.js';
import { invalidArgument } from '../connector/errors.js';
import type * as pb from '../../proto/types.js';

const MAX_ID_BYTES = 1024;
const MAX_PAGE_SIZE = 250;
const MAX_PAGE_TOKEN_BYTES = 1024 * 1024;
// PGV's `email: true` is RFC 5322 addr-spec; a conservative shape check is enough to reject garbage.
const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/** The request type of each ConnectorApi method. */
export type ConnectorApiRequests = { [K in keyof ConnectorApi]: Parameters<ConnectorApi[K]>[0] };

/** Throws INVALID_ARGUMENT for the first rule `req` breaks. */
export type Validator<T> = (req: T) => void;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function fail(field: string, reason: string): never {
  throw invalidArgument(`${field}: ${reason}`);
}

/** min_bytes/max_bytes; `optional` = PGV's ignore_empty. */
function checkString(field: string, value: string | undefined, max: number, optional: boolean): void {
  const size = bytes(value ?? '');
  if (size === 0) {
    if (!optional) fail(field, 'must not be empty');
    return;
  }
  if (size > max) fail(field, `must be at most ${max} bytes`);
}

function checkPaging(req: { pageSize?: number; pageToken?: string; activeSyncId?: string }): void {
  if ((req.pageSize ?? 0) > MAX_PAGE_SIZE) fail('page_size', `must be <= ${MAX_PAGE_SIZE}`);
  checkString('page_token', req.pageToken, MAX_PAGE_TOKEN_BYTES, true);
  checkString('active_sync_id', req.activeSyncId, MAX_ID_BYTES, true);
}

function required<T>(field: string, value: T | undefined): T {
  if (value === undefined || value === null) fail(field, 'is required');
  return value;
}

function checkResourceId(field: string, id: pb.ResourceId | undefined): void {
  if (!id) return;
  checkString(`${field}.resource_type`, id.resourceType, MAX_ID_BYTES, false);
  checkString(`${field}.resource`, id.resource, MAX_ID_BYTES, false);
}

function checkResource(field: string, r: pb.Resource | undefined): void {
  if (!r) return;
  checkResourceId(`${field}.id`, r.id);
  checkResourceId(`${field}.parent_resource_id`, r.parentResourceId);
  checkString(`${field}.display_name`, r.displayName, MAX_ID_BYTES, true);
  checkString(`${field}.description`, r.description, 2048, true);
}

function checkEntitlement(field: string, e: pb.Entitlement | undefined): void {
  if (!e) return;
  checkResource(`${field}.resource`, required(`${field}.resource`, e.resource));
  checkString(`${field}.id`, e.id, MAX_ID_BYTES, false);
  checkString(`${field}.display_name`, e.displayName, MAX_ID_BYTES, true);
  checkString(`${field}.description`, e.description, 2048, true);
}

function checkGrant(field: string, g: pb.Grant | undefined): void {
  if (!g) return;
  checkEntitlement(`${field}.entitlement`, required(`${field}.entitlement`, g.entitlement));
  checkResource(`${field}.principal`, required(`${field}.principal`, g.principal));
  checkString(`${field}.id`, g.id, MAX_ID_BYTES, false);
}

function checkCreateAccount(req: pb.CreateAccountRequest): void {
  checkString('resource_type_id', req.resourceTypeId, MAX_ID_BYTES, true);
  (req.accountInfo?.emails ?? []).forEach((email, i) => {
    if (!EMAIL.test(email.address ?? '')) fail(`account_info.emails[${i}].address`, 'must be a valid email address');
  });
  const length = req.credentialOptions?.randomPassword?.length;
  if (req.credentialOptions?.randomPassword && ((length ?? 0) < 8 || (length ?? 0) > 64)) {
    fail('credential_options.random_password.length', 'must be between 8 and 64');
  }
  const encrypted = req.credentialOptions?.encryptedPassword;
  if (encrypted && (encrypted.encryptedPasswords ?? []).length === 0) {
    fail('credential_options.encrypted_password.encrypted_passwords', 'must hold at least 1 item');
  }
}

function checkDelete(req: pb.DeleteResourceRequest): void {
  checkResourceId('resource_id', required('resource_id', req.resourceId));
  checkResourceId('parent_resource_id', req.parentResourceId);
}

/** One validator per ConnectorApi method. */
export const validators = {
  getMetadata: () => undefined,
  validate: () => undefined,
  cleanup: (req) => checkString('active_sync_id', req.activeSyncId, MAX_ID_BYTES, true),
  listResourceTypes: (req) => {
    checkPaging(req);
    checkResource('parent', req.parent);
  },
  listResources: (req) => {
    checkString('resource_type_id', req.resourceTypeId, MAX_ID_BYTES, false);
    checkResourceId('parent_resource_id', req.parentResourceId);
    checkPaging(req);
  },
  getResource: (req) => {
    checkResourceId('resource_id', required('resource_id', req.resourceId));
    checkResourceId('parent_resource_id', req.parentResourceId);
    checkString('active_sync_id', req.activeSyncId, MAX_ID_BYTES, true);
  },
  listEntitlements: (req) => {
    checkResource('resource', req.resource);
    checkPaging(req);
  },
  listStaticEntitlements: (req) => {
    checkString('resource_type_id', req.resourceTypeId, MAX_ID_BYTES, false);
    checkPaging(req);
  },
  listGrants: (req) => {
    checkResource('resource', required('resource', req.resource));
    checkPaging(req);
  },
  grant: (req) => {
    checkEntitlement('entitlement', required('entitlement', req.entitlement));
    checkResource('principal', required('principal', req.principal));
  },
  revoke: (req) => checkGrant('grant', required('grant', req.grant)),
  createAccount: checkCreateAccount,
  deleteResource: checkDelete,
  deleteResourceV2: checkDelete,
} satisfies { [K in keyof ConnectorApiRequests]: Validator<ConnectorApiRequests[K]> };
