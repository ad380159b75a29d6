/**
 * gRPC server reflection (so grpcurl / Postman can call the service without .proto files).
 * `@grpc/reflection` wants a proto-loader package definition; it only reads `fileDescriptorProtos`,
 * so we build those from our own .proto files with protobufjs's descriptor extension.
 */
import { isAbsolute, join } from 'node:path';
import { ReflectionService } from '@grpc/reflection';
import type * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import descriptorExt from 'protobufjs/ext/descriptor.js';
import { protoRoot } from '../../proto/index.js';
import { HEALTH_PROTO_JSON } from './health-proto.js';

const MARKER = 'c1/connector/v2/connector.proto';

interface FileDescriptor {
  name: string;
  dependency: string[];
  messageType: MessageDescriptor[];
  service: { method: { inputType: string; outputType: string }[] }[];
  package?: string;
}
interface MessageDescriptor {
  name: string;
  field: { typeName?: string }[];
  nestedType: MessageDescriptor[];
  enumType: { name: string }[];
}

/**
 * Our .proto files loaded again with their original snake_case field names (the codec's root
 * camelCases them), so reflection shows the same names as the Baton SDK's protos.
 */
function reflectionRoot(): protobuf.Root {
  const files = protoRoot().files.filter((f) => isAbsolute(f));
  const main = files.find((f) => f.endsWith(`/${MARKER}`));
  if (!main) throw new Error('Baton .proto files not found for reflection');
  const dir = main.slice(0, -MARKER.length);
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(dir, target));
  root.loadSync(files, { keepCase: true });
  protobuf.Root.fromJSON(HEALTH_PROTO_JSON, root);
  root.resolveAll();
  return root;
}

/** Every fully-qualified type a file declares (without a leading dot). */
function declaredTypes(file: FileDescriptor): string[] {
  const names: string[] = [];
  const visit = (scope: string, msg: MessageDescriptor): void => {
    const full = `${scope}.${msg.name}`;
    names.push(full, ...msg.enumType.map((e) => `${full}.${e.name}`));
    msg.nestedType.forEach((nested) => visit(full, nested));
  };
  file.messageType.forEach((msg) => visit(file.package ?? '', msg));
  return names.map((name) => name.replace(/^\./, ''));
}

function referencedTypes(file: FileDescriptor): string[] {
  const refs: string[] = [];
  const visit = (msg: MessageDescriptor): void => {
    msg.field.forEach((f) => f.typeName && refs.push(f.typeName));
    msg.nestedType.forEach(visit);
  };
  file.messageType.forEach(visit);
  file.service.forEach((s) => s.method.forEach((m) => refs.push(m.inputType, m.outputType)));
  return refs;
}

/**
 * protobufjs leaves `dependency` empty when it builds descriptors; reflection clients (grpcurl)
 * need it to resolve cross-file types, so we fill it in from the type references.
 */
function linkDependencies(files: FileDescriptor[]): void {
  const owner = new Map<string, string>();
  for (const file of files) for (const name of declaredTypes(file)) owner.set(name, file.name);
  // protobufjs writes references fully qualified but without the leading dot; accept both forms.
  const ownerOf = (ref: string, pkg: string): string | undefined => owner.get(ref.replace(/^\./, '')) ?? owner.get(`${pkg}.${ref}`);
  for (const file of files) {
    const refs = referencedTypes(file).map((ref) => ownerOf(ref, file.package ?? ''));
    const deps = new Set(refs.filter((n): n is string => !!n && n !== file.name));
    file.dependency = [...deps].sort();
  }
}

/** Adds grpc.reflection.v1 and v1alpha to the server, describing every service we register. */
export function addReflection(server: grpc.Server): void {
  const set = (reflectionRoot() as unknown as { toDescriptor(syntax: string): { file: FileDescriptor[] } }).toDescriptor('proto3');
  linkDependencies(set.file);
  const encoded = set.file.map((file) => Buffer.from(descriptorExt.FileDescriptorProto.encode(file as never).finish()));
  const packageDefinition = { 'baton-tableau': { fileDescriptorProtos: encoded } };
  new ReflectionService(packageDefinition as unknown as ConstructorParameters<typeof ReflectionService>[0]).addToServer(server);
}
