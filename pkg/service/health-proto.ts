/**
 * `grpc.health.v1.Health` (the standard gRPC health-checking protocol), declared in code so it ships
 * inside dist/ without a .proto file. Field numbers and enum values are those of grpc/health/v1/health.proto.
 */
import protobuf from 'protobufjs';
import type * as grpc from '@grpc/grpc-js';

/** HealthCheckResponse.ServingStatus. */
export const ServingStatus = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;
export type ServingStatusValue = (typeof ServingStatus)[keyof typeof ServingStatus];

export interface HealthCheckRequest {
  service?: string;
}
export interface HealthCheckResponse {
  status: ServingStatusValue;
}

/** The protobufjs JSON form of grpc/health/v1/health.proto. */
export const HEALTH_PROTO_JSON: protobuf.INamespace = {
  nested: {
    grpc: {
      nested: {
        health: {
          nested: {
            v1: {
              nested: {
                HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
                HealthCheckResponse: {
                  fields: { status: { type: 'ServingStatus', id: 1 } },
                  nested: { ServingStatus: { values: { ...ServingStatus } } },
                },
                Health: {
                  methods: {
                    Check: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse' },
                    Watch: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse', responseStream: true },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const healthRoot = protobuf.Root.fromJSON(HEALTH_PROTO_JSON);
const requestType = healthRoot.lookupType('grpc.health.v1.HealthCheckRequest');
const responseType = healthRoot.lookupType('grpc.health.v1.HealthCheckResponse');

const serializeResponse = (msg: HealthCheckResponse): Buffer => Buffer.from(responseType.encode(msg).finish());
const deserializeRequest = (bytes: Buffer): HealthCheckRequest =>
  requestType.toObject(requestType.decode(bytes), { defaults: true }) as HealthCheckRequest;
const serializeRequest = (msg: HealthCheckRequest): Buffer => Buffer.from(requestType.encode(msg).finish());
const deserializeResponse = (bytes: Buffer): HealthCheckResponse =>
  responseType.toObject(responseType.decode(bytes), { defaults: true, enums: Number }) as HealthCheckResponse;

const common = {
  requestSerialize: serializeRequest,
  requestDeserialize: deserializeRequest,
  responseSerialize: serializeResponse,
  responseDeserialize: deserializeResponse,
  requestStream: false,
} as const;

/** grpc-js service definition of grpc.health.v1.Health (also usable with makeGenericClientConstructor). */
export const healthServiceDefinition = {
  check: { ...common, path: '/grpc.health.v1.Health/Check', responseStream: false, originalName: 'Check' },
  watch: { ...common, path: '/grpc.health.v1.Health/Watch', responseStream: true, originalName: 'Watch' },
} satisfies grpc.ServiceDefinition;
