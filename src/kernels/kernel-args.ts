/**
 * The argument schema of every kernel, beside its signature in backend.ts: the compiler checks
 * each schema against its signature (one spec per parameter, of the parameter's kind), and
 * `KERNEL_ARGS` must name every kernel. Backends that call compiled code (native, wasm) derive
 * their argument marshalling from it (marshal.ts), and native/entries.h reads the flattened
 * arguments in the same order.
 */
import {
  BINARY_OPS,
  EPILOGUES,
  FILL_MODES,
  INTERPOLATIONS,
  REDUCE_OPS,
  type ConvGeometry,
  type FloatArray,
  type GemmOptions,
  type Kernels,
  type KernelName,
  type OptimizerUpdate,
  type PoolGeometry,
} from './backend.js';
import { UNARY_OPS, unaryParams } from './unary-ops.js';

/** Float arrays: read, written, or both (the direction decides what a wasm call copies). */
export interface FloatSpec {
  kind: 'in' | 'out' | 'inout';
  name: string;
  /** May be absent (passed as null). */
  optional?: true;
}
export interface Int32Spec {
  kind: 'i32in' | 'i32out';
  name: string;
  /** May be absent (passed as null). */
  optional?: true;
}
/** FloatArray | Int32Array: dense or sparse labels (read). */
export interface LabelsSpec {
  kind: 'labels';
  name: string;
}
/** FloatArray | number (read). */
export interface ScaleSpec {
  kind: 'scale';
  name: string;
}
export interface NumberSpec {
  kind: 'number' | 'uint32';
  name: string;
  /** Sent when the argument is absent (a math identity such as alpha = 1, never a Keras default). */
  default?: number;
}
export interface BoolSpec {
  kind: 'bool';
  name: string;
}
/** A member of a closed list, sent as the code the compiled side gives that name. */
export interface EnumSpec<T extends string> {
  kind: 'enum';
  name: string;
  /** Which code list of the compiled side (native/kernels.h) holds the members. */
  list: CodeList;
  members: readonly T[];
  /** Sent when the argument is absent. */
  default?: T;
}
/** A list of small integers (a shape, a permutation), sent as an Int32Array. */
export interface IntsSpec {
  kind: 'ints';
  name: string;
}
/** An object of integer fields, sent as one Int32Array in `keys` order. */
export interface GeometrySpec<T> {
  kind: 'geometry';
  name: string;
  keys: readonly (keyof T)[];
}
/** An options object, flattened into its fields in declaration order. */
export interface OptionsSpec<T> {
  kind: 'options';
  name: string;
  fields: { [K in keyof T]-?: SpecFor<NonNullable<T[K]>> };
}
/** An optimizer step: its kind's code, then up to 6 numeric fields (OPTIMIZER_FIELDS). */
export interface UpdateSpec {
  kind: 'update';
  name: string;
}
/** A list of up to 3 state arrays, updated in place, sent as 3 arrays or nulls. */
export interface SlotsSpec {
  kind: 'slots';
  name: string;
}
/** A list of float arrays (one per parameter), sent as the list itself. */
export interface ListSpec {
  kind: 'list';
  name: string;
  /** How each array is used. */
  each: 'in' | 'inout';
}
/** One list of slot arrays per parameter (each as SlotsSpec's), sent as the nested lists. */
export interface SlotListsSpec {
  kind: 'slotLists';
  name: string;
}

/** The code lists the compiled side exports (addon `opNames`, wasm `mln_op_names`). */
export type CodeList =
  'unary' | 'binary' | 'reduce' | 'epilogue' | 'optimizer' | 'fillMode' | 'interpolation';

type Is<T, U> = [T] extends [U] ? ([U] extends [T] ? true : false) : false;

