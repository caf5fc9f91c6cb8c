/**
 * The surface of the compiled addon (native/addon.cc). Arguments are positional and typed
 * arrays are used in place; every length is checked on the C++ side, which throws a RangeError
 * (or a TypeError for a wrong array type) instead of reading out of bounds.
 */
export interface NativeAddon {
  gemm(
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    transA: boolean,
    transB: boolean,
    alpha: number,
    beta: number,
    bias: Float32Array | null,
    activation: number,
    activationParam: number,
  ): void;
  unary(op: number, x: Float32Array, out: Float32Array, param: number, param2: number): void;
  unaryGrad(
    op: number,
    x: Float32Array,
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    param: number,
    param2: number,
  ): void;
  /** shapes = [aRank, ...aShape, bRank, ...bShape, outRank, ...outShape]. */
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, shapes: Int32Array): void;
  reduce(
    op: number,
    x: Float32Array,
    outer: number,
    axis: number,
    inner: number,
    out: Float32Array,
  ): void;
  argmax(x: Float32Array, outer: number, axis: number, inner: number, out: Int32Array): void;
  /** spec = [rank, ...shape, ...perm]. */
  transpose(x: Float32Array, spec: Int32Array, out: Float32Array): void;
  /** kind 0: softmax, 1: log-softmax. */
  softmax(kind: number, x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  softmaxGrad(
    y: Float32Array,
    dy: Float32Array,
    rows: number,
    cols: number,
    dx: Float32Array,
  ): void;
  softmaxCrossEntropy(
    logits: Float32Array,
    labels: Float32Array | Int32Array,
    rows: number,
    cols: number,
    loss: Float32Array,
    probs: Float32Array,
  ): void;
  softmaxCrossEntropyGrad(
    probs: Float32Array,
    labels: Float32Array | Int32Array,
    rows: number,
    cols: number,
    scale: Float32Array | number,
    dlogits: Float32Array,
  ): void;
  /** seed is read as a uint32. */
  dropoutMask(rate: number, seed: number, mask: Float32Array): void;
  /**
   * which 0: (x, w) -> y; 1: (dy, w) -> dx; 2: (x, dy) -> dw. geometry = [n, inH, inW, inC,
   * outH, outW, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft].
   */
  conv2d(
    which: number,
    a: Float32Array,
    b: Float32Array,
    geometry: Int32Array,
    out: Float32Array,
  ): void;
  /**
   * which 0: max (needs argmax), 1: average, 2: average backward (dy -> dx). geometry = [n, inH,
   * inW, c, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft].
   */
  pool(
    which: number,
    x: Float32Array,
    geometry: Int32Array,
    out: Float32Array,
    argmax?: Int32Array,
  ): void;
  maxPoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array): void;
  /** kind: 0 sgd, 1 rmsprop, 2 adam, 3 adagrad, 4 adadelta; h0..h3 as native-backend.ts passes them. */
  applyUpdate(
    kind: number,
    param: Float32Array,
    grad: Float32Array,
    s0: Float32Array | null,
    s1: Float32Array | null,
    s2: Float32Array | null,
    h0: number,
    h1: number,
    h2: number,
    h3: number,
  ): void;
  getNumThreads(): number;
  setNumThreads(n: number): void;
  /** Switches the instruction-set level ('avx512', 'avx2', 'generic'); false if unsupported here. */
  setIsa(name: string): boolean;
  /** GEMM blocking (k-slice depth, B-slab width); for benchmarks. Values below 8 are ignored. */
  setGemmBlocking(kc: number, nc: number): void;
  info(): { isa: string; threads: number; supported: string; mr: number; nr: number };
}
