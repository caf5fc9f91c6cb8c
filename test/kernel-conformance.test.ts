/**
 * The kernel conformance suite: every available backend is run on seeded random data and
 * compared with the js reference. Backends are found through the kernel registry and the
 * native loader (node/native/load.ts, optional: skipped with a diagnostic when absent or not
 * built). The js backend on Float64Array inputs is also checked against itself on Float32Array
 * inputs, so the reference's two precisions agree.
 *
 * Each test covers one kernel family for every target and fails with one line per mismatch,
 * naming the target (backend, float type, threads), the op and its shapes.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  BINARY_OPS,
  EPILOGUES,
  FILL_MODES,
  INTERPOLATIONS,
  REDUCE_OPS,
  type Backend,
  type BinaryOp,
  type ConvGeometry,
  type EpilogueActivation,
  type FloatArray,
  type GemmOptions,
  type KernelName,
  type OptimizerUpdate,
  type PoolGeometry,
  type UnaryOp,
} from '../src/kernels/backend.js';
import { KERNEL_NAMES } from '../src/kernels/kernel-args.js';
import type { OptimizerKind } from '../src/kernels/optimizer-kernels.js';
import { WASM_ISAS } from '../src/kernels/wasm/wasm-backend.js';
import { findBackend, jsBackend, registeredBackends } from '../src/kernels/index.js';
import {
  Conformance,
  floats,
  type DType,
  type Target,
  type Tolerance,
} from './helpers/conformance.js';
import {
  convGeometry,
  convSizes,
  describeConv,
  describePool,
  poolGeometry,
  poolSizes,
  type ConvSpec,
  type PoolSpec,
} from './helpers/geometry.js';
import { integers, mulberry32, randomInt, seedOf, uniforms } from './helpers/seeded-random.js';

// ---------------------------------------------------------------------------------------------
// Tolerances. All are multiples of `eps`, the comparison's machine epsilon (2^-23 when either
// side is float32, 2^-52 when both are float64), so one table serves both precisions. Every
// comparison also allows the smallest normal number (subnormals may be flushed to zero).
// ---------------------------------------------------------------------------------------------

/**
 * Results of one to three correctly rounded IEEE operations (+ - * /, sqrt): both sides round
 * (nearly) the same exact value, so they differ by an ulp or two.
 * Applied to |ref| (eps * |v| is at least one ulp of v).
 */
const ROUNDED_ULPS = 4;

/**
 * exp, log, log1p, expm1, tanh and pow are within 1-3 ulp in a good float32 libm, SIMD
 * approximations typically within a few more, and sigmoid / softplus / elu chain two or three
 * of them. 32 ulp (3.8e-6 relative in float32) is loose for a correct kernel and still far
 * below what a wrong formula or branch produces (>= 1e-3).
 */
const TRANSCENDENTAL_ULPS = 32;

/**
 * Absolute floor, in eps times the operands' scale (about 1 here), for results near 0 that a
 * literal float32 formula computes by cancellation: elu's alpha * (exp(x) - 1) as backend.ts
 * writes it, tanh' = 1 - y^2 near |y| = 1, log(x) near x = 1.
 */
const CANCELLATION_ULPS = 8;

/**
 * Tolerance factor for a k-term sum of products, applied to sum |terms|. The worst case over
 * all summation orders is about k * eps, but with random-sign data every practical order
 * (sequential, blocked, pairwise, split across threads) stays near sqrt(k) * eps; 4 sqrt(k) + 16
 * leaves a margin of 4x or more over that, yet a single dropped or doubled term (about
 * sum|terms| / k) still exceeds it for every k used here (k <= 5408: 3.7e-5 vs 1.8e-4).
 */
function sumFactor(k: number, eps: number): number {
  return (4 * Math.sqrt(Math.max(k, 1)) + 16) * eps;
}

/**
 * Optimizer state after several steps: each step does about ten roundings per element, and
 * the errors of the state arrays are relative to their typical size, so the tolerance per step
 * is applied to |ref| plus the array's root mean square (elements near 0 inherit the error of
 * their neighbours' scale, e.g. a momentum that cancelled).
 */
const OPTIMIZER_ULPS_PER_STEP = 16;

/**
 * A float32 kernel may round a decay rate h (beta1, beta2, rho, momentum) to float32 before
 * forming 1 - h, as a float32 port of Keras does for its bias corrections; that changes 1 - h
 * by eps * h / (1 - h) relative (1000 eps for beta2 = 0.999), and the slots inherit it. The
 * tolerance adds twice that conditioning to the per-step allowance.
 */
function decayConditioning(decays: readonly number[]): number {
  return Math.max(0, ...decays.map((h) => h / (1 - h)));
}

const rounded =
  (mag?: (i: number) => number): Tolerance =>
  (i, eps, ref) =>
    ROUNDED_ULPS * eps * (Math.abs(ref[i]) + (mag ? mag(i) : 0));

const transcendental =
  (scale: (i: number) => number = () => 1): Tolerance =>
  (i, eps, ref) =>
    TRANSCENDENTAL_ULPS * eps * Math.abs(ref[i]) + CANCELLATION_ULPS * eps * scale(i);

// ---------------------------------------------------------------------------------------------
// Targets.
// ---------------------------------------------------------------------------------------------

interface Discovery {
  targets: Target[];
  notes: string[];
  problems: string[];
}

function looksLikeBackend(value: unknown): value is Backend {
  const b = value as Partial<Backend> | null;
  return (
    !!b &&
    typeof b.name === 'string' &&
    typeof b.gemm === 'function' &&
    typeof b.conv2d === 'function'
  );
}

/** The native backend from node/native/load.ts when it exists, exports its loader and is built. */
async function loadNative(notes: string[], problems: string[]): Promise<Backend | undefined> {
  const url = new URL('../node/native/load.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    notes.push(
      'native skipped: node/native/load.ts is not there (nothing compiled to dist/node/native/load.js)',
    );
    return undefined;
  }
  let mod: { loadNativeBackend?: unknown };
  try {
    mod = (await import(url.href)) as { loadNativeBackend?: unknown };
  } catch (error) {
    problems.push(`node/native/load.js exists but failed to import: ${String(error)}`);
    return undefined;
  }
  if (typeof mod.loadNativeBackend !== 'function') {
    notes.push('native skipped: node/native/load.js does not export loadNativeBackend()');
    return undefined;
  }
  let backend: unknown;
  try {
    backend = await (mod.loadNativeBackend as () => unknown)();
  } catch (error) {
    // The loader's contract is to return null when the addon is missing, not to throw.
    problems.push(`loadNativeBackend() threw: ${String(error)}`);
    return undefined;
  }
  if (backend === null || backend === undefined) {
    notes.push('native skipped: loadNativeBackend() returned null (addon not built)');
    return undefined;
  }
  if (!looksLikeBackend(backend)) {
    problems.push('loadNativeBackend() returned something that is not a Backend');
    return undefined;
  }
  return backend;
}

/**
 * The wasm backend from node/wasm/load.ts, when dist/wasm holds the module, and its other
 * variant: relaxed_madd may or may not fuse, so both builds are held to the same tolerances.
 */
async function loadWasm(notes: string[]): Promise<Backend[]> {
  const mod = await import('../node/wasm/load.js');
  const b = mod.loadWasmBackend();
  if (!b) {
    notes.push(`wasm skipped: ${mod.wasmLoadError()}`);
    return [];
  }
  const all = [b];
  for (const isa of WASM_ISAS) {
    if (isa === b.isa()) continue;
    try {
      all.push(mod.loadWasmVariant(isa));
    } catch (error) {
      notes.push(`wasm ${isa} skipped: ${(error as Error).message}`);
    }
  }
  return all;
}

async function discoverTargets(): Promise<Discovery> {
  const notes: string[] = [];
  const problems: string[] = [];
  const others = new Map<string, Backend>();
  for (const name of registeredBackends()) {
    const b = findBackend(name);
    if (b && b !== jsBackend) others.set(name, b);
  }
  const native = await loadNative(notes, problems);
  if (native && ![...others.values()].includes(native)) others.set(native.name, native);
  for (const wasm of await loadWasm(notes))
    if (![...others.values()].includes(wasm)) others.set(`${wasm.name} ${wasm.isa()}`, wasm);

  const targets: Target[] = [];
  // Every instruction-set path of native besides the one it picked, one thread.
  if (native) {
    const isa = (await import('../node/native/isa.js')) as typeof import('../node/native/isa.js');
    const info = isa.nativeInfo();
    for (const level of info?.supported ?? []) {
      if (level === info!.isa) continue;
      targets.push({
        label: `native ${level} float32 (1 thread)`,
        backend: native,
        dtype: 'float32',
        refDtype: 'float32',
        threads: 1,
        setup: () => {
          isa.setNativeIsa(level);
          return () => isa.setNativeIsa(info!.isa);
        },
      });
    }
  }
  for (const b of others.values()) {
    const own = b.getNumThreads();
    b.setNumThreads(3);
    const threaded = b.getNumThreads() === 3;
    b.setNumThreads(own);
    // The backend's own thread count, plus 1 and an odd count so work splitting is exercised.
    for (const threads of threaded ? [...new Set([own, 1, 3])] : [own]) {
      const label = `${b.name} ${b.isa()} float32 (${threads} thread${threads === 1 ? '' : 's'})`;
      targets.push({ label, backend: b, dtype: 'float32', refDtype: 'float32', threads });
    }
    if (b.supportsFloat64)
      targets.push({
        label: `${b.name} float64`,
        backend: b,
        dtype: 'float64',
        refDtype: 'float64',
      });
  }
  targets.push({
    label: 'js float64 vs js float32',
    backend: jsBackend,
    dtype: 'float64',
    refDtype: 'float32',
  });
  return { targets, notes, problems };
}

/** Kernels each backend was called with during the suite (see the last test). */
const called = new Map<Backend, Set<KernelName>>();