/** The spec kinds allowed for a parameter of type T. */
export type SpecFor<T> =
  Is<T, FloatArray> extends true
    ? FloatSpec
    : Is<T, Int32Array> extends true
      ? Int32Spec
      : Is<T, FloatArray | Int32Array> extends true
        ? LabelsSpec
        : Is<T, FloatArray | number> extends true
          ? ScaleSpec
          : Is<T, number> extends true
            ? NumberSpec
            : Is<T, boolean> extends true
              ? BoolSpec
              : Is<T, readonly number[]> extends true
                ? IntsSpec
                : Is<T, FloatArray[]> extends true
                  ? SlotsSpec | ListSpec
                  : Is<T, FloatArray[][]> extends true
                    ? SlotListsSpec
                    : Is<T, OptimizerUpdate> extends true
                      ? UpdateSpec
                      : Is<T, ConvGeometry> extends true
                        ? GeometrySpec<ConvGeometry>
                        : Is<T, PoolGeometry> extends true
                          ? GeometrySpec<PoolGeometry>
                          : Is<T, GemmOptions> extends true
                            ? OptionsSpec<GemmOptions>
                            : [T] extends [string]
                              ? EnumSpec<T>
                              : never;

/** One spec per parameter of F, in order. */
export type ArgsFor<F> = F extends (...args: infer P) => void
  ? { [I in keyof P]-?: SpecFor<NonNullable<P[I]>> }
  : never;

export type Spec =
  | FloatSpec
  | Int32Spec
  | LabelsSpec
  | ScaleSpec
  | NumberSpec
  | BoolSpec
  | EnumSpec<string>
  | IntsSpec
  | GeometrySpec<ConvGeometry>
  | GeometrySpec<PoolGeometry>
  | OptionsSpec<GemmOptions>
  | UpdateSpec
  | SlotsSpec
  | ListSpec
  | SlotListsSpec;

const f = (kind: FloatSpec['kind'], name: string): FloatSpec => ({ kind, name });
const num = (name: string, dflt?: number): NumberSpec =>
  dflt === undefined ? { kind: 'number', name } : { kind: 'number', name, default: dflt };
/** Required numbers (dimensions, counts), as a tuple so each keeps its position. */
function dims<const N extends readonly string[]>(...names: N): { [I in keyof N]: NumberSpec } {
  return names.map((n) => num(n)) as { [I in keyof N]: NumberSpec };
}

// prettier-ignore
const CONV_KEYS = [
  'n', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'kH', 'kW', 'strideH', 'strideW', 'dilationH',
  'dilationW', 'padTop', 'padLeft',
] as const satisfies readonly (keyof ConvGeometry)[];
// prettier-ignore
const POOL_KEYS = [
  'n', 'inH', 'inW', 'c', 'outH', 'outW', 'poolH', 'poolW', 'strideH', 'strideW', 'padTop', 'padLeft',
] as const satisfies readonly (keyof PoolGeometry)[];
const conv: GeometrySpec<ConvGeometry> = { kind: 'geometry', name: 'geometry', keys: CONV_KEYS };
const pool: GeometrySpec<PoolGeometry> = { kind: 'geometry', name: 'geometry', keys: POOL_KEYS };
const rowsCols = dims('rows', 'cols');

export { OPTIMIZER_FIELDS, OPTIMIZER_KINDS, UPDATE_FIELDS } from './optimizer-kernels.js';

