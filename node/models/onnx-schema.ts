// The part of ONNX's onnx.proto (IR version 7, proto2) the exporter writes, parsed by protobufjs.
// Names and field numbers are onnx.proto's; messages and fields the exporter never sets are left
// out (an unset field is simply absent on the wire, so the bytes are those of the full schema).
import protobuf from 'protobufjs';

const ONNX_PROTO = `
syntax = "proto2";
package onnx;

message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5;
    FLOATS = 6; INTS = 7; STRINGS = 8; TENSORS = 9; GRAPHS = 10;
  }
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
  enum DataType { UNDEFINED = 0; FLOAT = 1; INT64 = 7; }
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

const root = protobuf.parse(ONNX_PROTO).root;
const modelType = root.lookupType('onnx.ModelProto');

/** onnx.proto's enums, by name, as the schema above declares them. */
export const AttributeType = root.lookupEnum('onnx.AttributeProto.AttributeType').values as Record<
  'FLOAT' | 'INT' | 'STRING' | 'INTS',
  number
>;
export const DataType = root.lookupEnum('onnx.TensorProto.DataType').values as Record<
  'FLOAT' | 'INT64',
  number
>;

/** The wire bytes of one ModelProto; throws on a field the schema does not allow. */
export function encodeModel(model: ModelProto): Uint8Array {
  const problem = modelType.verify(model);
  if (problem) throw new Error(`ONNX export: invalid ModelProto (${problem}).`);
  return modelType.encode(modelType.fromObject(model)).finish();
}