/** The backend, with each kernel call noted in `called`. */
function recording(b: Backend): Backend {
  const seen = new Set<KernelName>();
  const proxy = new Proxy(b, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || !(KERNEL_NAMES as string[]).includes(key as string))
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      return (...args: unknown[]) => {
        seen.add(key as KernelName);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  called.set(proxy, seen);
  return proxy;
}

const discovery = await discoverTargets();
const proxies = new Map<Backend, Backend>();
for (const target of discovery.targets) {
  const proxy = proxies.get(target.backend) ?? recording(target.backend);
  proxies.set(target.backend, proxy);
  target.backend = proxy;
}
const conformance = (): Conformance => new Conformance(jsBackend, discovery.targets);

/** Reports each target's tolerance headroom as a diagnostic, then fails on any mismatch. */
function finish(t: TestContext, conf: Conformance): void {
  for (const line of conf.headroomReport()) t.diagnostic(line);
  conf.assertNoFailures();
}

test('kernel conformance: backends under test', (t) => {
  for (const target of discovery.targets) t.diagnostic(`target: ${target.label}`);
  for (const note of discovery.notes) t.diagnostic(note);
  // Our compiled backends implement every kernel and op code themselves: a kernel or an op
  // code missing from the C++ side shows up here (it would otherwise quietly run on js).
  const problems = [...discovery.problems];
  for (const b of new Set(discovery.targets.map((x) => x.backend))) {
    const missing = b.fallbacks();
    if (missing.length > 0) problems.push(`${b.name} falls back to js for: ${missing.join(', ')}`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
});

// ---------------------------------------------------------------------------------------------
// Shared data helpers.
// ---------------------------------------------------------------------------------------------

const abs = (a: ArrayLike<number>): Float64Array => Float64Array.from(a, Math.abs);
const f64 = (n: number): Float64Array => new Float64Array(n);

/** Runs a reference kernel in float64 and returns its output (for tolerance magnitudes). */
function exact64(fill: (out: Float64Array) => void, n: number): Float64Array {
  const out = f64(n);
  fill(out);
  return out;
}

/** A float array of the given type holding `values`, rounded through float32 when asked. */
const derived = (dtype: DType, values: Float64Array): Float64Array | Float32Array =>
  dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);

// ---------------------------------------------------------------------------------------------
// GEMM.
// ---------------------------------------------------------------------------------------------

interface GemmCase {
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
  bias?: boolean;
  activation?: EpilogueActivation;
}

function gemmLabel(c: GemmCase): string {
  const parts = [`gemm m=${c.m} n=${c.n} k=${c.k}`];
  if (c.transA) parts.push('transA');
  if (c.transB) parts.push('transB');
  parts.push(`alpha=${c.alpha ?? 1} beta=${c.beta ?? 0}${(c.beta ?? 0) === 0 ? ' (C=NaN)' : ''}`);
  if (c.bias) parts.push('bias');
  if (c.activation) parts.push(`act=${c.activation}`);
  return parts.join(' ');
}

function checkGemm(conf: Conformance, c: GemmCase): void {
  const label = gemmLabel(c);
  const rng = mulberry32(seedOf(label));
  const { m, n, k } = c;
  const alpha = c.alpha ?? 1;
  const beta = c.beta ?? 0;
  const a = uniforms(rng, m * k);
  const b = uniforms(rng, k * n);
  // beta = 0 must ignore C, so hand it NaN.
  const cIn = beta === 0 ? f64(m * n).fill(NaN) : uniforms(rng, m * n);
  const bias = c.bias ? uniforms(rng, n) : undefined;
  const act = c.activation ?? 'linear';
  const opts = (dtype: DType): GemmOptions => ({
    ...(c.transA ? { transA: true } : {}),
    ...(c.transB ? { transB: true } : {}),
    alpha,
    beta,
    ...(bias ? { bias: floats(dtype, bias) } : {}),
    activation: act,
  });

  // Error scale of C[i, j]: |alpha| sum_p |op(A)[i, p] op(B)[p, j]| + |beta C| + |bias|.
  const absAB = exact64(
    (out) =>
      jsBackend.gemm(m, n, k, abs(a), abs(b), out, { transA: !!c.transA, transB: !!c.transB }),
    m * n,
  );
  const scale = absAB.map(
    (v, i) =>
      Math.abs(alpha) * v +
      (beta === 0 ? 0 : Math.abs(beta * cIn[i])) +
      (bias ? Math.abs(bias[i % n]) : 0),
  );
  // linear and relu are 1-Lipschitz and exact, so the affine error carries through.
  const tol: Tolerance = (i, eps, ref) =>
    sumFactor(k, eps) * scale[i] + ROUNDED_ULPS * eps * Math.abs(ref[i]);

  conf.check(
    label,
    (backend, dtype) => {
      const out = floats(dtype, cIn);
      backend.gemm(m, n, k, floats(dtype, a), floats(dtype, b), out, opts(dtype));
      return { C: out };
    },
    { C: tol },
    { C: [m, n] },
  );
}

test('kernel conformance: gemm', (t) => {
  const conf = conformance();
  const odd = [1, 3, 17, 31, 65, 130, 257];
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 1, 257],
    [1, 257, 1],
    [257, 1, 1],
    [3, 17, 31],
    [17, 31, 3],
    [31, 3, 17],
    [65, 130, 17],
    [130, 65, 31],
    [17, 257, 65],
    [257, 17, 130],
    [3, 3, 257],
    [64, 64, 64],
  ];
  // Plus a seeded draw of further combinations of the odd sizes.
  const rng = mulberry32(seedOf('gemm shapes'));
  for (let i = 0; i < 12; i++)
    shapes.push(
      [0, 0, 0].map(() => odd[randomInt(rng, 0, odd.length - 1)]) as [number, number, number],
    );
  const transposes = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;

  for (const [m, n, k] of shapes) {
    for (const [transA, transB] of transposes) checkGemm(conf, { m, n, k, transA, transB });
  }
  for (const [m, n, k] of [
    [17, 31, 65],
    [65, 17, 130],
  ] as const) {
    for (const [transA, transB] of transposes) {
      for (const [alpha, beta] of [
        [0.5, 0],
        [1, 1],
        [-2, 0.5],
        [1, -1],
        [0, 1.5],
      ] as const) {
        checkGemm(conf, { m, n, k, transA, transB, alpha, beta });
      }
    }
  }
  // Every declared epilogue.
  for (const activation of EPILOGUES) {
    const p = {};
    checkGemm(conf, { m: 31, n: 65, k: 17, bias: true, activation, ...p });
    checkGemm(conf, { m: 130, n: 257, k: 31, bias: true, activation, transB: true, ...p });
    checkGemm(conf, { m: 17, n: 3, k: 65, bias: true, activation, transA: true, beta: 0.5, ...p });
    checkGemm(conf, { m: 3, n: 17, k: 31, bias: false, activation, alpha: 2, ...p });
  }
  // Few A panels, a partial last B panel and several k slices (native packs B as its tasks
  // reach it, or reads it in place: 64x64x64 above); a transposed A with m a multiple of 128
  // (packed rather than read in place).
  checkGemm(conf, { m: 40, n: 100, k: 1000, bias: true, activation: 'relu' });
  checkGemm(conf, { m: 40, n: 100, k: 1000, transA: true, beta: 0.5 });
  checkGemm(conf, { m: 128, n: 70, k: 500, transA: true, transB: true });
  checkGemm(conf, { m: 128, n: 70, k: 500, transA: true, bias: true, activation: 'relu' });
  // The seed MLP's shapes: forward (x W + b, relu), dW = x^T dy, dx = dy W^T.
  checkGemm(conf, { m: 128, n: 512, k: 784, bias: true, activation: 'relu' });
  checkGemm(conf, { m: 784, n: 512, k: 128, transA: true });
  checkGemm(conf, { m: 128, n: 784, k: 512, transB: true });
  finish(t, conf);
});

// ---------------------------------------------------------------------------------------------
// Unary and unaryGrad.
// ---------------------------------------------------------------------------------------------

interface UnaryCase {
  op: UnaryOp;
  lo: number;
  hi: number;
  param?: number;
  param2?: number;
  /** Values added to the random ones: kinks, bounds, extremes. */
  specials?: number[];
}

/** Cases per op: the Record type makes every declared unary op need at least one. */
const unaryCasesByOp: Record<UnaryOp, [Omit<UnaryCase, 'op'>, ...Omit<UnaryCase, 'op'>[]]> = {
  linear: [{ lo: -8, hi: 8 }],
  neg: [{ lo: -8, hi: 8, specials: [0] }],
  abs: [{ lo: -8, hi: 8, specials: [0] }],
  sign: [{ lo: -8, hi: 8, specials: [0] }],
  square: [{ lo: -8, hi: 8 }],
  sqrt: [{ lo: 0, hi: 10, specials: [0, 1e-3] }],
  rsqrt: [{ lo: 1e-3, hi: 10, specials: [0] }],
  reciprocal: [{ lo: 0.01, hi: 10, specials: [-0.5, -3, 0] }],
  exp: [{ lo: -20, hi: 20, specials: [0, -100] }],
  log: [{ lo: 1e-3, hi: 10, specials: [0, 1] }],
  log1p: [{ lo: -0.999, hi: 10, specials: [0] }],
  relu: [{ lo: -8, hi: 8, specials: [0] }],
  relu6: [{ lo: -2, hi: 8, specials: [0, 6] }],
  leaky_relu: [
    { lo: -8, hi: 8, param: 0.2, specials: [0] },
    { lo: -8, hi: 8, param: 0.3, specials: [0] },
  ],
  elu: [
    { lo: -8, hi: 8, param: 1, specials: [0, -1e-3] },
    { lo: -8, hi: 8, param: 0.5, specials: [0] },
  ],
  sigmoid: [{ lo: -30, hi: 30, specials: [0, 100, -100, 1000, -1000] }],
  tanh: [{ lo: -10, hi: 10, specials: [0] }],
  softplus: [{ lo: -30, hi: 30, specials: [0, 100, -100, 1000, -1000] }],
  softsign: [{ lo: -30, hi: 30, specials: [0, 1e6, -1e6] }],
  // Past -12 or so gelu underflows: the absolute floor covers that tail.
  gelu: [
    { lo: -6, hi: 6, specials: [0, -0.7518, 1e-3, -1e-3] },
    { lo: -20, hi: 20, specials: [30, -30, 100] },
  ],
  scale: [
    { lo: -8, hi: 8, param: -1.5 },
    { lo: -8, hi: 8, param: 0.1 },
  ],
  add_scalar: [{ lo: -8, hi: 8, param: 0.1, specials: [-0.1] }],
  pow_scalar: [
    { lo: 0.01, hi: 4, param: 2.5 },
    { lo: 0.01, hi: 4, param: -1.5 },
    { lo: 0.01, hi: 4, param: 0.5 },
    { lo: -4, hi: 4, param: 2 },
    { lo: -4, hi: 4, param: 3 },
  ],
  clip: [
    { lo: -4, hi: 4, param: -1, param2: 2.5, specials: [-1, 2.5] },
    { lo: -4, hi: 4, param: 0.3, param2: 0.7, specials: [0.3, 0.7] },
  ],
};
const unaryCases: UnaryCase[] = Object.entries(unaryCasesByOp).flatMap(([op, cases]) =>
  cases.map((c) => ({ op: op as UnaryOp, ...c })),
);

/** How each op's forward and gradient may differ from the reference. */
function unaryTolerances(
  op: UnaryOp,
  dy: Float64Array,
  param: number | undefined,
): { fwd: Tolerance; grad: Tolerance } {
  const p = Math.max(1, Math.abs(param ?? 1));
  const gradAbs = (i: number): number => Math.abs(dy[i]) * p;
  switch (op) {
    case 'linear':
    case 'neg':
    case 'abs':
    case 'sign':
    case 'relu':
    case 'relu6':
    case 'clip':
      return { fwd: 'exact', grad: 'exact' };
    case 'add_scalar':
      // x + param cancels near x = -param: the error is relative to |param|, not the result.
      return { fwd: rounded(() => Math.abs(param ?? 0)), grad: 'exact' };
    case 'leaky_relu':
    case 'scale':
    case 'square':
      return { fwd: rounded(), grad: rounded() };
    case 'sqrt':
    case 'rsqrt':
    case 'reciprocal':
      // Gradients may be computed from y (as the reference does) or from x.
      return { fwd: rounded(), grad: transcendental(gradAbs) };
    default:
      return { fwd: transcendental(), grad: transcendental(gradAbs) };
  }
}

test('kernel conformance: unary and unaryGrad, every op', (t) => {
  const conf = conformance();
  for (const c of unaryCases) {
    for (const size of [1, 31, 1031]) {
      const label = `unary '${c.op}'${c.param === undefined ? '' : ` param=${c.param}`}${c.param2 === undefined ? '' : ` param2=${c.param2}`} n=${size}`;
      const rng = mulberry32(seedOf(label));
      const x = uniforms(rng, size, c.lo, c.hi);
      // Specials go at the end, rounded to float32 like all inputs.
      (c.specials ?? []).forEach((v, i) => {
        if (i < size) x[size - 1 - i] = Math.fround(v);
      });
      if (c.op === 'reciprocal') for (let i = 0; i < size; i += 2) x[i] = -x[i];
      const dy = uniforms(rng, size, -2, 2);
      const y = exact64((out) => jsBackend.unary(c.op, x, out, c.param, c.param2), size);
      const tol = unaryTolerances(c.op, dy, c.param);

      conf.check(
        label,
        (backend, dtype) => {
          const out = floats(dtype, size).fill(NaN);
          backend.unary(c.op, floats(dtype, x), out, c.param, c.param2);
          // In place (out === x) must give the same.
          const inPlace = floats(dtype, x);
          backend.unary(c.op, inPlace, inPlace, c.param, c.param2);
          return { y: out, 'y (in place)': inPlace };
        },
        { y: tol.fwd, 'y (in place)': tol.fwd },
      );
      conf.check(
        `unaryGrad${label.slice('unary'.length)}`,
        (backend, dtype) => {
          const dx = floats(dtype, size).fill(NaN);
          // y is f(x) in the run's own precision, as the tensor layer will pass it.
          backend.unaryGrad(
            c.op,
            floats(dtype, x),
            derived(dtype, y),
            floats(dtype, dy),
            dx,
            c.param,
            c.param2,
          );
          return { dx };
        },
        { dx: tol.grad },
      );
    }
  }
  finish(t, conf);
});

