/**
 * TypeScript shapes of the Baton protobuf messages we use, as protobufjs plain objects (camelCase
 * fields, enums as numbers, int64 as number, bytes as Uint8Array, oneof members as optional fields).
 * These are what `encode` accepts and `decode` returns (proto/index.ts).
 *
 * The shapes are generated from the .proto files by protobufjs's CLI into ./generated/baton.d.ts
 * (`npm run proto:types`; a test fails when it is stale): `<Message>.$Shape` there. This module and
 * its siblings give them the short names the rest of the code imports. Enum-typed fields carry the
 * generated TS enum type, which plain numbers and our constant objects (./types-enums.ts) satisfy.
 * Oneof members are declared `| null` (protobufjs's typing of virtual oneofs); decode never sets null.
 *
 * proto3 has no required fields, so almost every field is optional: a decoded message omits fields
 * that hold their default value (empty string, 0, false, empty list). Read with `?? ''` / `?? []`.
 *
 * Naming: types carry the proto message name; nested messages are `<Outer>_<Inner>`
 * (e.g. `UserTrait_Email`). Enum constant objects carry the proto enum name, or a clearer name for
 * nested enums: `Trait` (ResourceType.Trait), `ResourceStatus` (Status.ResourceStatus),
 * `UserTraitStatus` (UserTrait.Status.Status), `AccountType` (UserTrait.AccountType),
 * `EntitlementPurpose` (Entitlement.PurposeValue), `RateLimitStatus` (RateLimitDescription.Status).
 * `google.rpc.Status` is `RpcStatus` here, because `Status` is c1.connector.v2.Status.
 */
export * from './types-enums.js';
export * from './types-annotations.js';
export * from './types-services.js';

import type { c1, google } from './generated/baton.js';

/**
 * google.protobuf.Any. `value` is the encoded message named by `typeUrl`; both are always present
 * (the loader's normalizeAny, mirrored in the generated declaration).
 */
export type Any = google.protobuf.Any.$Shape;
/** google.protobuf.Struct: a JSON object (see toStruct / fromStruct). */
export type Struct = google.protobuf.Struct.$Shape;
/** google.protobuf.Value: exactly one member is set. `nullValue` is 0 (NULL_VALUE). */
export type Value = google.protobuf.Value.$Shape;
/** google.protobuf.ListValue. */
export type ListValue = google.protobuf.ListValue.$Shape;
/**
 * google.protobuf.Timestamp (seconds since the Unix epoch, UTC; like any default, 0 is omitted on decode).
 * `seconds` is required here so the timestamps we build always say when.
 */
export type Timestamp = google.protobuf.Timestamp.$Shape & { seconds: number };
/** google.protobuf.Duration. */
export type Duration = google.protobuf.Duration.$Shape;
/** google.rpc.Status: the payload of the `grpc-status-details-bin` trailer. */
export type RpcStatus = google.rpc.Status.$Shape;
/** c1.connector.v2.AssetRef. */
export type AssetRef = c1.connector.v2.AssetRef.$Shape;
/** c1.connector.v2.ResourceType. `traits` holds `Trait` values. */
export type ResourceType = c1.connector.v2.ResourceType.$Shape;
/** c1.connector.v2.ResourceId: the (type, id) pair every Baton object is keyed by. */
export type ResourceId = c1.connector.v2.ResourceId.$Shape;
/** c1.connector.v2.Status (resource status). `status` holds a `ResourceStatus` value. */
export type Status = c1.connector.v2.Status.$Shape;
/** c1.connector.v2.ExternalId (deprecated upstream; kept for completeness). */
export type ExternalId = c1.connector.v2.ExternalId.$Shape;
/** c1.connector.v2.Resource. Traits (UserTrait, GroupTrait...) travel in `annotations`. */
export type Resource = c1.connector.v2.Resource.$Shape;
/** c1.connector.v2.Entitlement. `purpose` holds an `EntitlementPurpose` value. */
export type Entitlement = c1.connector.v2.Entitlement.$Shape;
/** c1.connector.v2.GrantSources.GrantSource. */
export type GrantSources_GrantSource = c1.connector.v2.GrantSources.GrantSource.$Shape;
/** c1.connector.v2.GrantSources: entitlement id → source. */
export type GrantSources = c1.connector.v2.GrantSources.$Shape;
/** c1.connector.v2.Grant: `principal` holds `entitlement`. */
export type Grant = c1.connector.v2.Grant.$Shape;
