/**
 * Hand-written TypeScript shapes of the Baton protobuf messages we use, as protobufjs plain objects
 * (camelCase fields, enums as numbers, int64 as number, bytes as Uint8Array, oneof members as plain
 * optional fields). These are what `encode` accepts and `decode` returns (proto/index.ts).
 *
 * proto3 has no required fields, so almost every field is optional: a decoded message omits fields
 * that hold their default value (empty string, 0, false, empty list). Read with `?? ''` / `?? []`.
 *
 * Naming: interfaces carry the proto message name; nested messages are `<Outer>_<Inner>`
 * (e.g. `UserTrait_Email`). Enum constant objects carry the proto enum name, or a clearer name for
 * nested enums: `Trait` (ResourceType.Trait), `ResourceStatus` (Status.ResourceStatus),
 * `UserTraitStatus` (UserTrait.Status.Status), `AccountType` (UserTrait.AccountType),
 * `EntitlementPurpose` (Entitlement.PurposeValue), `RateLimitStatus` (RateLimitDescription.Status).
 * `google.rpc.Status` is `RpcStatus` here, because `Status` is c1.connector.v2.Status.
 */
export * from './types-enums.js';
export * from './types-annotations.js';
export * from './types-services.js';

/** google.protobuf.Any. `value` is the encoded message named by `typeUrl`. */
export interface Any {
  typeUrl: string;
  value: Uint8Array;
}

/** google.protobuf.Struct: a JSON object (see toStruct / fromStruct). */
export interface Struct {
  fields?: { [key: string]: Value };
}

/** google.protobuf.Value: exactly one member is set. `nullValue` is 0 (NULL_VALUE). */
export interface Value {
  nullValue?: number;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: Struct;
  listValue?: ListValue;
}

/** google.protobuf.ListValue. */
export interface ListValue {
  values?: Value[];
}

/** google.protobuf.Timestamp (seconds since the Unix epoch, UTC; like any default, 0 is omitted on decode). */
export interface Timestamp {
  seconds: number;
  nanos?: number;
}

/** google.protobuf.Duration. */
export interface Duration {
  seconds?: number;
  nanos?: number;
}

/** google.rpc.Status: the payload of the `grpc-status-details-bin` trailer. */
export interface RpcStatus {
  code?: number;
  message?: string;
  details?: Any[];
}

/** c1.connector.v2.AssetRef. */
export interface AssetRef {
  id?: string;
}

/** c1.connector.v2.ResourceType. `traits` holds `Trait` values. */
export interface ResourceType {
  id?: string;
  displayName?: string;
  traits?: number[];
  annotations?: Any[];
  description?: string;
  sourcedExternally?: boolean;
}

/** c1.connector.v2.ResourceId: the (type, id) pair every Baton object is keyed by. */
export interface ResourceId {
  resourceType?: string;
  resource?: string;
  batonResource?: boolean;
}

/** c1.connector.v2.Status (resource status). `status` holds a `ResourceStatus` value. */
export interface Status {
  status?: number;
  details?: string;
}

/** c1.connector.v2.ExternalId (deprecated upstream; kept for completeness). */
export interface ExternalId {
  id?: string;
  link?: string;
  description?: string;
}

/** c1.connector.v2.Resource. Traits (UserTrait, GroupTrait...) travel in `annotations`. */
export interface Resource {
  id?: ResourceId;
  parentResourceId?: ResourceId;
  displayName?: string;
  annotations?: Any[];
  description?: string;
  batonResource?: boolean;
  externalId?: ExternalId;
  creationSource?: number;
  profile?: Struct;
  icon?: AssetRef;
  status?: Status;
  createdAt?: Timestamp;
}

/** c1.connector.v2.Entitlement. `purpose` holds an `EntitlementPurpose` value. */
export interface Entitlement {
  resource?: Resource;
  id?: string;
  displayName?: string;
  description?: string;
  grantableTo?: ResourceType[];
  annotations?: Any[];
  purpose?: number;
  slug?: string;
}

/** c1.connector.v2.GrantSources.GrantSource. */
export interface GrantSources_GrantSource {
  isDirect?: boolean;
}

/** c1.connector.v2.GrantSources: entitlement id → source. */
export interface GrantSources {
  sources?: { [entitlementId: string]: GrantSources_GrantSource };
}

/** c1.connector.v2.Grant: `principal` holds `entitlement`. */
export interface Grant {
  entitlement?: Entitlement;
  principal?: Resource;
  id?: string;
  sources?: GrantSources;
  annotations?: Any[];
}