// ---------------------------------------------------------------------------------------------
// Binary with broadcasting.
// ---------------------------------------------------------------------------------------------

// Every declared op.
const binaryOps: readonly BinaryOp[] = BINARY_OPS;

const broadcastCases: { a: number[]; b: number[]; out: number[]; note?: string }[] = [
  { a: [3, 4], b: [3, 4], out: [3, 4], note: 'same shape' },
  { a: [3, 4], b: [], out: [3, 4], note: 'scalar b' },
  { a: [], b: [3, 4], out: [3, 4], note: 'scalar a' },
  { a: [3, 4], b: [1], out: [3, 4] },
  { a: [3, 4], b: [4], out: [3, 4], note: 'row vector' },
  { a: [3, 4], b: [1, 4], out: [3, 4] },
  { a: [3, 4], b: [3, 1], out: [3, 4], note: 'column vector' },
  { a: [3, 1], b: [3, 4], out: [3, 4] },
  { a: [2, 1, 3], b: [4, 1], out: [2, 4, 3] },
  { a: [4, 1], b: [2, 1, 3], out: [2, 4, 3] },
  { a: [1, 5], b: [3, 1], out: [3, 5], note: 'both broadcast' },
  { a: [2, 3, 4, 5], b: [3, 1, 5], out: [2, 3, 4, 5] },
  { a: [17, 31], b: [31], out: [17, 31] },
  { a: [65, 1], b: [1, 130], out: [65, 130] },
  { a: [128, 10], b: [10], out: [128, 10], note: 'dense bias' },
  { a: [8, 13, 13, 32], b: [32], out: [8, 13, 13, 32], note: 'conv bias' },
  { a: [1031], b: [1031], out: [1031] },
  { a: [0, 3], b: [3], out: [0, 3], note: 'empty' },
];

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((s, d) => s * d, 1);
}

function binaryData(
  op: BinaryOp,
  rng: () => number,
  n: number,
  side: 'a' | 'b',
  ties: boolean,
): Float64Array {
  if (ties) return integers(rng, n, -2, 2);
  if (op === 'pow') return side === 'a' ? uniforms(rng, n, 0.1, 3) : uniforms(rng, n, -2, 2);
  if (op === 'div' && side === 'b') {
    // Keep divisors away from 0.
    const b = uniforms(rng, n, 0.25, 2);
    for (let i = 0; i < n; i += 2) b[i] = -b[i];
    return b;
  }
  return uniforms(rng, n, -2, 2);
}

function binaryTolerance(op: BinaryOp): Tolerance {
  switch (op) {
    case 'maximum':
    case 'minimum':
    case 'greater':
    case 'greater_equal':
    case 'less':
    case 'equal':
      return 'exact';
    case 'pow':
      return transcendental();
    default:
      // add, sub, mul, div: one rounding; squared_difference: (a - b) rounded, then squared.
      return rounded();
  }
}

test('kernel conformance: binary, every op with broadcasting', (t) => {
  const conf = conformance();
  for (const op of binaryOps) {
    for (const { a: aShape, b: bShape, out: outShape } of broadcastCases) {
      for (const ties of [false, true]) {
        if (ties && op === 'pow') continue;
        const label = `binary '${op}' [${aShape}] with [${bShape}] -> [${outShape}]${ties ? ' (small integers, ties)' : ''}`;
        const rng = mulberry32(seedOf(label));
        const a = binaryData(op, rng, sizeOf(aShape), 'a', ties);
        const b = binaryData(op, rng, sizeOf(bShape), 'b', ties);
        const tol = binaryTolerance(op);
        const aliasable = aShape.join() === outShape.join();
        conf.check(
          label,
          (backend, dtype) => {
            const out = floats(dtype, sizeOf(outShape)).fill(NaN);
            backend.binary(op, floats(dtype, a), aShape, floats(dtype, b), bShape, out, outShape);
            if (!aliasable) return { out, 'out (aliasing a)': out };
            // The contract lets out alias a when a already has the output shape.
            const inPlace = floats(dtype, a);
            backend.binary(op, inPlace, aShape, floats(dtype, b), bShape, inPlace, outShape);
            return { out, 'out (aliasing a)': inPlace };
          },
          { out: tol, 'out (aliasing a)': tol },
          { out: outShape, 'out (aliasing a)': outShape },
        );
      }
    }
  }
  finish(t, conf);
});

// ---------------------------------------------------------------------------------------------
// Reductions, argmax, transpose.
// ---------------------------------------------------------------------------------------------

/** [outer, axis, inner] views: reducing the first, a middle and the last axis, and edge sizes. */
const reduceViews: [number, number, number, string][] = [
  [1, 17, 31, 'first axis of [17, 31]'],
  [3, 17, 5, 'middle axis of [3, 17, 5]'],
  [31, 65, 1, 'last axis of [31, 65]'],
  [1, 128, 784, 'first axis of [128, 784] (bias gradient)'],
  [128, 10, 1, 'last axis of [128, 10]'],
  [2, 257, 3, 'middle axis of [2, 257, 3]'],
  [4, 1, 7, 'middle axis of size 1 of [4, 1, 7]'],
  [8 * 13 * 13, 32, 1, 'last axis of [8, 13, 13, 32]'],
  [1, 8 * 13 * 13, 32, 'all but the channel axis of [8, 13, 13, 32]'],
];

test('kernel conformance: reduce over first, middle and last axes', (t) => {
  const conf = conformance();
  for (const op of REDUCE_OPS) {
    for (const [outer, axis, inner, what] of reduceViews) {
      const label = `reduce '${op}' over the ${what} (outer=${outer} axis=${axis} inner=${inner})`;
      const rng = mulberry32(seedOf(label));
      // prod over [0.5, 1.5) keeps 257-term products far from overflow and underflow.
      const x =
        op === 'prod'
          ? uniforms(rng, outer * axis * inner, 0.5, 1.5)
          : uniforms(rng, outer * axis * inner, -2, 2);
      const absSum = exact64(
        (out) => jsBackend.reduce(op === 'mean' ? 'mean' : 'sum', abs(x), outer, axis, inner, out),
        outer * inner,
      );
      const tol: Tolerance =
        op === 'max' || op === 'min'
          ? 'exact'
          : op === 'prod'
            ? (i, eps, ref) => (axis + 8) * eps * Math.abs(ref[i])
            : (i, eps, ref) =>
                sumFactor(axis, eps) * absSum[i] + ROUNDED_ULPS * eps * Math.abs(ref[i]);
      conf.check(
        label,
        (backend, dtype) => {
          const out = floats(dtype, outer * inner).fill(NaN);
          backend.reduce(op, floats(dtype, x), outer, axis, inner, out);
          return { out };
        },
        { out: tol },
        { out: [outer, inner] },
      );
    }
  }
  finish(t, conf);
});

test('kernel conformance: argmax (ties take the first index, NaN counts as maximal)', (t) => {
  const conf = conformance();
  for (const [outer, axis, inner, what] of reduceViews) {
    for (const data of ['random', 'ties', 'with NaN and -inf'] as const) {
      const label = `argmax over the ${what} (outer=${outer} axis=${axis} inner=${inner}), ${data}`;
      const rng = mulberry32(seedOf(label));
      const n = outer * axis * inner;
      const x = data === 'random' ? uniforms(rng, n) : integers(rng, n, -3, 3);
      if (data === 'with NaN and -inf') {
        for (let i = 0; i < n; i++) {
          const u = rng();
          if (u < 0.05) x[i] = NaN;
          else if (u < 0.1) x[i] = -Infinity;
        }
      }
      conf.check(
        label,
        (backend, dtype) => {
          const out = new Int32Array(outer * inner).fill(-7);
          backend.argmax(floats(dtype, x), outer, axis, inner, out);
          return { index: out };
        },
        { index: 'exact' },
        { index: [outer, inner] },
      );
    }
  }
  finish(t, conf);
});

test('kernel conformance: transpose with several permutations', (t) => {
  const conf = conformance();
  const cases: { shape: number[]; perm: number[] }[] = [
    { shape: [5], perm: [0] },
    { shape: [17, 31], perm: [1, 0] },
    { shape: [128, 784], perm: [1, 0] },
    { shape: [2, 3, 4], perm: [0, 1, 2] },
    { shape: [2, 3, 4], perm: [0, 2, 1] },
    { shape: [2, 3, 4], perm: [1, 0, 2] },
    { shape: [2, 3, 4], perm: [1, 2, 0] },
    { shape: [2, 3, 4], perm: [2, 0, 1] },
    { shape: [2, 3, 4], perm: [2, 1, 0] },
    { shape: [8, 13, 13, 32], perm: [0, 3, 1, 2] }, // NHWC -> NCHW
    { shape: [8, 32, 13, 13], perm: [0, 2, 3, 1] }, // NCHW -> NHWC
    { shape: [3, 1, 4, 2], perm: [3, 2, 1, 0] },
    { shape: [3, 3, 5, 7], perm: [3, 2, 0, 1] }, // filter [kH, kW, inC, outC] -> [outC, inC, kH, kW]
    { shape: [2, 3, 1, 5, 3], perm: [4, 0, 3, 1, 2] },
  ];
  for (const { shape, perm } of cases) {
    const label = `transpose [${shape}] perm [${perm}]`;
    const x = uniforms(mulberry32(seedOf(label)), sizeOf(shape));
    const outShape = perm.map((p) => shape[p]);
    conf.check(
      label,
      (backend, dtype) => {
        const out = floats(dtype, x.length).fill(NaN);
        backend.transpose(floats(dtype, x), shape, perm, out);
        return { out };
      },
      { out: 'exact' },
      { out: outShape },
    );
  }
  finish(t, conf);
});

// ---------------------------------------------------------------------------------------------
// Softmax family and softmax cross-entropy.
// ---------------------------------------------------------------------------------------------

const softmaxShapes: [number, number][] = [
  [1, 1],
  [3, 10],
  [5, 3],
  [17, 31],
  [128, 10],
  // Blocks of 16 narrow rows (avx512 takes them a vector per column) and the rows left over.
  [37, 7],
  [2, 257],
];

/** Per-row max and log(sum(exp(x - max))) of a [rows, cols] matrix, in doubles. */
function rowStats(
  x: Float64Array,
  rows: number,
  cols: number,
): { max: Float64Array; logSum: Float64Array } {
  const max = f64(rows).fill(-Infinity);
  const logSum = f64(rows);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) max[r] = Math.max(max[r], x[r * cols + j]);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[r * cols + j] - max[r]);
    logSum[r] = Math.log(s);
  }
  return { max, logSum };
}

/**
 * Error allowed in logsoftmax(x)[r, j] = (x - max) - log(sum): the rounding of x - max, the
 * relative error of the sum of exps carried into its log, and exp/log's own few ulps.
 */
function logSoftmaxError(
  x: Float64Array,
  cols: number,
  max: Float64Array,
  logSum: Float64Array,
  i: number,
  eps: number,
): number {
  const r = Math.floor(i / cols);
  return (
    eps * Math.abs(x[i] - max[r]) +
    sumFactor(cols, eps) +
    TRANSCENDENTAL_ULPS * eps * (1 + Math.abs(logSum[r]))
  );
}

