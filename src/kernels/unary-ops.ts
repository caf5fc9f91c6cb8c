/**
 * The pointwise functions behind the `unary` and `unaryGrad` kernels, declared once: each entry
 * names the op, its required parameters and its reference math (evaluated in JS doubles). The
 * `UnaryOp` type and the list every backend must implement are derived from this table; the
 * native and wasm kernels implement the same names in native/isa-kernels.inl (their code lists
 * in native/kernels.h are checked against this table by a test).
 *
 * Parameters are explicit: defaults (Keras's leaky slope, ELU alpha) live in the layers and
 * activations, never here.
 */

/** y = f(x). */
export type ScalarFn = (x: number) => number;
/** dx for one element: dy * f'(x), with y = f(x) at hand. */
export type ScalarGradFn = (x: number, y: number, dy: number) => number;

interface UnaryDef {
  /** What `param` and `param2` mean, for the ops that need them (in that order). */
  readonly params?: readonly string[];
  readonly f: (p: number, q: number) => ScalarFn;
  /**
   * dy * f'(x). Kinks follow TensorFlow: relu'(0) = 0, abs'(0) = 0, relu6 passes on (0, 6),
   * leaky_relu and elu take the negative branch at 0, clip passes on [lo, hi].
   */
  readonly grad: (p: number, q: number) => ScalarGradFn;
}

/** sigmoid(x) without overflow: exp only ever sees a non-positive argument. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)). */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * erf to double precision: 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)), a
 * series of positive terms (no cancellation); erf is +-1 in double beyond |x| = 6.
 */
function erf(x: number): number {
  const a = Math.abs(x);
  if (!(a < 6)) return Number.isNaN(x) ? NaN : Math.sign(x);
  let term = a;
  let sum = a;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= (2 * a * a) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum;
}

/** erfc(a) for a >= 0; its continued fraction beyond 3, where 1 - erf(a) would cancel. */
function erfc(a: number): number {
  if (a < 3) return 1 - erf(a);
  let k = a;
  for (let i = 120; i >= 1; i--) k = a + i / 2 / k;
  return Math.exp(-a * a) / Math.sqrt(Math.PI) / k;
}

/** The standard normal CDF, accurate in both tails. */
function normalCdf(x: number): number {
  const z = x / Math.SQRT2;
  return z >= 0 ? 1 - 0.5 * erfc(z) : 0.5 * erfc(-z);
}

/** The standard normal density. */
const normalPdf = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

const identity: ScalarFn = (x) => x;
const passGrad: ScalarGradFn = (_x, _y, dy) => dy;

/**
 * Every unary op. NaN inputs stay NaN (relu and friends are written so the comparison fails
 * through to x) so a NaN never hides behind an activation.
 */
