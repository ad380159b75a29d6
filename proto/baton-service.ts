/**
 * The grpc-js definition of ConductorOne's BatonService (c1.connectorapi.baton.v1), built from the
 * protobufjs reflection of baton.proto like pkg/server's connector services: serialize = encode,
 * deserialize = decode. The same definition serves a server (`server.addService(def, impl)`) and a
 * client (`grpc.makeGenericClientConstructor(def, 'BatonService')` or `client.makeUnaryRequest`),
 * so both sides of a test agree on paths, message types and streaming by construction.
 */
import type * as grpc from '@grpc/grpc-js';
import { decode, encode, protoRoot } from './index.js';
import { BATON_SERVICE } from './types-baton.js';

export * from './types-baton.js';

/** BatonService method names, as in `definition[name]` and grpc-js handler maps. */
export type BatonMethod = 'Hello' | 'GetTask' | 'GetTasks' | 'Heartbeat' | 'FinishTask' | 'UploadAsset' | 'StartDebugging';

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

let definition: grpc.ServiceDefinition | undefined;

/** BatonService's grpc-js ServiceDefinition (UploadAsset is client-streaming, the rest unary); built once. */
export function batonServiceDefinition(): grpc.ServiceDefinition {
  if (definition) return definition;
  const service = protoRoot().lookupService(BATON_SERVICE);
  const out: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const m of service.methodsArray) {
    m.resolve();
    const requestType = m.resolvedRequestType!.fullName.slice(1);
    const responseType = m.resolvedResponseType!.fullName.slice(1);
    out[m.name] = {
      path: `/${BATON_SERVICE}/${m.name}`,
      requestStream: Boolean(m.requestStream),
      responseStream: Boolean(m.responseStream),
      originalName: m.name,
      requestSerialize: (msg: object) => asBuffer(encode(requestType, msg)),
      requestDeserialize: (bytes: Buffer) => decode<object>(requestType, bytes),
      responseSerialize: (msg: object) => asBuffer(encode(responseType, msg)),
      responseDeserialize: (bytes: Buffer) => decode<object>(responseType, bytes),
    };
  }
  definition = out;
  return out;
}

/** One BatonService method's definition, e.g. for `client.makeUnaryRequest(def.path, ...)`. */
export function batonMethod(name: BatonMethod): grpc.MethodDefinition<object, object> {
  const found = batonServiceDefinition()[name];
  if (!found) throw new Error(`${BATON_SERVICE}/${name} is not in baton.proto`);
  return found as grpc.MethodDefinition<object, object>;
}