/** softmax(x)[i]: relative error from exp of a rounded x - max (eps |x - max|), exp, sum and divide. */
function softmaxTolerance(x: Float64Array, cols: number, max: Float64Array): Tolerance {
  return (i, eps, ref) =>
    (TRANSCENDENTAL_ULPS * eps +
      sumFactor(cols, eps) +
      eps * Math.abs(x[i] - max[Math.floor(i / cols)])) *
    Math.abs(ref[i]);
}

test('kernel conformance: softmax, logSoftmax and softmaxGrad', (t) => {
  const conf = conformance();
  for (const [rows, cols] of softmaxShapes) {
    for (const spread of [1, 10]) {
      const label = `[${rows}, ${cols}] logits in +-${4 * spread}`;
      const rng = mulberry32(seedOf(label));
      const x = uniforms(rng, rows * cols, -4 * spread, 4 * spread);
      const dy = uniforms(rng, rows * cols);
      const { max, logSum } = rowStats(x, rows, cols);
      const y = exact64((out) => jsBackend.softmax(x, rows, cols, out), rows * cols);
      // sum_j |dy y| per row, the error scale of softmaxGrad's row dot product.
      const dotScale = f64(rows);
      for (let i = 0; i < rows * cols; i++)
        dotScale[Math.floor(i / cols)] += Math.abs(dy[i] * y[i]);
      const shape = { out: [rows, cols] };

      conf.check(
        `softmax ${label}`,
        (backend, dtype) => {
          const out = floats(dtype, rows * cols).fill(NaN);
          backend.softmax(floats(dtype, x), rows, cols, out);
          return { out };
        },
        { out: softmaxTolerance(x, cols, max) },
        shape,
      );
      conf.check(
        `logSoftmax ${label}`,
        (backend, dtype) => {
          const out = floats(dtype, rows * cols).fill(NaN);
          backend.logSoftmax(floats(dtype, x), rows, cols, out);
          return { out };
        },
        {
          out: (i, eps, ref) =>
            logSoftmaxError(x, cols, max, logSum, i, eps) + ROUNDED_ULPS * eps * Math.abs(ref[i]),
        },
        shape,
      );
      conf.check(
        `softmaxGrad ${label}`,
        (backend, dtype) => {
          const out = floats(dtype, rows * cols).fill(NaN);
          backend.softmaxGrad(derived(dtype, y), floats(dtype, dy), rows, cols, out);
          return { out };
        },
        {
          out: (i, eps, ref) =>
            Math.abs(y[i]) *
              (ROUNDED_ULPS * eps * Math.abs(dy[i]) +
                sumFactor(cols, eps) * dotScale[Math.floor(i / cols)]) +
            ROUNDED_ULPS * eps * Math.abs(ref[i]),
        },
        shape,
      );
    }
  }
  finish(t, conf);
});

type LabelKind = 'one-hot' | 'soft' | 'unnormalised' | 'sparse';

function makeLabels(
  kind: LabelKind,
  rng: () => number,
  rows: number,
  cols: number,
): { dense: Float64Array; sparse?: Int32Array } {
  const dense = f64(rows * cols);
  if (kind === 'one-hot' || kind === 'sparse') {
    const sparse = new Int32Array(rows).map(() => randomInt(rng, 0, cols - 1));
    sparse.forEach((l, r) => (dense[r * cols + l] = 1));
    return kind === 'sparse' ? { dense, sparse } : { dense };
  }
  const t = uniforms(rng, rows * cols, 0, 1);
  if (kind === 'soft') {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += t[r * cols + j];
      for (let j = 0; j < cols; j++) t[r * cols + j] = Math.fround(t[r * cols + j] / s);
    }
  }
  return { dense: t };
}

test('kernel conformance: softmaxCrossEntropy and its gradient, dense and sparse labels', (t) => {
  const conf = conformance();
  for (const [rows, cols] of softmaxShapes) {
    for (const kind of ['one-hot', 'soft', 'unnormalised', 'sparse'] as const) {
      const label = `[${rows}, ${cols}] ${kind} labels`;
      const rng = mulberry32(seedOf(label));
      const x = uniforms(rng, rows * cols, -6, 6);
      const { dense, sparse } = makeLabels(kind, rng, rows, cols);
      const labelsFor = (dtype: DType): Float32Array | Float64Array | Int32Array =>
        sparse ?? floats(dtype, dense);
      const { max, logSum } = rowStats(x, rows, cols);
      const probs = exact64((out) => jsBackend.softmax(x, rows, cols, out), rows * cols);
      const total = f64(rows);
      const lossScale = f64(rows);
      const lossError = f64(rows);
      for (let i = 0; i < rows * cols; i++) {
        const r = Math.floor(i / cols);
        total[r] += dense[i];
        lossScale[r] += Math.abs(dense[i] * (x[i] - max[r] - logSum[r]));
      }
      for (let i = 0; i < rows * cols; i++) {
        const r = Math.floor(i / cols);
        if (dense[i] !== 0)
          lossError[r] += Math.abs(dense[i]) * logSoftmaxError(x, cols, max, logSum, i, 1);
      }

      conf.check(
        `softmaxCrossEntropy ${label}`,
        (backend, dtype) => {
          const loss = floats(dtype, rows).fill(NaN);
          const p = floats(dtype, rows * cols).fill(NaN);
          backend.softmaxCrossEntropy(floats(dtype, x), labelsFor(dtype), rows, cols, loss, p);
          return { loss, probs: p };
        },
        {
          // lossError was built with eps = 1; every term of it is linear in eps.
          loss: (r, eps, ref) =>
            eps * lossError[r] +
            sumFactor(cols, eps) * lossScale[r] +
            ROUNDED_ULPS * eps * Math.abs(ref[r]),
          probs: softmaxTolerance(x, cols, max),
        },
        { probs: [rows, cols] },
      );

      const scales: [string, number | Float64Array][] = [
        ['scale 1', 1],
        ['scale 1/rows', 1 / rows],
        ['per-row scale', uniforms(rng, rows, -2, 2)],
      ];
      for (const [scaleName, scale] of scales) {
        const s = (r: number): number => Math.abs(typeof scale === 'number' ? scale : scale[r]);
        conf.check(
          `softmaxCrossEntropyGrad ${label}, ${scaleName}`,
          (backend, dtype) => {
            const d = floats(dtype, rows * cols).fill(NaN);
            const sc = typeof scale === 'number' ? scale : floats(dtype, scale);
            backend.softmaxCrossEntropyGrad(
              derived(dtype, probs),
              labelsFor(dtype),
              rows,
              cols,
              sc,
              d,
            );
            return { dlogits: d };
          },
          {
            dlogits: (i, eps, ref) => {
              const r = Math.floor(i / cols);
              return (
                s(r) *
                  (ROUNDED_ULPS * eps * (Math.abs(probs[i] * total[r]) + Math.abs(dense[i])) +
                    Math.abs(probs[i]) * sumFactor(cols, eps) * total[r]) +
                ROUNDED_ULPS * eps * Math.abs(ref[i])
              );
            },
          },
          { dlogits: [rows, cols] },
        );
      }
    }
  }
  finish(t, conf);
});

// ---------------------------------------------------------------------------------------------
// Dropout: bit-identical masks.
// ---------------------------------------------------------------------------------------------

test('kernel conformance: dropoutMask is bit-identical', (t) => {
  const conf = conformance();
  const rates = [0, 0.1, 0.25, 1 / 3, 0.5, 0.75, 0.9, 1];
  const seeds = [0, 1, 42, 12345, 0x7fffffff, 0x80000000, 0xffffffff, -1];
  for (const rate of rates) {
    for (const seed of seeds) {
      for (const size of seed === 42 ? [1, 17, 1000, 100_003] : [1, 17, 1000]) {
        conf.check(
          `dropoutMask rate=${rate} seed=${seed} n=${size}`,
          (backend, dtype) => {
            const mask = floats(dtype, size).fill(NaN);
            backend.dropoutMask(rate, seed, mask);
            return { mask };
          },
          { mask: 'exact' },
        );
      }
    }
  }
  finish(t, conf);
});

// ---------------------------------------------------------------------------------------------
// Conv2d forward and backward.
// ---------------------------------------------------------------------------------------------

const convSpecs: ConvSpec[] = [
  { n: 2, inH: 5, inW: 5, inC: 1, outC: 3, kH: 3, kW: 3 },
  { n: 2, inH: 5, inW: 5, inC: 1, outC: 3, kH: 3, kW: 3, padding: 'same' },
  { n: 2, inH: 7, inW: 6, inC: 3, outC: 5, kH: 3, kW: 2, padding: 'same' },
  { n: 1, inH: 9, inW: 9, inC: 5, outC: 7, kH: 3, kW: 3, stride: 2 },
  { n: 3, inH: 8, inW: 7, inC: 3, outC: 4, kH: 3, kW: 3, stride: 2, padding: 'same' },
  { n: 2, inH: 10, inW: 9, inC: 3, outC: 5, kH: 5, kW: 5, stride: 2, padding: 'same' },
  { n: 2, inH: 9, inW: 9, inC: 3, outC: 2, kH: 3, kW: 3, dilation: 2 },
  { n: 2, inH: 9, inW: 8, inC: 3, outC: 5, kH: 3, kW: 3, dilation: 2, padding: 'same' },
  {
    n: 1,
    inH: 7,
    inW: 7,
    inC: 2,
    outC: 3,
    kH: 3,
    kW: 2,
    dilation: [2, 3],
    stride: [1, 2],
    padding: 'same',
  },
  { n: 1, inH: 3, inW: 3, inC: 1, outC: 2, kH: 5, kW: 5, padding: 'same' }, // kernel larger than the input
  { n: 2, inH: 4, inW: 4, inC: 7, outC: 1, kH: 1, kW: 1 },
  { n: 1, inH: 6, inW: 6, inC: 17, outC: 31, kH: 3, kW: 3, padding: 'same' },
  // The seed CNN: conv 28x28x1 -> 32 filters 3x3, then (after 2x2 pooling) 13x13x32 -> 64.
  { n: 8, inH: 28, inW: 28, inC: 1, outC: 32, kH: 3, kW: 3 },
  { n: 8, inH: 13, inW: 13, inC: 32, outC: 64, kH: 3, kW: 3 },
];