export const UNARY = {
  linear: { f: () => identity, grad: () => passGrad },
  neg: { f: () => (x) => -x, grad: () => (_x, _y, dy) => -dy },
  abs: { f: () => Math.abs, grad: () => (x, _y, dy) => (x > 0 ? dy : x < 0 ? -dy : 0) },
  sign: { f: () => Math.sign, grad: () => () => 0 },
  square: { f: () => (x) => x * x, grad: () => (x, _y, dy) => 2 * x * dy },
  sqrt: { f: () => Math.sqrt, grad: () => (_x, y, dy) => (0.5 * dy) / y },
  // d/dx x^-1/2 = -1/2 x^-3/2 = -1/2 y^3.
  rsqrt: { f: () => (x) => 1 / Math.sqrt(x), grad: () => (_x, y, dy) => -0.5 * dy * y * y * y },
  reciprocal: { f: () => (x) => 1 / x, grad: () => (_x, y, dy) => -dy * y * y },
  exp: { f: () => Math.exp, grad: () => (_x, y, dy) => dy * y },
  log: { f: () => Math.log, grad: () => (x, _y, dy) => dy / x },
  log1p: { f: () => Math.log1p, grad: () => (x, _y, dy) => dy / (1 + x) },
  relu: { f: () => (x) => (x < 0 ? 0 : x), grad: () => (x, _y, dy) => (x > 0 ? dy : 0) },
  relu6: {
    f: () => (x) => (x < 0 ? 0 : x > 6 ? 6 : x),
    grad: () => (x, _y, dy) => (x > 0 && x < 6 ? dy : 0),
  },
  leaky_relu: {
    params: ['the negative slope'],
    f: (slope) => (x) => (x > 0 ? x : slope * x),
    grad: (slope) => (x, _y, dy) => (x > 0 ? dy : slope * dy),
  },
  elu: {
    params: ['alpha'],
    // expm1 rather than exp(x) - 1: same function, no cancellation near 0.
    f: (alpha) => (x) => (x > 0 ? x : alpha * Math.expm1(x)),
    // For x <= 0, d/dx alpha*(e^x - 1) = alpha*e^x = y + alpha.
    grad: (alpha) => (x, y, dy) => (x > 0 ? dy : dy * (y + alpha)),
  },
  sigmoid: { f: () => sigmoid, grad: () => (_x, y, dy) => dy * y * (1 - y) },
  tanh: { f: () => Math.tanh, grad: () => (_x, y, dy) => dy * (1 - y * y) },
  softplus: { f: () => softplus, grad: () => (x, _y, dy) => dy * sigmoid(x) },
  softsign: {
    f: () => (x) => x / (1 + Math.abs(x)),
    grad: () => (x, _y, dy) => dy / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
  },
  // x * Phi(x), the exact (erf) form, Keras's default.
  gelu: {
    f: () => (x) => x * normalCdf(x),
    grad: () => (x, _y, dy) => dy * (normalCdf(x) + x * normalPdf(x)),
  },
  scale: {
    params: ['the factor'],
    f: (s) => (x) => s * x,
    grad: (s) => (_x, _y, dy) => s * dy,
  },
  add_scalar: { params: ['the addend'], f: (s) => (x) => x + s, grad: () => passGrad },
  pow_scalar: {
    params: ['the exponent'],
    f: (p) => (x) => x ** p,
    // x^0 is constant: its derivative is 0 even at x = 0, where p * x^(p-1) would be 0 * inf.
    grad: (p) => (p === 0 ? () => 0 : (x, _y, dy) => dy * p * x ** (p - 1)),
  },
  clip: {
    params: ['the lower bound', 'the upper bound'],
    f: (lo, hi) => (x) => (x < lo ? lo : x > hi ? hi : x),
    grad: (lo, hi) => (x, _y, dy) => (x >= lo && x <= hi ? dy : 0),
  },
} as const satisfies Record<string, UnaryDef>;

export type UnaryOp = keyof typeof UNARY;

/** Every unary op, in declaration order. */
export const UNARY_OPS = Object.keys(UNARY) as UnaryOp[];

/**
 * The parameters `op` needs, checked: a missing one throws a RangeError naming it. Parameters
 * an op does not use come back as 0.
 */
export function unaryParams(
  op: UnaryOp,
  param: number | undefined,
  param2: number | undefined,
): [number, number] {
  const def: UnaryDef | undefined = UNARY[op];
  if (def === undefined) throw new RangeError(`unary: unknown op '${op}'`);
  const names = def.params ?? [];
  const given = [param, param2];
  names.forEach((what, i) => {
    if (given[i] === undefined)
      throw new RangeError(`unary '${op}' needs ${i === 0 ? 'param' : 'param2'} (${what})`);
  });
  return [names.length > 0 ? param! : 0, names.length > 1 ? param2! : 0];
}

/** The scalar function behind `op` (parameters checked as in `unaryParams`). */
export function unaryFn(op: UnaryOp, param?: number, param2?: number): ScalarFn {
  const [p, q] = unaryParams(op, param, param2);
  return (UNARY[op] as UnaryDef).f(p, q);
}

/** dy * f'(x) for `op` (parameters checked as in `unaryParams`). */
export function unaryGradFn(op: UnaryOp, param?: number, param2?: number): ScalarGradFn {
  const [p, q] = unaryParams(op, param, param2);
  return (UNARY[op] as UnaryDef).grad(p, q);
}
