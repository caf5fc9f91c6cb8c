// ONNX export (opset 13), encoded by protobufjs with the part of onnx.proto it needs.
// Tensors stay channels-last (NHWC) between layers, as in Keras; convolutions and pooling
// transpose to ONNX's NCHW around themselves, so Flatten and Reshape see Keras's order.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Layer } from '../../src/layers/layer.js';
import type { Model } from '../../src/models/index.js';
import { writeFileAtomic } from '../fs/write-atomic.js';
import {
  AttributeType as A,
  DataType,
  encodeModel,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './onnx-schema.js';

export const ONNX_OPSET = 13;

function attr(name: string, value: number | number[] | string, float = false): AttributeProto {
  if (typeof value === 'string')
    return { name, type: A.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: A.INTS, ints: value };
  return float ? { name, type: A.FLOAT, f: value } : { name, type: A.INT, i: value };
}

/** Builds one graph: unique tensor names, initializers, nodes in order. */
class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private count = 0;

  fresh(hint: string): string {
    return `${hint}:${this.count++}`;
  }

  constant(name: string, values: ArrayLike<number>, dims: number[], int64 = false): string {
    const tensor: TensorProto = int64
      ? { name, dims, dataType: DataType.INT64, int64Data: Array.from(values) }
      : {
          name,
          dims,
          dataType: DataType.FLOAT,
          rawData: new Uint8Array(Float32Array.from(values).buffer),
        };
    this.initializers.push(tensor);
    return name;
  }

  op(opType: string, inputs: string[], hint: string, attributes: AttributeProto[] = []): string {
    const out = this.fresh(hint);
    this.nodes.push({ opType, input: inputs, output: [out], name: out, attribute: attributes });
    return out;
  }
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** An activation by Keras name, applied to `x`. */
function activation(g: GraphBuilder, name: string, x: string, hint: string): string {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return g.op('Relu', [x], hint);
    case 'relu6':
      return g.op(
        'Clip',
        [x, g.constant(g.fresh('zero'), [0], []), g.constant(g.fresh('six'), [6], [])],
        hint,
      );
    case 'sigmoid':
      return g.op('Sigmoid', [x], hint);
    case 'tanh':
      return g.op('Tanh', [x], hint);
    case 'softplus':
      return g.op('Softplus', [x], hint);
    case 'softmax':
      return g.op('Softmax', [x], hint, [attr('axis', -1)]);
    case 'elu':
      return g.op('Elu', [x], hint, [attr('alpha', 1, true)]);
    case 'leaky_relu':
      return g.op('LeakyRelu', [x], hint, [attr('alpha', 0.2, true)]);
    default:
      throw new Error(`ONNX export: activation '${name}' is not supported.`);
  }
}

function weight(layer: Layer, name: string): { data: Float32Array; shape: number[] } {
  const v = layer.weights.find((w) => w.name === `${layer.name}/${name}`);
  if (!v) throw new Error(`ONNX export: layer '${layer.name}' has no weight '${name}'.`);
  return { data: Float32Array.from(v.values), shape: [...v.shape] };
}

/** [kh, kw, in, out] (Keras) -> [out, in, kh, kw] (ONNX). */
function kernelToOihw(k: { data: Float32Array; shape: number[] }): {
  data: Float32Array;
  shape: number[];
} {
  const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
  const out = new Float32Array(k.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++)
          out[((o * cin + i) * kh + y) * kw + x] = k.data[((y * kw + x) * cin + i) * cout + o]!;
  return { data: out, shape: [cout, cin, kh, kw] };
}

function pads(padding: string): AttributeProto {
  // TensorFlow's 'same' puts the odd pixel at the end, which is ONNX's SAME_UPPER.
  return padding === 'same' ? attr('auto_pad', 'SAME_UPPER') : attr('auto_pad', 'VALID');
}

/**
 * TensorFlow's 'same' / 'valid' as explicit pads [top, left, bottom, right] from the built input
 * size: ONNX Runtime rejects auto_pad SAME with dilations.
 */
