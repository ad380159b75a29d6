/**
 * The one-shot provisioning modes of the default command (Baton SDK flag names): `--grant-entitlement`,
 * `--revoke-grant`, `--create-account-*` and `--delete-resource`. Ids are resolved against live
 * Tableau, the request goes through the same ConnectorApi the gRPC server serves, and the response is
 * printed on stdout as one line of protojson. Failures: a line on stderr and exit 1.
 */
import type { ProvisioningAction } from '../pkg/config/config.js';
import type { ConnectorApi } from '../pkg/connector/api.js';
import type { CallCtx } from '../pkg/connector/types.js';
import { scrubSecrets } from '../pkg/log/redact.js';
import { EXIT_FAILURE, EXIT_OK, writeText, type CommandContext } from './command.js';
import { connectTableau } from '../pkg/compose/tableau-connection.js';
import { protoJsonFromObject } from './protojson.js';
import { createAccountRequest, entitlementById, grantById, resourceById } from './provisioning-targets.js';
import { describeSyncFailure } from './sync-failure.js';

/** A response and the full name of its message type (for the protojson output). */
interface ActionResult {
  messageType: string;
  response: object;
}

const V2 = 'c1.connector.v2.';

async function perform(api: ConnectorApi, action: ProvisioningAction, ctx: CallCtx): Promise<ActionResult> {
  switch (action.kind) {
    case 'grant': {
      const entitlement = await entitlementById(api, action.entitlementId, ctx);
      const principal = await resourceById(api, action.principalType, action.principalId, ctx);
      return { messageType: `${V2}GrantManagerServiceGrantResponse`, response: await api.grant({ entitlement, principal }, ctx) };
    }
    case 'revoke': {
      const grant = await grantById(api, action.grantId, ctx);
      return { messageType: `${V2}GrantManagerServiceRevokeResponse`, response: await api.revoke({ grant }, ctx) };
    }
    case 'create-account':
      return { messageType: `${V2}CreateAccountResponse`, response: await api.createAccount(createAccountRequest(action), ctx) };
    case 'delete-resource': {
      const resourceId = { resourceType: action.resourceType, resource: action.resourceId };
      return { messageType: `${V2}DeleteResourceResponse`, response: await api.deleteResource({ resourceId }, ctx) };
    }
  }
}

/** Runs one provisioning action against Tableau; returns the exit code. */
export async function runProvisioningAction(ctx: CommandContext, action: ProvisioningAction): Promise<number> {
  const { config } = ctx;
  const settings = config.tableau;
  if (!settings) throw new Error(`${action.kind} needs --server-path and credentials`);
  const log = ctx.log.child({ step: action.kind });
  const tableau = connectTableau(settings, log, {
    pageConcurrency: config.concurrency,
    ...(config.provisioning ? { provisioning: config.provisioning } : {}),
  });
  try {
    const { api } = tableau;
    const { messageType, response } = await perform(api, action, { signal: ctx.signal, log, syncId: '' });
    await writeText(ctx.stdout, `${JSON.stringify(protoJsonFromObject(messageType, response))}\n`);
    return EXIT_OK;
  } catch (err) {
    log.debug({ err }, `${action.kind} failed`);
    const reason = ctx.signal.aborted ? 'interrupted' : describeSyncFailure(err, settings.credentials.kind);
    ctx.stderr.write(`baton-tableau: ${action.kind} failed: ${scrubSecrets(reason, config.secrets)}\n`);
    return EXIT_FAILURE;
  } finally {
    await tableau.close();
  }
}
