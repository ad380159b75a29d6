/**
 * The RPCs we serve, each bound to its ConnectorApi method, and the grpc-js definitions built from
 * the protobufjs reflection of our .proto files (serialize = encode, deserialize = decode), so the
 * server and the client helper cannot disagree on paths or message types.
 */
import type * as grpc from '@grpc/grpc-js';
import { decode, encode, serviceMethods } from '../../proto/index.js';
import type { ConnectorApi } from '../connector/api.js';

const PACKAGE = 'c1.connector.v2';

/** One RPC and the ConnectorApi method answering it. */
export interface MethodBinding {
  service: string;
  method: string;
  api: keyof ConnectorApi;
  /** Mutating calls, served only when provisioning is enabled. */
  provisioning: boolean;
}

/** Every c1.connector.v2 RPC this connector serves and the ConnectorApi method behind it. */
export const METHOD_BINDINGS: readonly MethodBinding[] = [
  { service: 'ConnectorService', method: 'GetMetadata', api: 'getMetadata', provisioning: false },
  { service: 'ConnectorService', method: 'Validate', api: 'validate', provisioning: false },
  { service: 'ConnectorService', method: 'Cleanup', api: 'cleanup', provisioning: false },
  { service: 'ResourceTypesService', method: 'ListResourceTypes', api: 'listResourceTypes', provisioning: false },
  { service: 'ResourcesService', method: 'ListResources', api: 'listResources', provisioning: false },
  { service: 'ResourceGetterService', method: 'GetResource', api: 'getResource', provisioning: false },
  { service: 'EntitlementsService', method: 'ListEntitlements', api: 'listEntitlements', provisioning: false },
  { service: 'EntitlementsService', method: 'ListStaticEntitlements', api: 'listStaticEntitlements', provisioning: false },
  { service: 'GrantsService', method: 'ListGrants', api: 'listGrants', provisioning: false },
  { service: 'GrantManagerService', method: 'Grant', api: 'grant', provisioning: true },
  { service: 'GrantManagerService', method: 'Revoke', api: 'revoke', provisioning: true },
  { service: 'AccountManagerService', method: 'CreateAccount', api: 'createAccount', provisioning: true },
  { service: 'ResourceManagerService', method: 'DeleteResource', api: 'deleteResource', provisioning: true },
  { service: 'ResourceDeleterService', method: 'DeleteResourceV2', api: 'deleteResourceV2', provisioning: true },
];

/** A bound RPC with its wire definition. */
export interface BoundMethod extends MethodBinding {
  /** Full message names, e.g. `c1.connector.v2.GrantsServiceListGrantsRequest`. */
  requestType: string;
  responseType: string;
  /**
   * grpc-js definition. Responses may be given already encoded (a Buffer): the server adapter
   * encodes inside its own error handling and checks the size before grpc-js sees the message.
   */
  definition: grpc.MethodDefinition<object, object>;
}

/** protobufjs already returns a Buffer under Node; wrap (never copy) anything else. */
export const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function bind(binding: MethodBinding): BoundMethod {
  const fullService = fullServiceName(binding.service);
  const found = serviceMethods(fullService).find((m) => m.name === binding.method);
  if (!found) throw new Error(`${fullService}/${binding.method} is not in our .proto files`);
  const { requestType, responseType } = found;
  return { ...binding, requestType, responseType, definition: definitionOf(found.path, binding.method, requestType, responseType) };
}

function definitionOf(path: string, method: string, requestType: string, responseType: string): grpc.MethodDefinition<object, object> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    originalName: method,
    requestSerialize: (msg: object) => asBuffer(encode(requestType, msg)),
    requestDeserialize: (bytes: Buffer) => decode<object>(requestType, bytes),
    responseSerialize: (msg: object) => (Buffer.isBuffer(msg) ? msg : asBuffer(encode(responseType, msg))),
    responseDeserialize: (bytes: Buffer) => decode<object>(responseType, bytes),
  };
}

let bound: BoundMethod[] | undefined;

/** Every RPC we serve, with definitions (built once). */
export function boundMethods(): BoundMethod[] {
  bound ??= METHOD_BINDINGS.map(bind);
  return bound;
}

/** Full service name, e.g. `c1.connector.v2.GrantsService`. */
export const fullServiceName = (service: string): string => `${PACKAGE}.${service}`;