function checkConv(conf: Conformance, g: ConvGeometry): void {
  const label = describeConv(g);
  const rng = mulberry32(seedOf(label));
  const sizes = convSizes(g);
  const x = uniforms(rng, sizes.x);
  const w = uniforms(rng, sizes.w);
  const dy = uniforms(rng, sizes.y);
  // Error scales: the same kernels on absolute values give sum |terms| per output.
  const yScale = exact64((out) => jsBackend.conv2d(abs(x), abs(w), g, out), sizes.y);
  const dxScale = exact64((out) => jsBackend.conv2dBackwardInput(abs(dy), abs(w), g, out), sizes.x);
  const dwScale = exact64(
    (out) => jsBackend.conv2dBackwardFilter(abs(x), abs(dy), g, out),
    sizes.w,
  );
  const sumTol =
    (terms: number, scale: Float64Array): Tolerance =>
    (i, eps, ref) =>
      sumFactor(terms, eps) * scale[i] + ROUNDED_ULPS * eps * Math.abs(ref[i]);

  conf.check(
    `conv2d ${label}`,
    (backend, dtype) => {
      const y = floats(dtype, sizes.y).fill(NaN);
      backend.conv2d(floats(dtype, x), floats(dtype, w), g, y);
      return { y };
    },
    { y: sumTol(g.kH * g.kW * g.inC, yScale) },
    { y: [g.n, g.outH, g.outW, g.outC] },
  );
  // The fused epilogue: bias, then relu (about half the outputs clamp to 0).
  const bias = uniforms(rng, g.outC);
  conf.check(
    `conv2d + bias + relu ${label}`,
    (backend, dtype) => {
      const y = floats(dtype, sizes.y).fill(NaN);
      backend.conv2d(floats(dtype, x), floats(dtype, w), g, y, floats(dtype, bias), 'relu');
      return { y };
    },
    { y: sumTol(g.kH * g.kW * g.inC + 1, yScale) },
    { y: [g.n, g.outH, g.outW, g.outC] },
  );
  conf.check(
    `conv2dBackwardInput ${label}`,
    (backend, dtype) => {
      const dx = floats(dtype, sizes.x).fill(NaN);
      backend.conv2dBackwardInput(floats(dtype, dy), floats(dtype, w), g, dx);
      return { dx };
    },
    { dx: sumTol(g.kH * g.kW * g.outC, dxScale) },
    { dx: [g.n, g.inH, g.inW, g.inC] },
  );
  conf.check(
    `conv2dBackwardFilter ${label}`,
    (backend, dtype) => {
      const dw = floats(dtype, sizes.w).fill(NaN);
      backend.conv2dBackwardFilter(floats(dtype, x), floats(dtype, dy), g, dw);
      return { dw };
    },
    { dw: sumTol(g.n * g.outH * g.outW, dwScale) },
    { dw: [g.kH, g.kW, g.inC, g.outC] },
  );
  // The fused first-layer backward: relu's mask from y (a relu output: zeros beside positives)
  // and the bias gradient in the same pass.
  const yRelu = uniforms(rng, sizes.y).map((v) => Math.max(v, 0));
  const dbScale = new Float64Array(g.outC);
  for (let i = 0; i < sizes.y; i++) dbScale[i % g.outC] += Math.abs(dy[i]!);
  conf.check(
    `conv2dBackwardFilter + relu + db ${label}`,
    (backend, dtype) => {
      const dw = floats(dtype, sizes.w).fill(NaN);
      const db = floats(dtype, g.outC).fill(NaN);
      const yd = floats(dtype, yRelu);
      backend.conv2dBackwardFilter(floats(dtype, x), floats(dtype, dy), g, dw, yd, 'relu', db);
      return { dw, db };
    },
    {
      dw: sumTol(g.n * g.outH * g.outW, dwScale),
      db: (i, eps, ref) =>
        sumFactor(g.n * g.outH * g.outW, eps) * dbScale[i]! +
        ROUNDED_ULPS * eps * Math.abs(ref[i]!),
    },
    { dw: [g.kH, g.kW, g.inC, g.outC], db: [g.outC] },
  );
}

test('kernel conformance: conv2d forward, backward input and backward filter', (t) => {
  const conf = conformance();
  for (const spec of convSpecs) checkConv(conf, convGeometry(spec));
  finish(t, conf);
});

test('kernel conformance: epilogueGrad (relu and linear, with and without the bias sum)', (t) => {
  const conf = conformance();
  // [rows, cols]: the seed CNN's two conv outputs (batch 8), odd sizes for the vector tails.
  const shapes: [number, number][] = [
    [8 * 26 * 26, 32],
    [8 * 11 * 11, 64],
    [37, 5],
    [3, 19],
    [1, 1],
  ];
  for (const [rows, cols] of shapes) {
    for (const activation of EPILOGUES) {
      for (const withBias of [true, false]) {
        const label = `epilogueGrad ${activation} ${rows}x${cols}${withBias ? ' + db' : ''}`;
        const rng = mulberry32(seedOf(label));
        // y as a relu output: zeros (relu'(0) = 0) beside positives.
        const y = uniforms(rng, rows * cols).map((v) => Math.max(v, 0));
        const dy = uniforms(rng, rows * cols);
        const dbScale = new Float64Array(cols);
        for (let i = 0; i < rows * cols; i++) dbScale[i % cols] += Math.abs(dy[i]!);
        const run = (
          backend: Backend,
          dtype: DType,
        ): { dpre: Float32Array | Float64Array; db: Float32Array | Float64Array } => {
          const dpre = floats(dtype, rows * cols).fill(NaN);
          const db = floats(dtype, cols).fill(NaN);
          backend.epilogueGrad(
            activation,
            floats(dtype, y),
            floats(dtype, dy),
            rows,
            cols,
            dpre,
            withBias ? db : undefined,
          );
          return { dpre, db };
        };
        if (withBias) {
          conf.check(
            label,
            run,
            {
              dpre: rounded(),
              db: (i, eps, ref) =>
                sumFactor(rows, eps) * dbScale[i]! + ROUNDED_ULPS * eps * Math.abs(ref[i]!),
            },
            { dpre: [rows, cols], db: [cols] },
          );
        } else {
          conf.check(
            label,
            (backend, dtype) => ({ dpre: run(backend, dtype).dpre }),
            { dpre: rounded() },
            { dpre: [rows, cols] },
          );
        }
      }
    }
  }
  finish(t, conf);
});

test('kernel conformance: batchNorm and batchNormBackward, with and without gamma and beta', (t) => {
  const conf = conformance();
  // [rows, cols]: conv outputs (NHWC as [n * h * w, c]), odd sizes for the vector tails, and a
  // single row (variance 0).
  const shapes: [number, number][] = [
    [8 * 26 * 26, 32],
    [8 * 11 * 11, 64],
    [37, 5],
    [3, 19],
    [1, 1],
  ];
  const maybe = (on: boolean, dtype: DType, v: Float64Array): FloatArray | undefined =>
    on ? floats(dtype, v) : undefined;
  for (const [rows, cols] of shapes) {
    for (const affine of [true, false]) {
      const label = `batchNorm ${rows}x${cols}${affine ? ' + gamma, beta' : ''}`;
      const rng = mulberry32(seedOf(label));
      // Each column off-centre (by up to 4) so a kernel that skips centring shows.
      const offsets = uniforms(rng, cols).map((v) => 4 * v);
      const x = uniforms(rng, rows * cols).map((v, i) => Math.fround(v + offsets[i % cols]!));
      const gamma = uniforms(rng, cols).map((v) => Math.fround(v + 1.5));
      const beta = uniforms(rng, cols);
      const dy = uniforms(rng, rows * cols);
      // Float64 statistics for the tolerances.
      const mean = new Float64Array(cols);
      const inv = new Float64Array(cols);
      for (let i = 0; i < rows * cols; i++) mean[i % cols] += x[i]! / rows;
      for (let i = 0; i < rows * cols; i++) inv[i % cols] += (x[i]! - mean[i % cols]!) ** 2 / rows;
      for (let c = 0; c < cols; c++) inv[c] = 1 / Math.sqrt(inv[c]! + 1e-3);
      const g = (c: number): number => (affine ? Math.abs(gamma[c]!) : 1);
      const xhat = (i: number): number => Math.abs(x[i]! - mean[i % cols]!) * inv[i % cols]!;
      const absX = new Float64Array(cols);
      const absDy = new Float64Array(cols);
      const absDyXhat = new Float64Array(cols);
      for (let i = 0; i < rows * cols; i++) {
        absX[i % cols] += Math.abs(x[i]!);
        absDy[i % cols] += Math.abs(dy[i]!);
        absDyXhat[i % cols] += Math.abs(dy[i]!) * xhat(i);
      }
      conf.check(
        label,
        (backend, dtype) => {
          const out = {
            y: floats(dtype, rows * cols).fill(NaN),
            mean: floats(dtype, cols).fill(NaN),
            variance: floats(dtype, cols).fill(NaN),
            invStd: floats(dtype, cols).fill(NaN),
          };
          backend.batchNorm(
            floats(dtype, x),
            rows,
            cols,
            1e-3,
            out.y,
            out.mean,
            out.variance,
            out.invStd,
            maybe(affine, dtype, gamma),
            maybe(affine, dtype, beta),
          );
          return out;
        },
        {
          // Rounded mean, centring, scale and offset: a few ulps of each term.
          y: (i, eps, ref) =>
            2 *
            ROUNDED_ULPS *
            eps *
            (Math.abs(ref[i]!) +
              g(i % cols) * (xhat(i) + Math.abs(mean[i % cols]!) * inv[i % cols]!) +
              (affine ? Math.abs(beta[i % cols]!) : 0)),
          mean: (i, eps, ref) =>
            sumFactor(rows, eps) * (absX[i]! / rows) + ROUNDED_ULPS * eps * Math.abs(ref[i]!),
          variance: (i, eps, ref) =>
            (sumFactor(rows, eps) + ROUNDED_ULPS * eps) * Math.abs(ref[i]!),
          invStd: (i, eps, ref) => (sumFactor(rows, eps) + ROUNDED_ULPS * eps) * Math.abs(ref[i]!),
        },
        { y: [rows, cols] },
      );
      // The backward from the reference's own float64 statistics.
      const meanRef = floats('float64', cols);
      const invRef = floats('float64', cols);
      jsBackend.batchNorm(
        floats('float64', x),
        rows,
        cols,
        1e-3,
        floats('float64', rows * cols),
        meanRef,
        floats('float64', cols),
        invRef,
      );
      conf.check(
        `batchNormBackward ${rows}x${cols}${affine ? ' + gamma' : ''}`,
        (backend, dtype) => {
          const out = {
            dx: floats(dtype, rows * cols).fill(NaN),
            dgamma: floats(dtype, cols).fill(NaN),
            dbeta: floats(dtype, cols).fill(NaN),
          };
          backend.batchNormBackward(
            floats(dtype, x),
            floats(dtype, dy),
            floats(dtype, meanRef),
            floats(dtype, invRef),
            rows,
            cols,
            out.dx,
            out.dgamma,
            out.dbeta,
            maybe(affine, dtype, gamma),
          );
          return out;
        },
        {
          dx: (i, eps, ref) => {
            const c = i % cols;
            const terms = Math.abs(dy[i]!) + absDy[c]! / rows + xhat(i) * (absDyXhat[c]! / rows);
            return (
              2 * ROUNDED_ULPS * eps * g(c) * inv[c]! * terms +
              (sumFactor(rows, eps) * g(c) * inv[c]! * (absDy[c]! + xhat(i) * absDyXhat[c]!)) /
                rows +
              ROUNDED_ULPS * eps * Math.abs(ref[i]!)
            );
          },
          dgamma: (i, eps, ref) =>
            (sumFactor(rows, eps) + 2 * ROUNDED_ULPS * eps) * absDyXhat[i]! +
            ROUNDED_ULPS * eps * Math.abs(ref[i]!),
          dbeta: (i, eps, ref) =>
            sumFactor(rows, eps) * absDy[i]! + ROUNDED_ULPS * eps * Math.abs(ref[i]!),
        },
        { dx: [rows, cols] },
      );
    }
  }
  finish(t, conf);
});

test('kernel conformance: scaleShift, with and without shift', (t) => {
  const conf = conformance();
  const shapes: [number, number][] = [
    [8 * 26 * 26, 32],
    [37, 5],
    [3, 19],
    [1, 1],
  ];
  for (const [rows, cols] of shapes) {
    for (const withShift of [true, false]) {
      const label = `scaleShift ${rows}x${cols}${withShift ? ' + shift' : ''}`;
      const rng = mulberry32(seedOf(label));
      const x = uniforms(rng, rows * cols);
      const scale = uniforms(rng, cols);
      const shift = uniforms(rng, cols);
      conf.check(
        label,
        (backend, dtype) => {
          const y = floats(dtype, rows * cols).fill(NaN);
          const s = withShift ? floats(dtype, shift) : undefined;
          backend.scaleShift(floats(dtype, x), rows, cols, floats(dtype, scale), y, s);
          return { y };
        },
        {
          // One product and one sum (fused or not): an ulp or two of each term.
          y: rounded(
            (i) =>
              Math.abs(x[i]! * scale[i % cols]!) + (withShift ? Math.abs(shift[i % cols]!) : 0),
          ),
        },
        { y: [rows, cols] },
      );
    }
  }
  finish(t, conf);
});

// ---------------------------------------------------------------------------------------------
// Pooling.
// ---------------------------------------------------------------------------------------------

