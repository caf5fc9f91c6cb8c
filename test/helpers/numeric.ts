import assert from 'node:assert/strict';

/** Small numeric helpers shared by the kernel unit tests. */

/** Central difference of f at x[i] with step h, restoring x[i] afterwards. */
export function centralDifference(f: () => number, x: Float64Array, i: number, h = 1e-6): number {
  const saved = x[i];
  x[i] = saved + h;
  const plus = f();
  x[i] = saved - h;
  const minus = f();
  x[i] = saved;
  return (plus - minus) / (2 * h);
}

/** Dot product in doubles. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Asserts |actual[i] - expected[i]| <= abs + rel * |expected[i]| everywhere (NaN matches NaN,
 * infinities must match exactly), naming the first offending index.
 */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: { rel?: number; abs?: number },
  what = 'value',
): void {
  assert.equal(
    actual.length,
    expected.length,
    `${what}: length ${actual.length} != ${expected.length}`,
  );
  const rel = tol.rel ?? 0;
  const abs = tol.abs ?? 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const ok = Number.isNaN(e)
      ? Number.isNaN(a)
      : !Number.isFinite(e)
        ? a === e
        : Math.abs(a - e) <= abs + rel * Math.abs(e);
    if (!ok) assert.fail(`${what}[${i}]: got ${a}, expected ${e} (rel ${rel}, abs ${abs})`);
  }
}

/** Asserts a and b hold the same numbers (NaN equal to NaN). */
export function assertSameValues(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what = 'value',
): void {
  assertAllClose(actual, expected, {}, what);
}
