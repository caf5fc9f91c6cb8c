import type {
  Backend,
  BinaryOp,
  ConvGeometry,
  EpilogueActivation,
  FloatArray,
  GemmOptions,
  OptimizerUpdate,
  PoolGeometry,
  ReduceOp,
  UnaryOp,
} from '../../src/kernels/backend.js';
import type { NativeAddon } from './addon.js';

// Op codes: the index in each list is the code native/kernels.h uses.
// prettier-ignore
export const UNARY_OPS: readonly UnaryOp[] = [
  'linear', 'neg', 'abs', 'sign', 'square', 'sqrt', 'rsqrt', 'reciprocal', 'exp', 'log', 'log1p',
  'relu', 'relu6', 'leaky_relu', 'elu', 'sigmoid', 'tanh', 'softplus', 'scale', 'add_scalar',
  'pow_scalar', 'clip',
];
// prettier-ignore
export const BINARY_OPS: readonly BinaryOp[] = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squared_difference', 'greater',
  'greater_equal', 'less', 'equal',
];
export const REDUCE_OPS: readonly ReduceOp[] = ['sum', 'mean', 'max', 'min', 'prod'];

const codes = <T extends string>(names: readonly T[]): Record<T, number> =>
  Object.fromEntries(names.map((name, i) => [name, i])) as Record<T, number>;
const UNARY = codes(UNARY_OPS);
const BINARY = codes(BINARY_OPS);
const REDUCE = codes(REDUCE_OPS);

/** Keras's `keras.activations.leaky_relu` default slope (the LeakyReLU layer passes its own). */
const DEFAULT_LEAKY_RELU_SLOPE = 0.2;
/** Keras's `keras.activations.elu` default alpha. */
const DEFAULT_ELU_ALPHA = 1;

const EPILOGUE: Record<EpilogueActivation, number> = {
  linear: UNARY.linear,
  relu: UNARY.relu,
  sigmoid: UNARY.sigmoid,
  tanh: UNARY.tanh,
  elu: UNARY.elu,
  leaky_relu: UNARY.leaky_relu,
};

function opCode<T extends string>(kind: string, table: Record<T, number>, op: T): number {
  const code = table[op];
  if (code === undefined) throw new RangeError(`native ${kind}: unknown op '${op}'`);
  return code;
}

/** Fills in a unary op's default parameters, and rejects a missing required one as js does. */
function unaryParams(
  op: UnaryOp,
  param: number | undefined,
  param2: number | undefined,
): [number, number] {
  const need = (value: number | undefined, what: string): number => {
    if (value === undefined) throw new RangeError(`unary '${op}' needs ${what}`);
    return value;
  };
  switch (op) {
    case 'leaky_relu':
      return [param ?? DEFAULT_LEAKY_RELU_SLOPE, 0];
    case 'elu':
      return [param ?? DEFAULT_ELU_ALPHA, 0];
    case 'scale':
      return [need(param, 'param (the factor)'), 0];
    case 'add_scalar':
      return [need(param, 'param (the addend)'), 0];
    case 'pow_scalar':
      return [need(param, 'param (the exponent)'), 0];
    case 'clip':
      return [need(param, 'param (the lower bound)'), need(param2, 'param2 (the upper bound)')];
    default:
      return [0, 0];
  }
}

/** Checks the slot count; the names are only built for the error message. */
function expectSlots(
  kind: string,
  slots: FloatArray[],
  count: number,
  names: () => string[],
): void {
  if (slots.length !== count) {
    throw new RangeError(
      `applyUpdate(${kind}): expected slots [${names().join(', ')}], got ${slots.length} arrays`,
    );
  }
}

// Float64Array arguments are rejected by the addon itself with a TypeError that says so; the
// casts below only narrow the static type.
type F32 = Float32Array;

/**
 * The `native` backend: the C++ kernels of native/ (AVX-512 / AVX2 / portable, picked at load,
 * threaded on a persistent pool). Float32Array only.
 */
export class NativeBackend implements Backend {
  readonly name = 'native';
  readonly supportsFloat64 = false;
  readonly #addon: NativeAddon;
  // Reused argument buffers: shapes and geometries travel as one Int32Array each.
  #spec = new Int32Array(3 + 3 * 32);
  readonly #conv = new Int32Array(15);
  readonly #pool = new Int32Array(12);

  constructor(addon: NativeAddon) {
    this.#addon = addon;
  }

  getNumThreads(): number {
    return this.#addon.getNumThreads();
  }

  setNumThreads(n: number): void {
    this.#addon.setNumThreads(Math.max(1, Math.floor(Number.isFinite(n) ? n : 1)));
  }

