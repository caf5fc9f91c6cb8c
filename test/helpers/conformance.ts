import assert from 'node:assert/strict';
import type { Backend, FloatArray } from '../../src/kernels/backend.js';

/**
 * Machinery for comparing a backend with the js reference: who runs (targets), in which float
 * type, and a collector that gathers every mismatch of a test before failing it, so one run
 * names every backend, op and shape that is off rather than only the first.
 */

export type DType = 'float32' | 'float64';

export interface Target {
  /** Shown in every failure, e.g. 'native float32 (1 thread)'. */
  label: string;
  backend: Backend;
  /** Float type of the arrays this target is given. */
  dtype: DType;
  /** Float type of the js reference run it is compared with. */
  refDtype: DType;
  /** Thread count to set for the run (restored afterwards); the backend's own when absent. */
  threads?: number;
  /** Runs before each of the target's runs and returns what undoes it (an ISA switch, say). */
  setup?: () => () => void;
}

/** Spacing of floats at 1: 2^-23 for float32, 2^-52 for float64. */
export const EPS32 = 2 ** -23;
export const EPS64 = 2 ** -52;

/** The comparison is only as precise as its less precise side. */
export function epsOf(t: Target): number {
  return t.dtype === 'float32' || t.refDtype === 'float32' ? EPS32 : EPS64;
}

/**
 * Smallest normal number of the comparison's precision, added to every tolerance: a backend
 * may flush subnormal results to zero (FTZ/DAZ, common in SIMD code) and that is accepted.
 */
function minNormal(eps: number): number {
  return eps === EPS32 ? 2 ** -126 : 2 ** -1022;
}

/** A fresh typed array of `dtype` holding `values` (or `length` zeros). */
export function floats(dtype: DType, values: ArrayLike<number> | number): FloatArray {
  const F = dtype === 'float32' ? Float32Array : Float64Array;
  return typeof values === 'number' ? new F(values) : F.from(values);
}

/**
 * How close a result must be: 'exact' (after rounding both sides to the reference's type), or
 * the allowed |got - want| at index i given the comparison's eps and the reference output.
 */
export type Tolerance = 'exact' | ((i: number, eps: number, ref: ArrayLike<number>) => number);

export type Outputs<K extends string> = Record<K, ArrayLike<number>>;

function formatIndex(i: number, shape: readonly number[] | undefined): string {
  if (!shape || shape.length < 2) return `[${i}]`;
  const index: number[] = [];
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return `[${i}] = [${index.join(', ')}]`;
}

export class Conformance {
  readonly failures: string[] = [];
  cases = 0;
  /** Per target, the largest |diff| / tol seen in a passing comparison, and where. */
  private readonly headroom = new Map<string, { ratio: number; where: string }>();

  constructor(
    private readonly reference: Backend,
    private readonly targets: readonly Target[],
  ) {}

  /**
   * Runs `run` on the reference (once per reference float type) and on every target, then
   * compares each named output. `run` must build fresh arrays each call: kernels write in place.
   */
  check<K extends string>(
    where: string,
    run: (backend: Backend, dtype: DType) => Outputs<K>,
    tolerances: Record<K, Tolerance>,
    shapes?: Partial<Record<K, readonly number[]>>,
  ): void {
    this.cases++;
    const refs = new Map<DType, Outputs<K>>();
    for (const target of this.targets) {
      let ref = refs.get(target.refDtype);
      if (!ref) {
        ref = run(this.reference, target.refDtype);
        refs.set(target.refDtype, ref);
      }
      let got: Outputs<K>;
      const saved = target.backend.getNumThreads();
      const undo = target.setup?.();
      try {
        if (target.threads !== undefined) target.backend.setNumThreads(target.threads);
        got = run(target.backend, target.dtype);
      } catch (error) {
        this.failures.push(`[${target.label}] ${where}: threw ${String(error)}`);
        continue;
      } finally {
        if (target.threads !== undefined) target.backend.setNumThreads(saved);
        undo?.();
      }
      for (const key of Object.keys(tolerances) as K[]) {
        const result = compare(
          got[key],
          ref[key],
          tolerances[key],
          epsOf(target),
          target.refDtype,
          shapes?.[key],
        );
        if (result.problem)
          this.failures.push(`[${target.label}] ${where} -> ${key}: ${result.problem}`);
        const best = this.headroom.get(target.label);
        if (!best || result.worstRatio > best.ratio) {
          this.headroom.set(target.label, {
            ratio: result.worstRatio,
            where: `${where} -> ${key}`,
          });
        }
      }
    }
  }

  /** One line per target: how much of the tolerance its worst comparison used, and where. */
  headroomReport(): string[] {
    return [...this.headroom].map(
      ([label, { ratio, where }]) =>
        `${label}: worst error ${(100 * ratio).toFixed(1)}% of tolerance (${where})`,
    );
  }

  /** Fails the test with every mismatch collected, at most `limit` lines of them. */
  assertNoFailures(limit = 40): void {
    if (this.failures.length === 0) return;
    const shown = this.failures.slice(0, limit);
    const more =
      this.failures.length > limit ? `\n... and ${this.failures.length - limit} more` : '';
    assert.fail(
      `${this.failures.length} mismatches in ${this.cases} cases:\n${shown.join('\n')}${more}`,
    );
  }
}

/**
 * How `got` misses `want` (problem undefined when within tolerance), and the largest
 * |diff| / tol over the elements compared with a tolerance.
 */
function compare(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: Tolerance,
  eps: number,
  refDtype: DType,
  shape: readonly number[] | undefined,
): { problem: string | undefined; worstRatio: number } {
  if (got.length !== want.length)
    return { problem: `length ${got.length}, expected ${want.length}`, worstRatio: 0 };
  const floor = minNormal(eps);
  // Exact comparisons of a float64 run with a float32 reference round the float64 side first.
  const round = tol === 'exact' && refDtype === 'float32' ? Math.fround : (v: number): number => v;
  let bad = 0;
  let worst = -1;
  let worstRatio = -1;
  let worstTol = 0;
  let maxOkRatio = 0;
  for (let i = 0; i < want.length; i++) {
    const g = round(got[i]);
    const w = want[i];
    let ok: boolean;
    let allowed = 0;
    if (Number.isNaN(w) || Number.isNaN(g)) ok = Number.isNaN(w) && Number.isNaN(g);
    else if (!Number.isFinite(w) || !Number.isFinite(g) || tol === 'exact') ok = g === w;
    else {
      allowed = tol(i, eps, want) + floor;
      ok = Math.abs(g - w) <= allowed;
      if (ok) maxOkRatio = Math.max(maxOkRatio, Math.abs(g - w) / allowed);
    }
    if (ok) continue;
    bad++;
    const ratio = allowed > 0 ? Math.abs(g - w) / allowed : Infinity;
    if (worst < 0 || ratio > worstRatio || Number.isNaN(ratio)) {
      worst = i;
      worstRatio = ratio;
      worstTol = allowed;
    }
  }
  if (bad === 0) return { problem: undefined, worstRatio: maxOkRatio };
  const g = got[worst];
  const w = want[worst];
  const detail =
    tol === 'exact' || worstTol === 0
      ? 'exact match required'
      : `|diff| ${Math.abs(g - w).toExponential(3)} > tol ${worstTol.toExponential(3)}`;
  return {
    problem: `${bad} of ${want.length} values off; worst at ${formatIndex(worst, shape)}: got ${g}, expected ${w} (${detail})`,
    worstRatio: Math.max(maxOkRatio, worstRatio),
  };
}
