/**
 * AccountManagerService.CreateAccount: Add User to Site, then Update User for full name and email
 * (Add User takes neither). An existing user (looked up by name, case-insensitively, before adding)
 * is the `already_exists` result, not an error. Like every role write, the role is read back:
 * when Tableau gave another role (no seat left, a sign-in group), the new account is removed again and
 * the request fails with FAILED_PRECONDITION naming the cause.
 */
import { CapabilityDetailCredentialOption } from '../../../proto/index.js';
import type { CreateAccountRequest, CreateAccountResponse, CredentialDetailsAccountProvisioning } from '../../../proto/types.js';
import type { TableauUser } from '../../tableau/types.js';
import { failedPrecondition } from '../errors.js';
import { joinPoolOrUndo, plannedPoolJoin, resolveAccountPool } from '../identity-pool/jit.js';
import { userResource } from './resource.js';
import { parseAccountRequest, type AccountRequest } from './account-request.js';
import type { OpEnv } from '../provisioning/context.js';
import { calls, dryRunAnnotation, type PlannedCall } from '../provisioning/plan.js';
import { explainRoleMismatch } from '../site/role-writer.js';
import type { SiteRef } from '../provisioning/locator.js';

/** CreateAccount credential options: NO_PASSWORD only (for `credential_details` in GetMetadata). */
export function noPasswordOnly(): CredentialDetailsAccountProvisioning {
  const noPassword = CapabilityDetailCredentialOption.CAPABILITY_DETAIL_CREDENTIAL_OPTION_NO_PASSWORD;
  return { supportedCredentialOptions: [noPassword], preferredCredentialOption: noPassword };
}

export async function createAccount(req: CreateAccountRequest, env: OpEnv): Promise<CreateAccountResponse> {
  const account = parseAccountRequest(req);
  env.audit.principal = account.username;
  const site = await env.directory.siteByContentUrl(account.site, env.signal);
  env.audit.site = site.id;
  const existing = await site.client.findUserByName(account.username, env.signal);
  if (existing) {
    env.audit.target = `user:${existing.id}`;
    env.audit.finish('already-exists', existing.siteRole);
    return { alreadyExists: { resource: userResource(existing, site), isCreateAccountResult: true }, annotations: [] };
  }
  // An unknown pool must refuse before anything is created.
  const pool = account.identityPool === undefined ? undefined : await resolveAccountPool(site, account.identityPool, env.signal);
  if (env.dryRun) return planAccount(account, site, env, pool && plannedPoolJoin(site, pool));
  // The user did not exist a moment ago, so `created: false` (the client found the user after a
  // replayed Add User whose first answer was lost) is our own creation: finish it the same way.
  const { user } = await site.client.addUser(addUserInput(account), env.signal);
  env.audit.target = `user:${user.id}`;
  const patch = profilePatch(account);
  if (patch.fullName !== undefined || patch.email !== undefined) await site.client.updateUser(user.id, patch, env.signal);
  let stored = await site.client.getUser(user.id, env.signal);
  if (stored.siteRole !== account.siteRole) await undoCreation(account, site, stored, env);
  if (pool) stored = await joinPoolOrUndo(site, stored, pool, account.identityPoolIdentifier, env);
  env.audit.finish('created', stored.siteRole, pool && `identity pool ${pool.id}`);
  return { success: { resource: userResource(stored, site), isCreateAccountResult: true }, annotations: [] };
}

function addUserInput(account: AccountRequest): { name: string; siteRole: string; authSetting?: string; idpConfigurationId?: string } {
  const input: { name: string; siteRole: string; authSetting?: string; idpConfigurationId?: string } = {
    name: account.username,
    siteRole: account.siteRole,
  };
  if (account.authSetting) input.authSetting = account.authSetting;
  if (account.idpConfigurationId) input.idpConfigurationId = account.idpConfigurationId;
  return input;
}

function profilePatch(account: AccountRequest): { fullName?: string; email?: string } {
  const patch: { fullName?: string; email?: string } = {};
  if (account.fullName) patch.fullName = account.fullName;
  if (account.email) patch.email = account.email;
  return patch;
}

/** Tableau created the user with another role: remove it again (the state before) and fail. */
async function undoCreation(account: AccountRequest, site: SiteRef, stored: TableauUser, env: OpEnv): Promise<never> {
  const write = { site, user: stored, role: account.siteRole, signal: env.signal, log: env.log };
  const reason = await explainRoleMismatch(write, stored.siteRole, env.directory);
  let removed = false;
  try {
    await site.client.removeUser(stored.id, { signal: env.signal });
    removed = true;
  } catch (err) {
    env.log.error({ err, userId: stored.id }, 'removing the account created with the wrong role failed');
  }
  throw failedPrecondition(
    `Tableau created ${account.username} as ${stored.siteRole} instead of ${account.siteRole}: ${reason}; ` +
      (removed ? 'the new account was removed again' : `the account ${stored.id} is left as ${stored.siteRole}`),
  );
}

/** Dry run: answer with the calls that would create the user (it does not exist). */
function planAccount(account: AccountRequest, site: SiteRef, env: OpEnv, poolCall?: PlannedCall): CreateAccountResponse {
  const attrs = Object.entries(addUserInput(account)).map(([k, v]) => `${k}=${v}`);
  const planned: PlannedCall[] = [calls.addUser(site.id, attrs.join(' '))];
  const patch = Object.entries(profilePatch(account)).map(([k, v]) => `${k}=${v}`);
  if (patch.length > 0) planned.push(calls.updateUser(site.id, '{new user id}', patch.join(' ')));
  if (poolCall) planned.push(poolCall);
  env.log.info({ dryRun: true, calls: planned }, 'dry run: would create an account');
  env.audit.finish('created', account.siteRole);
  return { actionRequired: { message: 'dry run: nothing was created', isCreateAccountResult: true }, annotations: [dryRunAnnotation(planned, `create ${account.username} as ${account.siteRole}`)] };
}