  gemm(
    m: number,
    n: number,
    k: number,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    opts?: GemmOptions,
  ): void {
    if (opts === undefined) {
      this.#addon.gemm(m, n, k, a as F32, b as F32, c as F32, false, false, 1, 0, null, 0, 0);
      return;
    }
    const act = opts.activation ?? 'linear';
    const code = EPILOGUE[act];
    if (code === undefined) throw new RangeError(`native gemm: unknown activation '${act}'`);
    const param =
      opts.activationParam ??
      (act === 'leaky_relu' ? DEFAULT_LEAKY_RELU_SLOPE : act === 'elu' ? DEFAULT_ELU_ALPHA : 0);
    this.#addon.gemm(
      m,
      n,
      k,
      a as F32,
      b as F32,
      c as F32,
      opts.transA ?? false,
      opts.transB ?? false,
      opts.alpha ?? 1,
      opts.beta ?? 0,
      (opts.bias as F32 | undefined) ?? null,
      code,
      param,
    );
  }

  unary(op: UnaryOp, x: FloatArray, out: FloatArray, param?: number, param2?: number): void {
    const [p, q] = unaryParams(op, param, param2);
    this.#addon.unary(opCode('unary', UNARY, op), x as F32, out as F32, p, q);
  }

  unaryGrad(
    op: UnaryOp,
    x: FloatArray,
    y: FloatArray,
    dy: FloatArray,
    dx: FloatArray,
    param?: number,
    param2?: number,
  ): void {
    const [p, q] = unaryParams(op, param, param2);
    this.#addon.unaryGrad(
      opCode('unaryGrad', UNARY, op),
      x as F32,
      y as F32,
      dy as F32,
      dx as F32,
      p,
      q,
    );
  }

  binary(
    op: BinaryOp,
    a: FloatArray,
    aShape: readonly number[],
    b: FloatArray,
    bShape: readonly number[],
    out: FloatArray,
    outShape: readonly number[],
  ): void {
    const need = 3 + aShape.length + bShape.length + outShape.length;
    if (need > this.#spec.length) this.#spec = new Int32Array(need);
    const s = this.#spec;
    let p = 0;
    for (const shape of [aShape, bShape, outShape]) {
      s[p++] = shape.length;
      for (const d of shape) s[p++] = d;
    }
    this.#addon.binary(opCode('binary', BINARY, op), a as F32, b as F32, out as F32, s);
  }

  reduce(
    op: ReduceOp,
    x: FloatArray,
    outer: number,
    axis: number,
    inner: number,
    out: FloatArray,
  ): void {
    this.#addon.reduce(opCode('reduce', REDUCE, op), x as F32, outer, axis, inner, out as F32);
  }

  argmax(x: FloatArray, outer: number, axis: number, inner: number, out: Int32Array): void {
    this.#addon.argmax(x as F32, outer, axis, inner, out);
  }

  transpose(
    x: FloatArray,
    shape: readonly number[],
    perm: readonly number[],
    out: FloatArray,
  ): void {
    if (perm.length !== shape.length) {
      throw new RangeError(`transpose: [${perm}] is not a permutation of ${shape.length} axes`);
    }
    const need = 1 + 2 * shape.length;
    if (need > this.#spec.length) this.#spec = new Int32Array(need);
    const s = this.#spec;
    s[0] = shape.length;
    for (let d = 0; d < shape.length; d++) {
      s[1 + d] = shape[d]!;
      s[1 + shape.length + d] = perm[d]!;
    }
    this.#addon.transpose(x as F32, s, out as F32);
  }

  softmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void {
    this.#addon.softmax(0, x as F32, rows, cols, out as F32);
  }

  logSoftmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void {
    this.#addon.softmax(1, x as F32, rows, cols, out as F32);
  }

  softmaxGrad(y: FloatArray, dy: FloatArray, rows: number, cols: number, dx: FloatArray): void {
    this.#addon.softmaxGrad(y as F32, dy as F32, rows, cols, dx as F32);
  }

  softmaxCrossEntropy(
    logits: FloatArray,
    labels: FloatArray | Int32Array,
    rows: number,
    cols: number,
    loss: FloatArray,
    probs: FloatArray,
  ): void {
    this.#addon.softmaxCrossEntropy(
      logits as F32,
      labels as F32 | Int32Array,
      rows,
      cols,
      loss as F32,
      probs as F32,
    );
  }

  softmaxCrossEntropyGrad(
    probs: FloatArray,
    labels: FloatArray | Int32Array,
    rows: number,
    cols: number,
    scale: FloatArray | number,
    dlogits: FloatArray,
  ): void {
    this.#addon.softmaxCrossEntropyGrad(
      probs as F32,
      labels as F32 | Int32Array,
      rows,
      cols,
      scale as F32 | number,
      dlogits as F32,
    );
  }

  dropoutMask(rate: number, seed: number, mask: FloatArray): void {
    // The hash takes the seed as a uint32, like dropoutUniform's `seed >>> 0`.
    this.#addon.dropoutMask(rate, seed >>> 0, mask as F32);
  }

  #convGeometry(g: ConvGeometry): Int32Array {
    return pack('conv2d', CONV_KEYS, g, this.#conv);
  }

  #poolGeometry(g: PoolGeometry): Int32Array {
    return pack('pool', POOL_KEYS, g, this.#pool);
  }

  conv2d(x: FloatArray, w: FloatArray, g: ConvGeometry, y: FloatArray): void {
    this.#addon.conv2d(0, x as F32, w as F32, this.#convGeometry(g), y as F32);
  }

  conv2dBackwardInput(dy: FloatArray, w: FloatArray, g: ConvGeometry, dx: FloatArray): void {
    this.#addon.conv2d(1, dy as F32, w as F32, this.#convGeometry(g), dx as F32);
  }

  conv2dBackwardFilter(x: FloatArray, dy: FloatArray, g: ConvGeometry, dw: FloatArray): void {
    this.#addon.conv2d(2, x as F32, dy as F32, this.#convGeometry(g), dw as F32);
  }

  maxPool(x: FloatArray, g: PoolGeometry, y: FloatArray, argmax: Int32Array): void {
    this.#addon.pool(0, x as F32, this.#poolGeometry(g), y as F32, argmax);
  }

  maxPoolBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray): void {
    this.#addon.maxPoolBackward(dy as F32, argmax, dx as F32);
  }

  avgPool(x: FloatArray, g: PoolGeometry, y: FloatArray): void {
    this.#addon.pool(1, x as F32, this.#poolGeometry(g), y as F32);
  }

  avgPoolBackward(dy: FloatArray, g: PoolGeometry, dx: FloatArray): void {
    this.#addon.pool(2, dy as F32, this.#poolGeometry(g), dx as F32);
  }

  applyUpdate(
    update: OptimizerUpdate,
    param: FloatArray,
    grad: FloatArray,
    slots: FloatArray[],
  ): void {
    const p = param as F32;
    const g = grad as F32;
    const slot = (i: number): F32 | null => (slots[i] as F32 | undefined) ?? null;
    switch (update.kind) {
      case 'sgd': {
        const { lr, momentum, nesterov } = update;
        expectSlots('sgd', slots, momentum !== 0 ? 1 : 0, () =>
          momentum !== 0 ? ['velocity'] : [],
        );
        this.#addon.applyUpdate(0, p, g, slot(0), null, null, lr, momentum, nesterov ? 1 : 0, 0);
        return;
      }
      case 'rmsprop': {
        const { lr, rho, momentum, epsilon, centered } = update;
        expectSlots('rmsprop', slots, 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0), () => [
          'ms',
          ...(centered ? ['mg'] : []),
          ...(momentum > 0 ? ['mom'] : []),
        ]);
        const mg = centered ? slot(1) : null;
        const mom = momentum > 0 ? slot(centered ? 2 : 1) : null;
        this.#addon.applyUpdate(1, p, g, slot(0), mg, mom, lr, rho, momentum, epsilon);
        return;
      }
      case 'adam': {
        const { lr, beta1, beta2, epsilon, step, amsgrad } = update;
        expectSlots('adam', slots, amsgrad ? 3 : 2, () => ['m', 'v', ...(amsgrad ? ['vhat'] : [])]);
        if (!Number.isInteger(step) || step < 1) {
          throw new RangeError(`applyUpdate(adam): step is 1-based, got ${step}`);
        }
        // The bias corrections fold into one step size, computed once in double.
        const a = (lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
        this.#addon.applyUpdate(
          2,
          p,
          g,
          slot(0),
          slot(1),
          amsgrad ? slot(2) : null,
          a,
          beta1,
          beta2,
          epsilon,
        );
        return;
      }
      case 'adagrad': {
        expectSlots('adagrad', slots, 1, () => ['acc']);
        this.#addon.applyUpdate(3, p, g, slot(0), null, null, update.lr, update.epsilon, 0, 0);
        return;
      }
      case 'adadelta': {
        expectSlots('adadelta', slots, 2, () => ['ag', 'ad']);
        this.#addon.applyUpdate(
          4,
          p,
          g,
          slot(0),
          slot(1),
          null,
          update.lr,
          update.rho,
          update.epsilon,
          0,
        );
        return;
      }
      default: {
        const kind: string = (update as { kind: string }).kind;
        throw new RangeError(`applyUpdate: unknown optimizer '${kind}'`);
      }
    }
  }
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

/** Packs a geometry in the addon's order; every field must be an int32 (the addon checks ranges). */
function pack<G extends object, K extends keyof G>(
  kernel: string,
  keys: readonly K[],
  g: G,
  out: Int32Array,
): Int32Array {
  for (let i = 0; i < keys.length; i++) {
    const v = g[keys[i]!] as unknown as number;
    out[i] = v;
    if (out[i] !== v)
      throw new RangeError(`native ${kernel}: ${String(keys[i])} must be an integer, got ${v}`);
  }
  return out;
}
