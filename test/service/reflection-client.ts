/** A minimal grpc.reflection.v1 client for tests (messages declared by hand from reflection.proto). */
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import descriptorExt from 'protobufjs/ext/descriptor.js';

const root = protobuf.Root.fromJSON({
  nested: {
    Req: {
      oneofs: { messageRequest: { oneof: ['fileContainingSymbol', 'listServices'] } },
      fields: { host: { type: 'string', id: 1 }, fileContainingSymbol: { type: 'string', id: 4 }, listServices: { type: 'string', id: 7 } },
    },
    Res: {
      fields: {
        fileDescriptorResponse: { type: 'FileDescriptorResponse', id: 4 },
        listServicesResponse: { type: 'ListServiceResponse', id: 6 },
        errorResponse: { type: 'ErrorResponse', id: 7 },
      },
    },
    FileDescriptorResponse: { fields: { fileDescriptorProto: { rule: 'repeated', type: 'bytes', id: 1 } } },
    ListServiceResponse: { fields: { service: { rule: 'repeated', type: 'ServiceResponse', id: 1 } } },
    ServiceResponse: { fields: { name: { type: 'string', id: 1 } } },
    ErrorResponse: { fields: { errorCode: { type: 'int32', id: 1 }, errorMessage: { type: 'string', id: 2 } } },
  },
});
const Req = root.lookupType('Req');
const Res = root.lookupType('Res');

interface ReflectionResponse {
  fileDescriptorResponse?: { fileDescriptorProto: Uint8Array[] };
  listServicesResponse?: { service: { name: string }[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}

/** Sends one reflection request on a fresh stream and returns the single response. */
export function reflect(address: string, request: { listServices?: string; fileContainingSymbol?: string }, metadata = new grpc.Metadata()): Promise<ReflectionResponse> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise<ReflectionResponse>((resolve, reject) => {
    const call = client.makeBidiStreamRequest(
      '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
      (msg: object) => Buffer.from(Req.encode(Req.fromObject(msg)).finish()),
      (bytes: Buffer) => Res.toObject(Res.decode(bytes), { defaults: false }) as ReflectionResponse,
      metadata,
      { deadline: Date.now() + 5_000 },
    );
    call.on('data', (res: ReflectionResponse) => {
      resolve(res);
      call.cancel();
    });
    call.on('error', (err: grpc.ServiceError) => {
      if (err.code !== grpc.status.CANCELLED) reject(err);
    });
    call.write(request);
    call.end();
  }).finally(() => client.close());
}

/** Decodes FileDescriptorProto bytes into a plain object. */
export function decodeFileDescriptor(bytes: Uint8Array): { name: string; dependency?: string[]; messageType?: { name: string; field?: { name: string }[] }[] } {
  const type = descriptorExt.FileDescriptorProto;
  return type.toObject(type.decode(bytes)) as never;
}