function explicitPads(layer: Layer, c: Record<string, unknown>): AttributeProto {
  const shape = layer.buildInputShape as (number | null)[] | undefined;
  const [kh, kw] = c['kernelSize'] as [number, number];
  const [sh, sw] = c['strides'] as [number, number];
  const [dh, dw] = c['dilationRate'] as [number, number];
  const axis = (size: number | null | undefined, k: number, s: number, d: number) => {
    if (c['padding'] !== 'same') return [0, 0];
    if (typeof size !== 'number')
      throw new Error(`ONNX export: layer '${layer.name}' needs a known input size.`);
    const out = Math.ceil(size / s);
    const total = Math.max(0, (out - 1) * s + (k - 1) * d + 1 - size);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const [top, bottom] = axis(shape?.[1], kh, sh, dh);
  const [left, right] = axis(shape?.[2], kw, sw, dw);
  return attr('pads', [top!, left!, bottom!, right!]);
}

/** Emits one call of `layer` on `inputs`; returns its output tensor name. */
function emitLayer(g: GraphBuilder, layer: Layer, inputs: string[]): string {
  const c = layer.getConfig() as Record<string, unknown>;
  const n = layer.name;
  const [x] = inputs as [string];
  switch (layer.className) {
    case 'Dense': {
      const k = weight(layer, 'kernel');
      let y = g.op('MatMul', [x, g.constant(`${n}/kernel`, k.data, k.shape)], n);
      if (c['useBias']) {
        const b = weight(layer, 'bias');
        y = g.op('Add', [y, g.constant(`${n}/bias`, b.data, b.shape)], n);
      }
      return activation(g, c['activation'] as string, y, n);
    }
    case 'Conv2D': {
      const k = kernelToOihw(weight(layer, 'kernel'));
      const ins = [
        g.op('Transpose', [x], n, [attr('perm', TO_NCHW)]),
        g.constant(`${n}/kernel`, k.data, k.shape),
      ];
      if (c['useBias']) {
        const b = weight(layer, 'bias');
        ins.push(g.constant(`${n}/bias`, b.data, b.shape));
      }
      const y = g.op('Conv', ins, n, [
        attr('kernel_shape', [k.shape[2]!, k.shape[3]!]),
        attr('strides', c['strides'] as number[]),
        attr('dilations', c['dilationRate'] as number[]),
        pads(c['padding'] as string),
      ]);
      return activation(
        g,
        c['activation'] as string,
        g.op('Transpose', [y], n, [attr('perm', TO_NHWC)]),
        n,
      );
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      // Depthwise: a grouped Conv, one group per input channel (its filters adjacent, TF's order).
      const dk = weight(layer, 'depthwise_kernel');
      const [kh, kw, cin, mult] = dk.shape as [number, number, number, number];
      const oihw = new Float32Array(dk.data.length);
      for (let p = 0; p < kh * kw; p++)
        for (let o = 0; o < cin * mult; o++) oihw[o * kh * kw + p] = dk.data[p * cin * mult + o]!;
      const ins = [
        g.op('Transpose', [x], n, [attr('perm', TO_NCHW)]),
        g.constant(`${n}/depthwise_kernel`, oihw, [cin * mult, 1, kh, kw]),
      ];
      const separable = layer.className === 'SeparableConv2D';
      if (c['useBias'] && !separable) {
        const b = weight(layer, 'bias');
        ins.push(g.constant(`${n}/bias`, b.data, b.shape));
      }
      let y = g.op('Conv', ins, n, [
        attr('group', cin),
        attr('kernel_shape', [kh, kw]),
        attr('strides', c['strides'] as number[]),
        attr('dilations', c['dilationRate'] as number[]),
        explicitPads(layer, c),
      ]);
      if (separable) {
        // Then the pointwise 1x1 conv, which carries the bias.
        const pk = kernelToOihw(weight(layer, 'pointwise_kernel'));
        const pins = [y, g.constant(`${n}/pointwise_kernel`, pk.data, pk.shape)];
        if (c['useBias']) {
          const b = weight(layer, 'bias');
          pins.push(g.constant(`${n}/bias`, b.data, b.shape));
        }
        y = g.op('Conv', pins, n, [attr('kernel_shape', [1, 1])]);
      }
      return activation(
        g,
        c['activation'] as string,
        g.op('Transpose', [y], n, [attr('perm', TO_NHWC)]),
        n,
      );
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const t = g.op('Transpose', [x], n, [attr('perm', TO_NCHW)]);
      const common = [
        attr('kernel_shape', c['poolSize'] as number[]),
        attr('strides', c['strides'] as number[]),
        pads(c['padding'] as string),
      ];
      // Keras averages over the window's pixels inside the image only.
      const y =
        layer.className === 'MaxPooling2D'
          ? g.op('MaxPool', [t], n, common)
          : g.op('AveragePool', [t], n, [...common, attr('count_include_pad', 0)]);
      return g.op('Transpose', [y], n, [attr('perm', TO_NHWC)]);
    }
    case 'GlobalAveragePooling2D':
      return g.op('ReduceMean', [x], n, [
        attr('axes', [1, 2]),
        attr('keepdims', c['keepdims'] ? 1 : 0),
      ]);
    case 'BatchNormalization': {
      // Inference form, folded: y = x * gamma / sqrt(var + eps) + (beta - mean * that).
      const axis = c['axis'] as number;
      const rank = layer.buildInputShape ? (layer.buildInputShape as unknown[]).length : 0;
      if (axis !== -1 && axis !== rank - 1)
        throw new Error(
          `ONNX export: BatchNormalization '${n}' on axis ${axis} is not supported (last axis only).`,
        );
      const mean = weight(layer, 'moving_mean').data;
      const variance = weight(layer, 'moving_variance').data;
      const gamma = c['scale']
        ? weight(layer, 'gamma').data
        : new Float32Array(mean.length).fill(1);
      const beta = c['center'] ? weight(layer, 'beta').data : new Float32Array(mean.length);
      const eps = c['epsilon'] as number;
      const scale = new Float32Array(mean.length);
      const shift = new Float32Array(mean.length);
      for (let i = 0; i < mean.length; i++) {
        scale[i] = gamma[i]! / Math.sqrt(variance[i]! + eps);
        shift[i] = beta[i]! - mean[i]! * scale[i]!;
      }
      const y = g.op('Mul', [x, g.constant(`${n}/scale`, scale, [mean.length])], n);
      return g.op('Add', [y, g.constant(`${n}/shift`, shift, [mean.length])], n);
    }
    case 'Activation':
      return activation(g, c['activation'] as string, x, n);
    case 'LeakyReLU':
      return g.op('LeakyRelu', [x], n, [attr('alpha', c['negativeSlope'] as number, true)]);
    case 'ELU':
      return g.op('Elu', [x], n, [attr('alpha', c['alpha'] as number, true)]);
    case 'Softmax':
      return g.op('Softmax', [x], n, [attr('axis', c['axis'] as number)]);
    case 'Flatten':
      return g.op('Flatten', [x], n, [attr('axis', 1)]);
    case 'Reshape': {
      const target = c['targetShape'] as number[];
      return g.op(
        'Reshape',
        [x, g.constant(`${n}/shape`, [0, ...target], [target.length + 1], true)],
        n,
      );
    }
    case 'Dropout':
    // Augmentation acts in training only: at inference each of these is the identity.
    case 'RandomTranslation':
    case 'RandomRotation':
    case 'RandomZoom':
    case 'RandomFlip':
    case 'RandomContrast':
      return g.op('Identity', [x], n);
    case 'Concatenate':
      return g.op('Concat', inputs, n, [attr('axis', c['axis'] as number)]);
    case 'Add':
      return inputs.length === 2 ? g.op('Add', inputs, n) : g.op('Sum', inputs, n);
    default:
      throw new Error(`ONNX export: layer '${n}' of class ${layer.className} is not supported.`);
  }
}

type Ref = [string, number, number];
interface GraphLayer {
  className: string;
  name: string;
  inboundNodes: { inputs: Ref[] }[];
}

function valueInfo(name: string, shape: readonly (number | null)[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DataType.FLOAT,
        shape: { dim: shape.map((d) => (d === null ? { dimParam: 'batch' } : { dimValue: d })) },
      },
    },
  };
}