const poolSpecs: PoolSpec[] = [
  { n: 8, inH: 26, inW: 26, c: 32, pool: 2 }, // the seed CNN: 26 -> 13
  { n: 8, inH: 11, inW: 11, c: 64, pool: 2 }, // 11 -> 5, the last row/column dropped
  { n: 2, inH: 7, inW: 7, c: 3, pool: 3, stride: 2 },
  { n: 2, inH: 7, inW: 6, c: 3, pool: 3, stride: 2, padding: 'same' },
  { n: 1, inH: 5, inW: 5, c: 5, pool: 3, stride: 1, padding: 'same' },
  { n: 2, inH: 5, inW: 6, c: 1, pool: 2, stride: 1 },
  { n: 2, inH: 9, inW: 8, c: 3, pool: 2, stride: 3 }, // stride > pool: gaps
  { n: 1, inH: 9, inW: 7, c: 2, pool: 2, stride: 3, padding: 'same' },
  { n: 1, inH: 6, inW: 5, c: 3, pool: [2, 3], stride: [2, 1], padding: 'same' },
  { n: 1, inH: 3, inW: 3, c: 1, pool: 2, padding: 'same' },
];

function checkPool(conf: Conformance, g: PoolGeometry, ties: boolean): void {
  const label = `${describePool(g)}${ties ? ' (small integers, ties)' : ''}`;
  const rng = mulberry32(seedOf(label));
  const sizes = poolSizes(g);
  const x = ties ? integers(rng, sizes.x, -2, 2) : uniforms(rng, sizes.x);
  const dy = uniforms(rng, sizes.y);
  const windowSize = g.poolH * g.poolW;
  // Windows overlapping one input: at most ceil(pool / stride) per axis.
  const overlap = Math.ceil(g.poolH / g.strideH) * Math.ceil(g.poolW / g.strideW);
  const argmax = new Int32Array(sizes.y);
  jsBackend.maxPool(x, g, f64(sizes.y), argmax);
  const maxBackScale = exact64((out) => jsBackend.maxPoolBackward(abs(dy), argmax, out), sizes.x);
  const avgScale = exact64((out) => jsBackend.avgPool(abs(x), g, out), sizes.y);
  const avgBackScale = exact64((out) => jsBackend.avgPoolBackward(abs(dy), g, out), sizes.x);
  const ySh = [g.n, g.outH, g.outW, g.c];
  const xSh = [g.n, g.inH, g.inW, g.c];

  conf.check(
    `maxPool ${label}`,
    (backend, dtype) => {
      const y = floats(dtype, sizes.y).fill(NaN);
      const arg = new Int32Array(sizes.y).fill(-7);
      backend.maxPool(floats(dtype, x), g, y, arg);
      return { y, argmax: arg };
    },
    { y: 'exact', argmax: 'exact' },
    { y: ySh, argmax: ySh },
  );
  conf.check(
    `maxPoolBackward ${label}`,
    (backend, dtype) => {
      const dx = floats(dtype, sizes.x).fill(NaN);
      backend.maxPoolBackward(floats(dtype, dy), argmax, dx);
      return { dx };
    },
    {
      dx: (i, eps, ref) =>
        sumFactor(overlap, eps) * maxBackScale[i] + ROUNDED_ULPS * eps * Math.abs(ref[i]),
    },
    { dx: xSh },
  );
  conf.check(
    `avgPool ${label}`,
    (backend, dtype) => {
      const y = floats(dtype, sizes.y).fill(NaN);
      backend.avgPool(floats(dtype, x), g, y);
      return { y };
    },
    {
      y: (i, eps, ref) =>
        sumFactor(windowSize, eps) * avgScale[i] + ROUNDED_ULPS * eps * Math.abs(ref[i]),
    },
    { y: ySh },
  );
  conf.check(
    `avgPoolBackward ${label}`,
    (backend, dtype) => {
      const dx = floats(dtype, sizes.x).fill(NaN);
      backend.avgPoolBackward(floats(dtype, dy), g, dx);
      return { dx };
    },
    {
      dx: (i, eps, ref) =>
        sumFactor(overlap, eps) * avgBackScale[i] + ROUNDED_ULPS * eps * Math.abs(ref[i]),
    },
    { dx: xSh },
  );
}

test('kernel conformance: maxPool and avgPool with their backward passes', (t) => {
  const conf = conformance();
  for (const spec of poolSpecs) {
    for (const ties of [false, true]) checkPool(conf, poolGeometry(spec), ties);
  }
  finish(t, conf);
});

// ---------------------------------------------------------------------------------------------
// Convolution fused with max pooling, and the pooled backward of its epilogue.
// ---------------------------------------------------------------------------------------------

/** A conv and the pooling of its output (pool: size, stride, padding over the conv output). */
const convPoolSpecs: [ConvSpec, Omit<PoolSpec, 'n' | 'inH' | 'inW' | 'c'>][] = [
  // The seed CNN's two blocks (26 -> 13, and 11 -> 5 with the last row and column dropped).
  [{ n: 4, inH: 28, inW: 28, inC: 1, outC: 32, kH: 3, kW: 3 }, { pool: 2 }],
  [{ n: 4, inH: 13, inW: 13, inC: 32, outC: 64, kH: 3, kW: 3 }, { pool: 2 }],
  [{ n: 3, inH: 8, inW: 9, inC: 16, outC: 5, kH: 2, kW: 3 }, { pool: [2, 1] }],
  // Column padding and a pointwise conv: the kernels' other paths.
  [{ n: 2, inH: 7, inW: 6, inC: 3, outC: 5, kH: 3, kW: 2, padding: 'same' }, { pool: 2 }],
  [{ n: 2, inH: 4, inW: 5, inC: 7, outC: 3, kH: 1, kW: 1 }, { pool: 2 }],
  // Row padding only, strides, dilation; overlapping and padded windows.
  [
    { n: 2, inH: 9, inW: 8, inC: 2, outC: 3, kH: 3, kW: 1, padding: 'same' },
    { pool: 3, stride: 2 },
  ],
  [
    { n: 3, inH: 11, inW: 10, inC: 3, outC: 4, kH: 3, kW: 3, stride: 2 },
    { pool: [2, 3], padding: 'same' },
  ],
  [
    { n: 2, inH: 9, inW: 9, inC: 3, outC: 17, kH: 3, kW: 3, dilation: 2 },
    { pool: 2, stride: 1 },
  ],
  [
    { n: 1, inH: 6, inW: 7, inC: 2, outC: 3, kH: 2, kW: 2 },
    { pool: 3, stride: 3, padding: 'same' },
  ],
];

function checkConvPool(
  conf: Conformance,
  cg: ConvGeometry,
  pg: PoolGeometry,
  withBias: boolean,
): void {
  const label = `${describeConv(cg)} -> ${describePool(pg)}${withBias ? ' + bias' : ''}`;
  const rng = mulberry32(seedOf(label));
  const sizes = convSizes(cg);
  const pooled = poolSizes(pg).y;
  for (const activation of EPILOGUES) {
    // Small integers: every conv sum is exact in float32, so values, ties and argmax all match.
    const xi = integers(rng, sizes.x, -2, 2);
    const wi = integers(rng, sizes.w, -2, 2);
    const bi = integers(rng, cg.outC, -3, 3);
    conf.check(
      `conv2dMaxPool ${activation} ${label} (integers)`,
      (backend, dtype) => {
        const y = floats(dtype, pooled).fill(NaN);
        const argmax = new Int32Array(pooled).fill(-7);
        const b = withBias ? floats(dtype, bi) : undefined;
        backend.conv2dMaxPool(
          floats(dtype, xi),
          floats(dtype, wi),
          cg,
          pg,
          y,
          argmax,
          b,
          activation,
        );
        // Without argmax (inference): the same maxima.
        const alone = floats(dtype, pooled).fill(NaN);
        backend.conv2dMaxPool(
          floats(dtype, xi),
          floats(dtype, wi),
          cg,
          pg,
          alone,
          undefined,
          b,
          activation,
        );
        return { y, argmax, alone };
      },
      { y: 'exact', argmax: 'exact', alone: 'exact' },
    );
    // Random values: the pooled maxima within the conv's rounding.
    const x = uniforms(rng, sizes.x);
    const w = uniforms(rng, sizes.w);
    const bias = uniforms(rng, cg.outC);
    const pre = f64(sizes.y);
    jsBackend.conv2d(abs(x), abs(w), cg, pre, withBias ? abs(bias) : undefined);
    const scale = f64(pooled);
    jsBackend.maxPool(pre, pg, scale, new Int32Array(pooled));
    const terms = cg.kH * cg.kW * cg.inC + 1;
    conf.check(
      `conv2dMaxPool ${activation} ${label}`,
      (backend, dtype) => {
        const y = floats(dtype, pooled).fill(NaN);
        const b = withBias ? floats(dtype, bias) : undefined;
        backend.conv2dMaxPool(
          floats(dtype, x),
          floats(dtype, w),
          cg,
          pg,
          y,
          new Int32Array(pooled),
          b,
          activation,
        );
        return { y };
      },
      {
        y: (i, eps, ref) =>
          sumFactor(terms, eps) * scale[i]! + ROUNDED_ULPS * eps * Math.abs(ref[i]!),
      },
    );

    // The backward: argmax from pooling a random conv output, y its maxima through the epilogue.
    const out = uniforms(rng, sizes.y);
    const argmax = new Int32Array(pooled);
    const y = f64(pooled);
    jsBackend.maxPool(out, pg, y, argmax);
    if (activation === 'relu') for (let i = 0; i < pooled; i++) y[i] = Math.max(y[i]!, 0);
    const dy = uniforms(rng, pooled);
    const overlap = Math.ceil(pg.poolH / pg.strideH) * Math.ceil(pg.poolW / pg.strideW);
    const dpreScale = exact64((o) => jsBackend.maxPoolBackward(abs(dy), argmax, o), sizes.y);
    const dbScale = f64(cg.outC);
    for (let i = 0; i < pooled; i++) dbScale[i % cg.outC] += Math.abs(dy[i]!);
    const run = (backend: Backend, dtype: DType, db?: FloatArray): FloatArray => {
      const dpre = floats(dtype, sizes.y).fill(NaN);
      backend.maxPoolEpilogueGrad(
        activation,
        floats(dtype, y),
        floats(dtype, dy),
        argmax,
        pg,
        dpre,
        db,
      );
      return dpre;
    };
    const dpreTol: Tolerance = (i, eps, ref) =>
      sumFactor(overlap, eps) * dpreScale[i]! + ROUNDED_ULPS * eps * Math.abs(ref[i]!);
    // The first-layer filter gradient straight from the pooled one.
    const xs = uniforms(rng, sizes.x);
    const dpreRef = f64(sizes.y);
    jsBackend.maxPoolEpilogueGrad(activation, y, abs(dy), argmax, pg, dpreRef);
    const dwScale = exact64(
      (o) => jsBackend.conv2dBackwardFilter(abs(xs), dpreRef, cg, o),
      sizes.w,
    );
    // Terms per dw entry: the pooled outputs (one conv position each).
    const dwTerms = pooled / cg.outC;
    conf.check(
      `conv2dMaxPoolBackwardFilter ${activation} ${label}`,
      (backend, dtype) => {
        const dw = floats(dtype, sizes.w).fill(NaN);
        const db = floats(dtype, cg.outC).fill(NaN);
        backend.conv2dMaxPoolBackwardFilter(
          floats(dtype, xs),
          floats(dtype, dy),
          floats(dtype, y),
          argmax,
          cg,
          pg,
          activation,
          dw,
          withBias ? db : undefined,
        );
        return withBias ? { dw, db } : { dw, db: floats(dtype, cg.outC) };
      },
      {
        dw: (i, eps, ref) =>
          sumFactor(dwTerms, eps) * dwScale[i]! + ROUNDED_ULPS * eps * Math.abs(ref[i]!),
        db: (i, eps, ref) =>
          sumFactor(dwTerms, eps) * dbScale[i]! + ROUNDED_ULPS * eps * Math.abs(ref[i]!),
      },
    );
    // dx and dw together (a layer inside the network).
    const ws = uniforms(rng, sizes.w);
    const dxScale = exact64((o) => jsBackend.conv2dBackwardInput(dpreRef, abs(ws), cg, o), sizes.x);
    const dxTerms = cg.kH * cg.kW * cg.outC * overlap;
    conf.check(
      `conv2dMaxPoolBackward ${activation} ${label}`,
      (backend, dtype) => {
        const dx = floats(dtype, sizes.x).fill(NaN);
        const dw = floats(dtype, sizes.w).fill(NaN);
        const db = floats(dtype, cg.outC).fill(NaN);
        backend.conv2dMaxPoolBackward(
          floats(dtype, xs),
          floats(dtype, ws),
          floats(dtype, dy),
          floats(dtype, y),
          argmax,
          cg,
          pg,
          activation,
          dx,
          dw,
          withBias ? db : undefined,
        );
        return withBias ? { dx, dw, db } : { dx, dw, db: floats(dtype, cg.outC) };
      },
      {
        dx: (i, eps, ref) =>
          sumFactor(dxTerms, eps) * dxScale[i]! + ROUNDED_ULPS * eps * Math.abs(ref[i]!),
        dw: (i, eps, ref) =>
          sumFactor(dwTerms, eps) * dwScale[i]! + ROUNDED_ULPS * eps * Math.abs(ref[i]!),
        db: (i, eps, ref) =>
          sumFactor(dwTerms, eps) * dbScale[i]! + ROUNDED_ULPS * eps * Math.abs(ref[i]!),
      },
    );
    if (withBias) {
      conf.check(
        `maxPoolEpilogueGrad ${activation} ${label}`,
        (backend, dtype) => {
          const db = floats(dtype, cg.outC).fill(NaN);
          return { dpre: run(backend, dtype, db), db };
        },
        {
          dpre: dpreTol,
          db: (i, eps, ref) =>
            sumFactor(pooled / cg.outC, eps) * dbScale[i]! + ROUNDED_ULPS * eps * Math.abs(ref[i]!),
        },
      );
    } else {
      conf.check(
        `maxPoolEpilogueGrad ${activation} ${label}`,
        (backend, dtype) => ({ dpre: run(backend, dtype) }),
        { dpre: dpreTol },
      );
    }
  }
}

