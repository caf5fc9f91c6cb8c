// The part of ONNX's onnx.proto (IR version 7, proto2) the exporter writes, parsed by protobufjs.
// Names and field numbers are onnx.proto's; messages and fields the exporter never sets are left
// out (an unset field is simply absent on the wire, so the bytes are those of the full schema).
import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';

/** onnx.proto's enum values the exporter uses (fixed by the ONNX spec). */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;
export const DataType = { FLOAT: 1, INT64: 7 } as const;

const members = (e: Record<string, number>): string =>
  Object.entries(e)
    .map(([name, value]) => `${name} = ${value};`)
    .join(' ');

const ONNX_PROTO = `
syntax = "proto2";
package onnx;

message AttributeProto {
  enum AttributeType { UNDEFINED = 0; ${members(AttributeType)} }
  optional string name = 1;
  optional AttributeType type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  repeated float floats = 7;
  repeated int64 ints = 8;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
}

message TensorProto {
  enum DataType { UNDEFINED = 0; ${members(DataType)} }
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional bytes raw_data = 9;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}

message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional GraphProto graph = 7;
}
`;

// The messages as plain objects, in protobufjs's camelCase spelling of onnx.proto's fields.
export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  ints?: number[];
}
export interface NodeProto {
  opType: string;
  input: string[];
  output: string[];
  name: string;
  attribute?: AttributeProto[];
}
export interface TensorProto {
  name: string;
  dims: number[];
  dataType: number;
  int64Data?: number[];
  rawData?: Uint8Array;
}
export interface ValueInfoProto {
  name: string;
  type: {
    tensorType: {
      elemType: number;
      shape: { dim: ({ dimValue: number } | { dimParam: string })[] };
    };
  };
}
export interface ModelProto {
  irVersion: number;
  producerName: string;
  producerVersion?: string;
  opsetImport: { domain: string; version: number }[];
  graph: {
    name: string;
    node: NodeProto[];
    initializer: TensorProto[];
    input: ValueInfoProto[];
    output: ValueInfoProto[];
  };
}

// Loaded and parsed on the first export, not when the library is imported (toOnnx is synchronous,
// hence require rather than import()).
const require = createRequire(import.meta.url);
let modelType: Protobuf.Type | undefined;

/** The wire bytes of one ModelProto; throws on a field the schema does not allow. */
export function encodeModel(model: ModelProto): Uint8Array {
  modelType ??= (require('protobufjs') as typeof Protobuf)
    .parse(ONNX_PROTO)
    .root.lookupType('onnx.ModelProto');
  const problem = modelType.verify(model);
  if (problem) throw new Error(`ONNX export: invalid ModelProto (${problem}).`);
  return modelType.encode(modelType.fromObject(model)).finish();
}
