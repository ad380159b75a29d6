/**
 * grant, revoke, create_account and delete_resource tasks: the same connector call the gRPC server
 * makes (pkg/server's callConnector: the `-p` gate, the request rules, then the ConnectorApi), with
 * the response packed for FinishTask. Failures are non-retryable, as in the SDK: a provisioning
 * request that failed once is ConductorOne's to decide about, not ours to repeat.
 */
import type { Task } from '../../../proto/baton-service.js';
import { packAny } from '../../../proto/index.js';
import type { Any } from '../../../proto/types.js';
import type { ConnectorApi } from '../../connector/api.js';
import type { CallCtx } from '../../connector/types.js';
import { callConnector } from '../../server/adapter.js';
import { boundMethods, type BoundMethod } from '../../server/methods.js';
import { errorOutcome, type TaskOutcome } from './task-outcome.js';

/** The provisioning task types and the connector call each one makes. */
const PROVISIONING_TASKS = {
  grant: { api: 'grant', request: (t: Task) => ({ entitlement: t.grant?.entitlement, principal: t.grant?.principal, annotations: t.grant?.annotations ?? [] }) },
  revoke: { api: 'revoke', request: (t: Task) => ({ grant: t.revoke?.grant, annotations: t.revoke?.annotations ?? [] }) },
  createAccount: {
    api: 'createAccount',
    request: (t: Task) => ({
      accountInfo: t.createAccount?.accountInfo,
      credentialOptions: t.createAccount?.credentialOptions,
      encryptionConfigs: t.createAccount?.encryptionConfigs ?? [],
      resourceTypeId: t.createAccount?.resourceTypeId ?? '',
    }),
  },
  // The SDK's delete_resource task calls DeleteResource (ResourceManagerService), not the V2 service.
  deleteResource: { api: 'deleteResource', request: (t: Task) => ({ resourceId: t.deleteResource?.resourceId, parentResourceId: t.deleteResource?.parentResourceId }) },
} as const satisfies Record<string, { api: keyof ConnectorApi; request: (t: Task) => object }>;

export type ProvisioningTaskType = keyof typeof PROVISIONING_TASKS;

export function isProvisioningTask(type: string): type is ProvisioningTaskType {
  return Object.hasOwn(PROVISIONING_TASKS, type);
}

function methodFor(api: keyof ConnectorApi): BoundMethod {
  const method = boundMethods().find((m) => m.api === api);
  if (!method) throw new Error(`no RPC is bound to ${api}`);
  return method;
}

/** Runs one provisioning task through the connector; never throws. */
export async function runProvisioningTask(
  type: ProvisioningTaskType,
  task: Task,
  api: ConnectorApi,
  ctx: CallCtx,
  provisioning: boolean,
): Promise<TaskOutcome> {
  const spec = PROVISIONING_TASKS[type];
  const method = methodFor(spec.api);
  try {
    const response = ((await callConnector(api, method, spec.request(task), ctx, { provisioning })) ?? {}) as { annotations?: Any[] };
    // §5.5: the response's annotations are also copied into FinishTask.success.annotations.
    return { kind: 'success', response: packAny(method.responseType, response), annotations: response.annotations ?? [] };
  } catch (err) {
    ctx.log.debug({ err }, 'provisioning task failed');
    return errorOutcome(err, true);
  }
}