test('kernel conformance: conv2dMaxPool and its backward kernels', (t) => {
  const conf = conformance();
  for (const [convSpec, poolSpec] of convPoolSpecs) {
    const cg = convGeometry(convSpec);
    const pg = poolGeometry({ ...poolSpec, n: cg.n, inH: cg.outH, inW: cg.outW, c: cg.outC });
    for (const withBias of [true, false]) checkConvPool(conf, cg, pg, withBias);
  }
  finish(t, conf);
});

test('the conv + max-pool kernels reject what they cannot compute, on every backend', () => {
  const cg = convGeometry({ n: 2, inH: 6, inW: 6, inC: 1, outC: 2, kH: 3, kW: 3 });
  const pg = poolGeometry({ n: 2, inH: 4, inW: 4, c: 2, pool: 2 });
  const x = new Float32Array(72);
  const w = new Float32Array(18);
  for (const target of discovery.targets) {
    if (target.dtype !== 'float32') continue;
    const b = target.backend;
    assert.throws(
      () => b.conv2dMaxPool(x, w, cg, { ...pg, inH: 5 }, new Float32Array(8), new Int32Array(8)),
      RangeError,
      `${target.label}: a pooling geometry that does not take the conv output`,
    );
    // An argmax pointing outside dpre.
    const argmax = new Int32Array(pg.n * pg.outH * pg.outW * pg.c).fill(3);
    argmax[5] = 64;
    assert.throws(
      () =>
        b.maxPoolEpilogueGrad(
          'linear',
          new Float32Array(16),
          new Float32Array(16),
          argmax,
          pg,
          new Float32Array(64),
        ),
      RangeError,
      `${target.label}: argmax outside dpre`,
    );
    assert.throws(
      () =>
        b.conv2dMaxPoolBackwardFilter(
          x,
          new Float32Array(16),
          new Float32Array(16),
          argmax,
          cg,
          pg,
          'relu',
          new Float32Array(18),
        ),
      RangeError,
      `${target.label}: argmax outside the conv output`,
    );
    assert.throws(
      () =>
        b.conv2dMaxPoolBackward(
          x,
          w,
          new Float32Array(16),
          new Float32Array(16),
          argmax,
          cg,
          pg,
          'relu',
          new Float32Array(72),
          new Float32Array(18),
        ),
      RangeError,
      `${target.label}: conv2dMaxPoolBackward with an argmax outside the conv output`,
    );
  }
});

// ---------------------------------------------------------------------------------------------
// Depthwise convolution.
// ---------------------------------------------------------------------------------------------

/** Depthwise specs: outC is inC * multiplier. */
const depthwiseSpecs: ConvSpec[] = [
  { n: 2, inH: 5, inW: 5, inC: 3, outC: 3, kH: 3, kW: 3 },
  { n: 2, inH: 6, inW: 7, inC: 4, outC: 4, kH: 3, kW: 3, padding: 'same' },
  { n: 2, inH: 7, inW: 6, inC: 3, outC: 6, kH: 3, kW: 2, padding: 'same' }, // multiplier 2
  { n: 1, inH: 9, inW: 9, inC: 5, outC: 15, kH: 3, kW: 3, stride: 2 },
  { n: 3, inH: 8, inW: 7, inC: 8, outC: 8, kH: 3, kW: 3, stride: 2, padding: 'same' },
  { n: 2, inH: 9, inW: 8, inC: 2, outC: 4, kH: 3, kW: 3, dilation: 2, padding: 'same' },
  { n: 1, inH: 3, inW: 3, inC: 2, outC: 2, kH: 5, kW: 5, padding: 'same' }, // kernel larger than the input
  { n: 4, inH: 14, inW: 14, inC: 32, outC: 32, kH: 3, kW: 3, padding: 'same' }, // a separable block
];

function checkDepthwise(conf: Conformance, g: ConvGeometry): void {
  const label = `depthwise ${describeConv(g)}`;
  const rng = mulberry32(seedOf(label));
  const xSize = g.n * g.inH * g.inW * g.inC;
  const wSize = g.kH * g.kW * g.outC;
  const ySize = g.n * g.outH * g.outW * g.outC;
  const mult = g.outC / g.inC;
  const x = uniforms(rng, xSize);
  const w = uniforms(rng, wSize);
  const dy = uniforms(rng, ySize);
  const yScale = exact64((out) => jsBackend.depthwiseConv2d(abs(x), abs(w), g, out), ySize);
  const dxScale = exact64(
    (out) => jsBackend.depthwiseConv2dBackwardInput(abs(dy), abs(w), g, out),
    xSize,
  );
  const dwScale = exact64(
    (out) => jsBackend.depthwiseConv2dBackwardFilter(abs(x), abs(dy), g, out),
    wSize,
  );
  const sumTol =
    (terms: number, scale: Float64Array): Tolerance =>
    (i, eps, ref) =>
      sumFactor(terms, eps) * scale[i] + ROUNDED_ULPS * eps * Math.abs(ref[i]);
  conf.check(
    `depthwiseConv2d ${label}`,
    (backend, dtype) => {
      const y = floats(dtype, ySize).fill(NaN);
      backend.depthwiseConv2d(floats(dtype, x), floats(dtype, w), g, y);
      return { y };
    },
    { y: sumTol(g.kH * g.kW, yScale) },
    { y: [g.n, g.outH, g.outW, g.outC] },
  );
  conf.check(
    `depthwiseConv2dBackwardInput ${label}`,
    (backend, dtype) => {
      const dx = floats(dtype, xSize).fill(NaN);
      backend.depthwiseConv2dBackwardInput(floats(dtype, dy), floats(dtype, w), g, dx);
      return { dx };
    },
    { dx: sumTol(g.kH * g.kW * mult, dxScale) },
    { dx: [g.n, g.inH, g.inW, g.inC] },
  );
  conf.check(
    `depthwiseConv2dBackwardFilter ${label}`,
    (backend, dtype) => {
      const dw = floats(dtype, wSize).fill(NaN);
      backend.depthwiseConv2dBackwardFilter(floats(dtype, x), floats(dtype, dy), g, dw);
      return { dw };
    },
    { dw: sumTol(g.n * g.outH * g.outW, dwScale) },
    { dw: [g.kH, g.kW, g.inC, mult] },
  );
}

test('kernel conformance: depthwiseConv2d forward, backward input and backward filter', (t) => {
  const conf = conformance();
  for (const spec of depthwiseSpecs) checkDepthwise(conf, convGeometry(spec));
  finish(t, conf);
});

// ---------------------------------------------------------------------------------------------
// Image warps.
// ---------------------------------------------------------------------------------------------

interface WarpCase {
  what: string;
  n: number;
  h: number;
  w: number;
  c: number;
  /** One 8-float transform per image (rounded to float32, so both precisions read the same). */
  transform: (rng: () => number, h: number, w: number) => number[];
}

const rotation = (angle: number, h: number, w: number): number[] => {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const xo = (w - 1 - (cos * (w - 1) - sin * (h - 1))) / 2;
  const yo = (h - 1 - (sin * (w - 1) + cos * (h - 1))) / 2;
  return [cos, -sin, xo, sin, cos, yo, 0, 0];
};

const warpCases: WarpCase[] = [
  {
    what: 'translation',
    n: 3,
    h: 7,
    w: 6,
    c: 2,
    transform: (rng, h, w) => [1, 0, (rng() - 0.5) * w, 0, 1, (rng() - 0.5) * h, 0, 0],
  },
  {
    what: 'rotation',
    n: 4,
    h: 9,
    w: 9,
    c: 3,
    transform: (rng, h, w) => rotation((rng() - 0.5) * 2 * Math.PI, h, w),
  },
  {
    what: 'zoom',
    n: 3,
    h: 8,
    w: 10,
    c: 1,
    transform: (rng, h, w) => {
      const zx = 0.5 + rng();
      const zy = 0.5 + rng();
      return [zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy), 0, 0];
    },
  },
  {
    what: 'far outside (several periods)',
    n: 2,
    h: 5,
    w: 4,
    c: 2,
    transform: (rng) => [1, 0, -13.3 - rng() * 20, 0, 1, 11.7 + rng() * 20, 0, 0],
  },
  {
    what: 'projective, with a k = 0 column',
    n: 2,
    h: 6,
    w: 6,
    c: 2,
    transform: (rng) => [1 + rng() * 0.2, 0.1, 0.5, -0.1, 1, rng(), -0.5, 0],
  },
  {
    what: 'the MNIST shape',
    n: 4,
    h: 28,
    w: 28,
    c: 1,
    transform: (rng, h, w) => {
      const r = rotation((rng() - 0.5) * 0.35, h, w);
      return [
        r[0]!,
        r[1]!,
        r[2]! + (rng() - 0.5) * 5.6,
        r[3]!,
        r[4]!,
        r[5]! + (rng() - 0.5) * 5.6,
        0,
        0,
      ];
    },
  },
];

