/**
 * The fake's BatonService handlers: authentication against the issued tokens, the request
 * constraints, the task queue, the records, and injected faults.
 */
import * as grpc from '@grpc/grpc-js';
import type {
  BatonServiceFinishTaskRequest, BatonServiceGetTaskRequest, BatonServiceHeartbeatRequest, BatonServiceHelloRequest,
} from '../../../proto/baton-service.js';
import { RpcError, durationOf, type HandlerContext } from './handler-context.js';
import { receiveUpload } from './upload-receiver.js';
import { annotationsProblem, helloProblem, hostIdProblem, taskIdProblem } from './validation.js';

const invalid = (problem: string | undefined): void => {
  if (problem) throw new RpcError(grpc.status.INVALID_ARGUMENT, problem);
};

/** Counts the call, then answers an injected fault or a missing/unknown token, if any. */
export function gate(ctx: HandlerContext, method: string, metadata: grpc.Metadata): RpcError | undefined {
  ctx.records.calls.set(method, ctx.records.count(method) + 1);
  const userAgent = metadata.get('user-agent')[0];
  if (userAgent) ctx.records.userAgents.add(String(userAgent));
  const fault = ctx.faults.takeCallFault(method);
  if (fault !== undefined) {
    ctx.records.faulted++;
    return new RpcError(fault, 'injected fault');
  }
  const header = String(metadata.get('authorization')[0] ?? '');
  const token = /^bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!token || !ctx.store.clientOf(token)) {
    ctx.records.unauthenticated++;
    return new RpcError(grpc.status.UNAUTHENTICATED, token ? 'access token unknown, expired or revoked' : 'no bearer access token');
  }
  return undefined;
}

function knownTask(ctx: HandlerContext, taskId: string | undefined) {
  invalid(taskIdProblem(taskId));
  const entry = ctx.queue.byId.get(taskId!);
  if (!entry) throw new RpcError(grpc.status.NOT_FOUND, `no task ${taskId}`);
  return entry;
}

function hello(ctx: HandlerContext, req: BatonServiceHelloRequest): object {
  invalid(helloProblem(req));
  if (req.taskId) knownTask(ctx, req.taskId);
  ctx.records.hellos.push({ request: req, at: Date.now() });
  // Answering a hello task is its whole handling: there is no FinishTask for it.
  if (req.taskId) ctx.queue.finish(req.taskId);
  return {};
}

function getTask(ctx: HandlerContext, req: BatonServiceGetTaskRequest): object {
  invalid(hostIdProblem(req.hostId));
  const task = ctx.queue.next();
  return { ...(task ? { task } : {}), nextPoll: durationOf(ctx.nextPollMs()), nextHeartbeat: durationOf(ctx.nextHeartbeatMs()) };
}

function getTasks(ctx: HandlerContext, req: { hostId?: string; pageSize?: number }): object {
  invalid(hostIdProblem(req.hostId));
  const pageSize = req.pageSize ?? 0;
  if (pageSize < 1 || pageSize > 100) invalid('page_size must be 1..100');
  const tasks = [];
  for (let task = ctx.queue.next(); task; task = tasks.length < pageSize ? ctx.queue.next() : undefined) tasks.push(task);
  return { tasks, nextPoll: durationOf(ctx.nextPollMs()), nextHeartbeat: durationOf(ctx.nextHeartbeatMs()) };
}

function heartbeat(ctx: HandlerContext, req: BatonServiceHeartbeatRequest): object {
  invalid(hostIdProblem(req.hostId) ?? annotationsProblem(req.annotations));
  for (const id of req.taskIds ?? []) invalid(taskIdProblem(id));
  const entry = knownTask(ctx, req.taskId);
  const cancelled = entry.state === 'cancelled';
  ctx.records.heartbeats.push({ taskId: req.taskId!, answeredCancelled: cancelled, at: Date.now() });
  return { nextHeartbeat: durationOf(ctx.nextHeartbeatMs()), ...(cancelled ? { cancelled: true, cancelledTaskIds: [req.taskId!] } : {}) };
}

function finishTask(ctx: HandlerContext, req: BatonServiceFinishTaskRequest): object {
  invalid(hostIdProblem(req.hostId));
  knownTask(ctx, req.taskId);
  if (Boolean(req.error) === Boolean(req.success)) invalid('exactly one of error / success is required');
  invalid(annotationsProblem((req.error ?? req.success)?.annotations));
  ctx.records.finishes.push({ taskId: req.taskId!, request: req, at: Date.now() });
  ctx.queue.finish(req.taskId!);
  return {};
}

type Handle<Req> = (ctx: HandlerContext, req: Req) => object;

function unary<Req>(ctx: HandlerContext, method: string, handle: Handle<Req>): grpc.handleUnaryCall<Req, object> {
  return (call, callback) => {
    const refused = gate(ctx, method, call.metadata);
    if (refused) return callback({ code: refused.code, details: refused.message });
    try {
      callback(null, handle(ctx, call.request));
    } catch (err) {
      const e = err instanceof RpcError ? err : new RpcError(grpc.status.INTERNAL, String(err));
      callback({ code: e.code, details: e.message });
    } finally {
      ctx.records.changed();
    }
  };
}

/** The handler map for `server.addService(batonServiceDefinition(), ...)`. */
export function batonHandlers(ctx: HandlerContext): grpc.UntypedServiceImplementation {
  return {
    Hello: unary(ctx, 'Hello', hello),
    GetTask: unary(ctx, 'GetTask', getTask),
    GetTasks: unary(ctx, 'GetTasks', getTasks),
    Heartbeat: unary(ctx, 'Heartbeat', heartbeat),
    FinishTask: unary(ctx, 'FinishTask', finishTask),
    StartDebugging: unary(ctx, 'StartDebugging', () => ({ status: false })),
    UploadAsset: (call: grpc.ServerReadableStream<object, object>, callback: grpc.sendUnaryData<object>) => {
      const refused = gate(ctx, 'UploadAsset', call.metadata);
      if (refused) {
        ctx.records.changed();
        return callback({ code: refused.code, details: refused.message });
      }
      receiveUpload(ctx, call, callback);
    },
  };
}