/** The ONNX ModelProto bytes of a Sequential or functional model (inference). */
export function toOnnx(model: Model): Uint8Array {
  if (!model.built) throw new Error(`ONNX export: model '${model.name}' is not built yet.`);
  const topology = model.toJSON();
  const g = new GraphBuilder();
  const produced = new Map<string, string>(); // `${layer}/${node}/${tensor}` -> tensor name
  const inputs: ValueInfoProto[] = [];
  let outputRefs: Ref[];
  if (topology.className === 'Sequential') {
    const first = model.inputs[0];
    if (!first) throw new Error(`ONNX export: model '${model.name}' has no known input shape.`);
    inputs.push(valueInfo('input', first.shape));
    let x = 'input';
    for (const layer of model.layers) x = emitLayer(g, layer, [x]);
    produced.set('out/0/0', x);
    outputRefs = [['out', 0, 0]];
  } else {
    const config = topology.config as unknown as {
      layers: GraphLayer[];
      inputLayers: Ref[];
      outputLayers: Ref[];
    };
    for (const [name] of config.inputLayers) {
      const t = model.inputs.find((s) => s.sourceLayer.name === name)!;
      inputs.push(valueInfo(name, t.shape));
      produced.set(`${name}/0/0`, name);
    }
    for (const l of config.layers) {
      if (l.className === 'InputLayer') continue;
      const layer = model.getLayer(l.name);
      l.inboundNodes.forEach((node, ni) => {
        const names = node.inputs.map(([ln, nn, tn]) => produced.get(`${ln}/${nn}/${tn}`)!);
        produced.set(`${l.name}/${ni}/0`, emitLayer(g, layer, names));
      });
    }
    outputRefs = config.outputLayers;
  }
  const outputs = outputRefs.map((r, i) => {
    const name = outputRefs.length === 1 ? 'output' : `output_${i}`;
    g.nodes.push({ opType: 'Identity', input: [produced.get(r.join('/'))!], output: [name], name });
    const shape = model.outputs[i]?.shape ?? [null];
    return valueInfo(name, shape);
  });
  return encodeModel({
    irVersion: 7,
    producerName: 'mnist-lab',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: model.name,
      node: g.nodes,
      initializer: g.initializers,
      input: inputs,
      output: outputs,
    },
  });
}

/** Writes `model` as an ONNX file (atomically: a temporary file, then a rename). */
export async function exportOnnx(model: Model, path: string): Promise<void> {
  const bytes = toOnnx(model);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, bytes);
}
