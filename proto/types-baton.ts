/**
 * Shapes of the c1.connectorapi.baton.v1 messages (ConductorOne's BatonService, called by a
 * connector in service mode), as protobufjs plain objects like ./types.ts. Task payloads we never
 * run (tickets, actions, event feeds, credential rotation...) are typed loosely: a connector only
 * needs to see that one is set to answer "unsupported task type".
 */
import type {
  AccountInfo, Any, ConnectorMetadata, CredentialOptions, Duration, EncryptionConfig, Entitlement, Grant,
  Resource, ResourceId, RpcStatus,
} from './types.js';

/** Full name of the service, e.g. for `serviceMethods`. */
export const BATON_SERVICE = 'c1.connectorapi.baton.v1.BatonService';
/** The package prefix of every message below, e.g. `${BATON_PACKAGE}.Task`. */
export const BATON_PACKAGE = 'c1.connectorapi.baton.v1';

/** c1.connectorapi.baton.v1.Task.Status */
export const TaskStatus = { UNSPECIFIED: 0, PENDING: 1, SCHEDULED: 2, RUNNING: 3, FINISHED: 4 } as const;

/** Task.SyncFullTask: run a full sync and upload the c1z. */
export interface Task_SyncFullTask {
  annotations?: Any[];
  skipExpandGrants?: boolean;
  skipEntitlementsAndGrants?: boolean;
  targetedSyncResources?: Resource[];
  syncResourceTypeIds?: string[];
  skipGrants?: boolean;
  storageEngine?: string;
}

/** Task.GrantTask */
export interface Task_GrantTask {
  entitlement?: Entitlement;
  principal?: Resource;
  annotations?: Any[];
  duration?: Duration;
}

/** Task.RevokeTask */
export interface Task_RevokeTask {
  grant?: Grant;
  annotations?: Any[];
}

/** Task.CreateAccountTask */
export interface Task_CreateAccountTask {
  accountInfo?: AccountInfo;
  credentialOptions?: CredentialOptions;
  encryptionConfigs?: EncryptionConfig[];
  resourceTypeId?: string;
}

/** Task.DeleteResourceTask */
export interface Task_DeleteResourceTask {
  resourceId?: ResourceId;
  parentResourceId?: ResourceId;
}

/** Task.NoneTask / Task.HelloTask and the other annotation-only payloads. */
export interface Task_AnnotatedTask {
  annotations?: Any[];
}

/** The names of Task's `task_type` oneof members (camelCase, as decoded). */
export type TaskType =
  | 'none' | 'hello' | 'syncFull' | 'grant' | 'revoke' | 'createAccount' | 'createResource' | 'deleteResource'
  | 'rotateCredentials' | 'eventFeed' | 'createTicketTask' | 'listTicketSchemas' | 'getTicket'
  | 'bulkCreateTickets' | 'bulkGetTickets' | 'actionListSchemas' | 'actionGetSchema' | 'actionInvoke'
  | 'actionStatus' | 'createSyncDiff' | 'compactSyncs' | 'listEventFeeds' | 'listEvents' | 'issueCredential';

/** Every `task_type` member, in field-number order (100..123). */
export const TASK_TYPES: readonly TaskType[] = [
  'none', 'hello', 'syncFull', 'grant', 'revoke', 'createAccount', 'createResource', 'deleteResource',
  'rotateCredentials', 'eventFeed', 'createTicketTask', 'listTicketSchemas', 'getTicket', 'bulkCreateTickets',
  'bulkGetTickets', 'actionListSchemas', 'actionGetSchema', 'actionInvoke', 'actionStatus', 'createSyncDiff',
  'compactSyncs', 'listEventFeeds', 'listEvents', 'issueCredential',
];

/** c1.connectorapi.baton.v1.Task: `id` is 27 alphanumerics; at most one payload member is set. */
export interface Task {
  id?: string;
  status?: number;
  debug?: boolean;
  none?: Task_AnnotatedTask;
  hello?: Task_AnnotatedTask;
  syncFull?: Task_SyncFullTask;
  grant?: Task_GrantTask;
  revoke?: Task_RevokeTask;
  createAccount?: Task_CreateAccountTask;
  createResource?: { resource?: Resource };
  deleteResource?: Task_DeleteResourceTask;
  /** Payloads we do not run, kept loose (see the module comment). */
  rotateCredentials?: object;
  eventFeed?: object;
  createTicketTask?: object;
  listTicketSchemas?: object;
  getTicket?: object;
  bulkCreateTickets?: object;
  bulkGetTickets?: object;
  actionListSchemas?: object;
  actionGetSchema?: object;
  actionInvoke?: object;
  actionStatus?: object;
  createSyncDiff?: object;
  compactSyncs?: object;
  listEventFeeds?: object;
  listEvents?: object;
  issueCredential?: object;
}

/** BatonServiceHelloRequest.BuildInfo */
export interface HelloBuildInfo {
  langVersion?: string;
  package?: string;
  packageVersion?: string;
}

/** BatonServiceHelloRequest.OSInfo */
export interface HelloOSInfo {
  hostname?: string;
  os?: string;
  platform?: string;
  platformVersion?: string;
  platformFamily?: string;
  kernelVersion?: string;
  kernelArch?: string;
  virtualizationSystem?: string;
}

/** BatonServiceHelloRequest: host id 1..256 chars; task id empty or the hello task answered. */
export interface BatonServiceHelloRequest {
  hostId?: string;
  taskId?: string;
  buildInfo?: HelloBuildInfo;
  osInfo?: HelloOSInfo;
  connectorMetadata?: ConnectorMetadata;
  annotations?: Any[];
}

/** Responses carrying only annotations (Hello, UploadAsset, FinishTask). */
export interface BatonServiceAnnotatedResponse {
  annotations?: Any[];
}

/** BatonServiceGetTaskRequest */
export interface BatonServiceGetTaskRequest {
  hostId?: string;
}

/** BatonServiceGetTaskResponse: no `task` means nothing to do before `nextPoll`. */
export interface BatonServiceGetTaskResponse {
  task?: Task;
  nextPoll?: Duration;
  nextHeartbeat?: Duration;
  annotations?: Any[];
}

/** BatonServiceHeartbeatRequest (single `taskId`, or the batch `taskIds`). */
export interface BatonServiceHeartbeatRequest {
  hostId?: string;
  taskId?: string;
  annotations?: Any[];
  taskIds?: string[];
}

/** BatonServiceHeartbeatResponse: `cancelled` = stop the task and report nothing. */
export interface BatonServiceHeartbeatResponse {
  nextHeartbeat?: Duration;
  cancelled?: boolean;
  annotations?: Any[];
  cancelledTaskIds?: string[];
}

/** One message of the UploadAsset client stream: metadata first, data chunks (≤ 1 MiB), then eof. */
export interface BatonServiceUploadAssetRequest {
  metadata?: { hostId?: string; taskId?: string; annotations?: Any[] };
  data?: { data?: Uint8Array };
  eof?: { sha256Checksum?: Uint8Array; annotations?: Any[] };
}

/** BatonServiceFinishTaskRequest: exactly one of `success` / `error`. */
export interface BatonServiceFinishTaskRequest {
  hostId?: string;
  taskId?: string;
  status?: RpcStatus;
  error?: { nonRetryable?: boolean; annotations?: Any[]; response?: Any };
  success?: { annotations?: Any[]; response?: Any };
}