function checkWarp(conf: Conformance, c: WarpCase): void {
  const label = `${c.what} [${c.n}, ${c.h}, ${c.w}, ${c.c}]`;
  const rng = mulberry32(seedOf(label));
  const size = c.n * c.h * c.w * c.c;
  const x = uniforms(rng, size);
  const transforms: number[] = [];
  for (let b = 0; b < c.n; b++) transforms.push(...c.transform(rng, c.h, c.w).map(Math.fround));
  const shape = [c.n, c.h, c.w, c.c];
  for (const fillMode of FILL_MODES) {
    for (const interpolation of INTERPOLATIONS) {
      const fillValue = 0.25;
      conf.check(
        `affineTransform ${label} ${fillMode} ${interpolation}`,
        (backend, dtype) => {
          const y = floats(dtype, size).fill(NaN);
          backend.affineTransform(
            floats(dtype, x),
            floats(dtype, transforms),
            c.n,
            c.h,
            c.w,
            c.c,
            fillMode,
            interpolation,
            fillValue,
            y,
          );
          return { y };
        },
        // A blend of at most four neighbours (|x| <= 1) with weights summing to 1.
        { y: interpolation === 'nearest' ? 'exact' : (_i, eps) => 8 * ROUNDED_ULPS * eps },
        { y: shape },
      );
    }
  }
}

test('kernel conformance: affineTransform, every fill mode and interpolation', (t) => {
  const conf = conformance();
  for (const c of warpCases) checkWarp(conf, c);
  finish(t, conf);
});

// ---------------------------------------------------------------------------------------------
// Optimizers.
// ---------------------------------------------------------------------------------------------

type UpdateAt = (step: number) => OptimizerUpdate;

interface OptimizerCase {
  name: string;
  update: UpdateAt;
  /** The slot arrays in backend.ts's order. */
  slots: string[];
  /** Initial slot value (Keras's Adagrad starts its accumulator at 0.1). */
  init?: number;
  /** Decay rates in the formula, for `decayConditioning`. */
  decays: number[];
}

const fixed =
  (u: OptimizerUpdate): UpdateAt =>
  () =>
    u;

// Keras defaults, then exaggerated values that make every term of the formula visible. Keyed
// by kind, so a kernel declared without cases here fails to compile.
const OPTIMIZER_CASES: { [K in OptimizerKind]: () => OptimizerCase[] } = {
  sgd: () =>
    (
      [
        [0.01, 0, false],
        [0.01, 0, true],
        [0.1, 0.9, false],
        [0.1, 0.9, true],
        [0.5, 0.5, true],
      ] as const
    ).map(([lr, momentum, nesterov]) => ({
      name: `sgd lr=${lr} momentum=${momentum} nesterov=${nesterov}`,
      update: fixed({ kind: 'sgd', lr, momentum, nesterov }),
      slots: momentum === 0 ? [] : ['velocity'],
      decays: [momentum],
    })),
  rmsprop: () =>
    [
      { lr: 0.001, rho: 0.9, epsilon: 1e-7 },
      { lr: 0.1, rho: 0.5, epsilon: 0.1 },
    ].flatMap((s) =>
      [false, true].flatMap((centered) =>
        [0, 0.9].map((momentum) => ({
          name: `rmsprop lr=${s.lr} rho=${s.rho} eps=${s.epsilon} centered=${centered} momentum=${momentum}`,
          update: fixed({ kind: 'rmsprop', ...s, momentum, centered }),
          slots: ['ms', ...(centered ? ['mg'] : []), ...(momentum > 0 ? ['mom'] : [])],
          decays: [s.rho, momentum],
        })),
      ),
    ),
  adam: () =>
    [
      { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      { lr: 0.1, beta1: 0.5, beta2: 0.8, epsilon: 0.1 },
    ].flatMap((s) =>
      [false, true].map((amsgrad) => ({
        name: `adam lr=${s.lr} beta1=${s.beta1} beta2=${s.beta2} eps=${s.epsilon} amsgrad=${amsgrad}`,
        update: (step: number) => ({ kind: 'adam' as const, ...s, step, amsgrad }),
        slots: amsgrad ? ['m', 'v', 'vhat'] : ['m', 'v'],
        decays: [s.beta1, s.beta2],
      })),
    ),
  adagrad: () =>
    [
      { lr: 0.001, epsilon: 1e-7 },
      { lr: 0.5, epsilon: 0.1 },
    ].map((s) => ({
      name: `adagrad lr=${s.lr} eps=${s.epsilon}`,
      update: fixed({ kind: 'adagrad', ...s }),
      slots: ['acc'],
      init: 0.1,
      decays: [],
    })),
  adadelta: () =>
    [
      { lr: 0.001, rho: 0.95, epsilon: 1e-7 },
      { lr: 1, rho: 0.5, epsilon: 0.1 },
    ].map((s) => ({
      name: `adadelta lr=${s.lr} rho=${s.rho} eps=${s.epsilon}`,
      update: fixed({ kind: 'adadelta', ...s }),
      slots: ['ag', 'ad'],
      decays: [s.rho],
    })),
  nadam: () =>
    [
      { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      { lr: 0.1, beta1: 0.5, beta2: 0.8, epsilon: 0.1 },
    ].map((s) => ({
      name: `nadam lr=${s.lr} beta1=${s.beta1} beta2=${s.beta2} eps=${s.epsilon}`,
      update: (step: number) => ({
        kind: 'nadam' as const,
        ...s,
        step,
        uProduct: uProduct(s.beta1, step),
      }),
      slots: ['m', 'v'],
      decays: [s.beta1, s.beta2],
    })),
  adamax: () =>
    [
      { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      { lr: 0.1, beta1: 0.5, beta2: 0.8, epsilon: 0.1 },
    ].map((s) => ({
      name: `adamax lr=${s.lr} beta1=${s.beta1} beta2=${s.beta2} eps=${s.epsilon}`,
      update: (step: number) => ({ kind: 'adamax' as const, ...s, step }),
      slots: ['m', 'u'],
      decays: [s.beta1, s.beta2],
    })),
  lion: () =>
    [
      { lr: 0.001, beta1: 0.9, beta2: 0.99 },
      { lr: 0.1, beta1: 0.5, beta2: 0.8 },
    ].map((s) => ({
      name: `lion lr=${s.lr} beta1=${s.beta1} beta2=${s.beta2}`,
      update: fixed({ kind: 'lion', ...s }),
      slots: ['m'],
      decays: [s.beta1, s.beta2],
    })),
};

/** Keras's Nadam momentum product u(1)...u(step). */
function uProduct(beta1: number, step: number): number {
  let p = 1;
  for (let i = 1; i <= step; i++) p *= beta1 * (1 - 0.5 * 0.96 ** i);
  return p;
}

function optimizerCases(): OptimizerCase[] {
  return Object.values(OPTIMIZER_CASES).flatMap((cases) => cases());
}

test('kernel conformance: applyUpdate, every optimizer and option over several steps', (t) => {
  const conf = conformance();
  const steps = 5;
  for (const c of optimizerCases()) {
    for (const size of [1, 1031]) {
      const label = `applyUpdate ${c.name} n=${size}, ${steps} steps`;
      const rng = mulberry32(seedOf(label));
      const p0 = uniforms(rng, size);
      const grads = Array.from({ length: steps }, () => uniforms(rng, size));
      // Root mean square of each reference output array, for the tolerance below.
      const rms = new WeakMap<ArrayLike<number>, number>();
      const rmsOf = (ref: ArrayLike<number>): number => {
        let v = rms.get(ref);
        if (v === undefined) {
          let s = 0;
          for (let i = 0; i < ref.length; i++) s += ref[i] * ref[i];
          v = Math.sqrt(s / Math.max(ref.length, 1));
          rms.set(ref, v);
        }
        return v;
      };
      const ulps = steps * OPTIMIZER_ULPS_PER_STEP + 2 * decayConditioning(c.decays);
      const tolerances: Record<string, Tolerance> = {};
      for (const key of ['param', ...c.slots.map((name) => `slot ${name}`)]) {
        tolerances[key] = (i, eps, ref) => ulps * eps * (Math.abs(ref[i]) + rmsOf(ref));
      }
      conf.check(
        label,
        (backend, dtype) => {
          const param = floats(dtype, p0);
          const slots = c.slots.map(() => floats(dtype, size).fill(c.init ?? 0));
          for (let step = 1; step <= steps; step++) {
            backend.applyUpdate(c.update(step), param, floats(dtype, grads[step - 1]), slots);
          }
          const out: Record<string, ArrayLike<number>> = { param };
          c.slots.forEach((name, i) => (out[`slot ${name}`] = slots[i]));
          return out;
        },
        tolerances,
      );
    }
  }
  finish(t, conf);
});

test('kernel conformance: applyUpdates, several parameters of odd sizes in one call', (t) => {
  const conf = conformance();
  const steps = 3;
  // Sizes that put thread boundaries mid-parameter, a one-item parameter and an empty one.
  const sizes = [70001, 1, 0, 1031, 40000];
  for (const c of optimizerCases()) {
    const label = `applyUpdates ${c.name} sizes ${sizes.join(',')}`;
    const rng = mulberry32(seedOf(label));
    const p0 = sizes.map((n) => uniforms(rng, n));
    const grads = Array.from({ length: steps }, () => sizes.map((n) => uniforms(rng, n)));
    const ulps = steps * OPTIMIZER_ULPS_PER_STEP + 2 * decayConditioning(c.decays);
    const tolerances: Record<string, Tolerance> = {};
    const keys = sizes.flatMap((_, j) => [
      `param ${j}`,
      ...c.slots.map((name) => `param ${j} slot ${name}`),
    ]);
    for (const key of keys) {
      tolerances[key] = (i, eps, ref) => ulps * eps * (Math.abs(ref[i]) + 1);
    }
    conf.check(
      label,
      (backend, dtype) => {
        const params = p0.map((p) => floats(dtype, p));
        const slots = sizes.map((n) => c.slots.map(() => floats(dtype, n).fill(c.init ?? 0)));
        for (let step = 1; step <= steps; step++) {
          const g = grads[step - 1]!.map((x) => floats(dtype, x));
          backend.applyUpdates(c.update(step), params, g, slots);
        }
        const out: Record<string, ArrayLike<number>> = {};
        sizes.forEach((_, j) => {
          out[`param ${j}`] = params[j]!;
          c.slots.forEach((name, i) => (out[`param ${j} slot ${name}`] = slots[j]![i]!));
        });
        return out;
      },
      tolerances,
    );
  }
  finish(t, conf);
});

test('kernel conformance: gatherRows copies the named rows, and rejects rows outside x', (t) => {
  const conf = conformance();
  for (const [rows, row, count] of [
    [37, 13, 20],
    [5, 1, 9],
    [600, 784, 128],
  ] as const) {
    const label = `gatherRows ${rows} rows of ${row}, ${count} picked`;
    const rng = mulberry32(seedOf(label));
    const x = uniforms(rng, rows * row);
    const indices = Int32Array.from({ length: count }, () => randomInt(rng, 0, rows - 1));
    conf.check(
      label,
      (backend, dtype) => {
        const out = floats(dtype, count * row).fill(NaN);
        backend.gatherRows(floats(dtype, x), row, indices, out);
        return { out };
      },
      { out: 'exact' },
    );
  }
  finish(t, conf);
  for (const target of discovery.targets) {
    const x = floats(target.dtype, 12);
    for (const bad of [-1, 4]) {
      assert.throws(
        () => target.backend.gatherRows(x, 3, Int32Array.of(0, bad), floats(target.dtype, 6)),
        /not a row of x/,
        `${target.label}: index ${bad}`,
      );
    }
    assert.throws(
      () => target.backend.gatherRows(x, 3, Int32Array.of(0, 1), floats(target.dtype, 5)),
      RangeError,
      `${target.label}: short out`,
    );
  }
});

test('kernel conformance: every declared kernel was checked on every backend', () => {
  const missing: string[] = [];
  const byBackend = new Map<Backend, Set<KernelName>>();
  for (const t of discovery.targets) byBackend.set(t.backend, called.get(t.backend)!);
  for (const [backend, seen] of byBackend) {
    for (const k of KERNEL_NAMES) if (!seen.has(k)) missing.push(`${backend.name}: ${k}`);
  }
  if (missing.length > 0)
    throw new Error(`kernels with no conformance case:\n${missing.join('\n')}`);
});