/** Every kernel's arguments; the compiler checks each against the kernel's signature. */
export const KERNEL_ARGS: { [K in KernelName]: ArgsFor<Kernels[K]> } = {
  gemm: [
    ...dims('m', 'n', 'k'),
    f('in', 'a'),
    f('in', 'b'),
    f('inout', 'c'),
    {
      kind: 'options',
      name: 'opts',
      fields: {
        transA: { kind: 'bool', name: 'transA' },
        transB: { kind: 'bool', name: 'transB' },
        alpha: num('alpha', 1),
        beta: num('beta', 0),
        bias: { kind: 'in', name: 'bias', optional: true },
        activation: {
          kind: 'enum',
          name: 'activation',
          list: 'epilogue',
          members: EPILOGUES,
          default: 'linear',
        },
      },
    },
  ],
  unary: [
    { kind: 'enum', name: 'op', list: 'unary', members: UNARY_OPS },
    f('in', 'x'),
    f('out', 'out'),
    num('param', 0),
    num('param2', 0),
  ],
  unaryGrad: [
    { kind: 'enum', name: 'op', list: 'unary', members: UNARY_OPS },
    f('in', 'x'),
    f('in', 'y'),
    f('in', 'dy'),
    f('out', 'dx'),
    num('param', 0),
    num('param2', 0),
  ],
  binary: [
    { kind: 'enum', name: 'op', list: 'binary', members: BINARY_OPS },
    f('in', 'a'),
    { kind: 'ints', name: 'aShape' },
    f('in', 'b'),
    { kind: 'ints', name: 'bShape' },
    f('out', 'out'),
    { kind: 'ints', name: 'outShape' },
  ],
  reduce: [
    { kind: 'enum', name: 'op', list: 'reduce', members: REDUCE_OPS },
    f('in', 'x'),
    ...dims('outer', 'axis', 'inner'),
    f('out', 'out'),
  ],
  argmax: [f('in', 'x'), ...dims('outer', 'axis', 'inner'), { kind: 'i32out', name: 'out' }],
  transpose: [
    f('in', 'x'),
    { kind: 'ints', name: 'shape' },
    { kind: 'ints', name: 'perm' },
    f('out', 'out'),
  ],
  softmax: [f('in', 'x'), ...rowsCols, f('out', 'out')],
  logSoftmax: [f('in', 'x'), ...rowsCols, f('out', 'out')],
  softmaxGrad: [f('in', 'y'), f('in', 'dy'), ...rowsCols, f('out', 'dx')],
  softmaxCrossEntropy: [
    f('in', 'logits'),
    { kind: 'labels', name: 'labels' },
    ...rowsCols,
    f('out', 'loss'),
    f('out', 'probs'),
  ],
  softmaxCrossEntropyGrad: [
    f('in', 'probs'),
    { kind: 'labels', name: 'labels' },
    ...rowsCols,
    { kind: 'scale', name: 'scale' },
    f('out', 'dlogits'),
  ],
  dropoutMask: [num('rate'), { kind: 'uint32', name: 'seed' }, f('out', 'mask')],
  conv2d: [
    f('in', 'x'),
    f('in', 'w'),
    conv,
    f('out', 'y'),
    { kind: 'in', name: 'bias', optional: true },
    { kind: 'enum', name: 'activation', list: 'epilogue', members: EPILOGUES, default: 'linear' },
  ],
  conv2dBackwardInput: [f('in', 'dy'), f('in', 'w'), conv, f('out', 'dx')],
  conv2dBackwardFilter: [
    f('in', 'x'),
    f('in', 'dy'),
    conv,
    f('out', 'dw'),
    { kind: 'in', name: 'y', optional: true },
    { kind: 'enum', name: 'activation', list: 'epilogue', members: EPILOGUES, default: 'linear' },
    { kind: 'out', name: 'db', optional: true },
  ],
  epilogueGrad: [
    { kind: 'enum', name: 'activation', list: 'epilogue', members: EPILOGUES },
    f('in', 'y'),
    f('in', 'dy'),
    ...rowsCols,
    f('out', 'dpre'),
    { kind: 'out', name: 'db', optional: true },
  ],
  batchNorm: [
    f('in', 'x'),
    ...rowsCols,
    num('epsilon'),
    f('out', 'y'),
    f('out', 'mean'),
    f('out', 'variance'),
    f('out', 'invStd'),
    { kind: 'in', name: 'gamma', optional: true },
    { kind: 'in', name: 'beta', optional: true },
  ],
  batchNormBackward: [
    f('in', 'x'),
    f('in', 'dy'),
    f('in', 'mean'),
    f('in', 'invStd'),
    ...rowsCols,
    f('out', 'dx'),
    f('out', 'dgamma'),
    f('out', 'dbeta'),
    { kind: 'in', name: 'gamma', optional: true },
  ],
  scaleShift: [
    f('in', 'x'),
    ...rowsCols,
    f('in', 'scale'),
    f('out', 'y'),
    { kind: 'in', name: 'shift', optional: true },
  ],
  conv2dMaxPool: [
    f('in', 'x'),
    f('in', 'w'),
    { ...conv, name: 'conv' },
    { ...pool, name: 'pool' },
    f('out', 'y'),
    { kind: 'i32out', name: 'argmax', optional: true },
    { kind: 'in', name: 'bias', optional: true },
    { kind: 'enum', name: 'activation', list: 'epilogue', members: EPILOGUES, default: 'linear' },
  ],
  maxPoolEpilogueGrad: [
    { kind: 'enum', name: 'activation', list: 'epilogue', members: EPILOGUES },
    f('in', 'y'),
    f('in', 'dy'),
    { kind: 'i32in', name: 'argmax' },
    { ...pool, name: 'pool' },
    f('out', 'dpre'),
    { kind: 'out', name: 'db', optional: true },
  ],
  conv2dMaxPoolBackwardFilter: [
    f('in', 'x'),
    f('in', 'dy'),
    f('in', 'y'),
    { kind: 'i32in', name: 'argmax' },
    { ...conv, name: 'conv' },
    { ...pool, name: 'pool' },
    { kind: 'enum', name: 'activation', list: 'epilogue', members: EPILOGUES },
    f('out', 'dw'),
    { kind: 'out', name: 'db', optional: true },
  ],
  conv2dMaxPoolBackward: [
    f('in', 'x'),
    f('in', 'w'),
    f('in', 'dy'),
    f('in', 'y'),
    { kind: 'i32in', name: 'argmax' },
    { ...conv, name: 'conv' },
    { ...pool, name: 'pool' },
    { kind: 'enum', name: 'activation', list: 'epilogue', members: EPILOGUES },
    f('out', 'dx'),
    f('out', 'dw'),
    { kind: 'out', name: 'db', optional: true },
  ],
  maxPool: [f('in', 'x'), pool, f('out', 'y'), { kind: 'i32out', name: 'argmax' }],
  maxPoolBackward: [f('in', 'dy'), { kind: 'i32in', name: 'argmax' }, f('inout', 'dx')],
  avgPool: [f('in', 'x'), pool, f('out', 'y')],
  avgPoolBackward: [f('in', 'dy'), pool, f('out', 'dx')],
  depthwiseConv2d: [f('in', 'x'), f('in', 'w'), conv, f('out', 'y')],
  depthwiseConv2dBackwardInput: [f('in', 'dy'), f('in', 'w'), conv, f('out', 'dx')],
  depthwiseConv2dBackwardFilter: [f('in', 'x'), f('in', 'dy'), conv, f('out', 'dw')],
  affineTransform: [
    f('in', 'x'),
    f('in', 'transforms'),
    ...dims('n', 'height', 'width', 'channels'),
    { kind: 'enum', name: 'fillMode', list: 'fillMode', members: FILL_MODES },
    { kind: 'enum', name: 'interpolation', list: 'interpolation', members: INTERPOLATIONS },
    num('fillValue'),
    f('out', 'y'),
  ],
  applyUpdate: [
    { kind: 'update', name: 'update' },
    f('inout', 'param'),
    f('in', 'grad'),
    { kind: 'slots', name: 'slots' },
  ],
  applyUpdates: [
    { kind: 'update', name: 'update' },
    { kind: 'list', name: 'params', each: 'inout' },
    { kind: 'list', name: 'grads', each: 'in' },
    { kind: 'slotLists', name: 'slots' },
  ],
  gatherRows: [f('in', 'x'), num('row'), { kind: 'i32in', name: 'indices' }, f('out', 'out')],
};

/**
 * Checks a compiled backend makes before marshalling, where the schema alone cannot say what is
 * wrong: which parameters a unary op needs.
 */
export const KERNEL_CHECKS: { [K in KernelName]?: (...args: Parameters<Kernels[K]>) => void } = {
  unary: (op, _x, _out, param, param2) => void unaryParams(op, param, param2),
  unaryGrad: (op, _x, _y, _dy, _dx, param, param2) => void unaryParams(op, param, param2),
};

/** Every kernel, in declaration order. */
export const KERNEL_NAMES = Object.keys(KERNEL_ARGS) as KernelName[];
