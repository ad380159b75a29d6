/**
 * Shapes of the c1.connectorapi.baton.v1 messages (ConductorOne's BatonService, called by a
 * connector in service mode), as protobufjs plain objects like ./types.ts. Shapes are generated
 * (./generated/baton.d.ts), task payloads we never run included: a connector only needs to see that
 * one is set to answer "unsupported task type".
 */
import type { c1 } from './generated/baton.js';

/** Full name of the service, e.g. for `serviceMethods`. */
export const BATON_SERVICE = 'c1.connectorapi.baton.v1.BatonService';
/** The package prefix of every message below, e.g. `${BATON_PACKAGE}.Task`. */
export const BATON_PACKAGE = 'c1.connectorapi.baton.v1';

type TaskStatusEnum = c1.connectorapi.baton.v1.Task.Status;
/** c1.connectorapi.baton.v1.Task.Status (names without the `STATUS_` prefix). */
export const TaskStatus = {
  UNSPECIFIED: 0, PENDING: 1, SCHEDULED: 2, RUNNING: 3, FINISHED: 4,
} as const satisfies Record<string, TaskStatusEnum>;

/** Task.SyncFullTask: run a full sync and upload the c1z. */
export type Task_SyncFullTask = c1.connectorapi.baton.v1.Task.SyncFullTask.$Shape;
/** Task.GrantTask */
export type Task_GrantTask = c1.connectorapi.baton.v1.Task.GrantTask.$Shape;
/** Task.RevokeTask */
export type Task_RevokeTask = c1.connectorapi.baton.v1.Task.RevokeTask.$Shape;
/** Task.CreateAccountTask */
export type Task_CreateAccountTask = c1.connectorapi.baton.v1.Task.CreateAccountTask.$Shape;
/** Task.DeleteResourceTask */
export type Task_DeleteResourceTask = c1.connectorapi.baton.v1.Task.DeleteResourceTask.$Shape;
/** Task.NoneTask / Task.HelloTask and the other annotation-only payloads. */
export type Task_AnnotatedTask = c1.connectorapi.baton.v1.Task.HelloTask.$Shape;

/** c1.connectorapi.baton.v1.Task: `id` is 27 alphanumerics; at most one payload member is set. */
export type Task = c1.connectorapi.baton.v1.Task.$Shape;

/** The names of Task's `task_type` oneof members (camelCase, as decoded). */
export type TaskType = NonNullable<Task['taskType']>;

/** Every `task_type` member, in field-number order (100..123). */
export const TASK_TYPES: readonly TaskType[] = [
  'none', 'hello', 'syncFull', 'grant', 'revoke', 'createAccount', 'createResource', 'deleteResource',
  'rotateCredentials', 'eventFeed', 'createTicketTask', 'listTicketSchemas', 'getTicket', 'bulkCreateTickets',
  'bulkGetTickets', 'actionListSchemas', 'actionGetSchema', 'actionInvoke', 'actionStatus', 'createSyncDiff',
  'compactSyncs', 'listEventFeeds', 'listEvents', 'issueCredential',
];

/** BatonServiceHelloRequest.BuildInfo */
export type HelloBuildInfo = c1.connectorapi.baton.v1.BatonServiceHelloRequest.BuildInfo.$Shape;
/** BatonServiceHelloRequest.OSInfo */
export type HelloOSInfo = c1.connectorapi.baton.v1.BatonServiceHelloRequest.OSInfo.$Shape;
/** BatonServiceHelloRequest: host id 1..256 chars; task id empty or the hello task answered. */
export type BatonServiceHelloRequest = c1.connectorapi.baton.v1.BatonServiceHelloRequest.$Shape;
/** Responses carrying only annotations (Hello, UploadAsset, FinishTask). */
export type BatonServiceAnnotatedResponse = c1.connectorapi.baton.v1.BatonServiceHelloResponse.$Shape;
/** BatonServiceGetTaskRequest */
export type BatonServiceGetTaskRequest = c1.connectorapi.baton.v1.BatonServiceGetTaskRequest.$Shape;
/** BatonServiceGetTaskResponse: no `task` means nothing to do before `nextPoll`. */
export type BatonServiceGetTaskResponse = c1.connectorapi.baton.v1.BatonServiceGetTaskResponse.$Shape;
/** BatonServiceHeartbeatRequest (single `taskId`, or the batch `taskIds`). */
export type BatonServiceHeartbeatRequest = c1.connectorapi.baton.v1.BatonServiceHeartbeatRequest.$Shape;
/** BatonServiceHeartbeatResponse: `cancelled` = stop the task and report nothing. */
export type BatonServiceHeartbeatResponse = c1.connectorapi.baton.v1.BatonServiceHeartbeatResponse.$Shape;
/** One message of the UploadAsset client stream: metadata first, data chunks (≤ 1 MiB), then eof. */
export type BatonServiceUploadAssetRequest = c1.connectorapi.baton.v1.BatonServiceUploadAssetRequest.$Shape;
/** BatonServiceFinishTaskRequest: exactly one of `success` / `error`. */
export type BatonServiceFinishTaskRequest = c1.connectorapi.baton.v1.BatonServiceFinishTaskRequest.$Shape;
