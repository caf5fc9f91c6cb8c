import assert from 'node:assert/strict';
import '../../src/kernels/index.js';
import { mul, sum } from '../../src/ops/index.js';
import { Random } from '../../src/tensor/random.js';
import { backward, noGrad } from '../../src/tensor/tape.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** A float64 tensor of uniform values in [lo, hi). */
export function randomTensor(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const r = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const t = new Tensor(
    Float64Array.from({ length: n }, () => r.uniform(lo, hi)),
    shape,
  );
  return t;
}

export interface GradCheckOptions {
  /** Central-difference step (float64). */
  h?: number;
  /** Allowed |analytic - numeric| <= atol + rtol * |numeric|. */
  atol?: number;
  rtol?: number;
  /** Indices of inputs to check (default all). */
  check?: number[];
}

/**
 * Checks the gradients of `f` at `inputs` (float64) against central finite differences.
 * Non-scalar outputs are reduced with a fixed random weighting so every output element counts.
 */
export function gradCheck(
  name: string,
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: GradCheckOptions = {},
): void {
  const h = options.h ?? 1e-6;
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-5;
  const which = options.check ?? inputs.map((_, i) => i);
  for (const x of inputs)
    assert.equal(
      x.dtype === 'int32' || x.dtype === 'float64',
      true,
      `${name}: gradCheck wants float64 inputs`,
    );
  let weights: Tensor | undefined;
  const objective = (...xs: Tensor[]): Tensor => {
    const y = f(...xs);
    if (y.size === 1) return sum(y);
    weights ??= randomTensor([...y.shape], 987654, 0.5, 1.5);
    return sum(mul(y, weights));
  };
  for (const i of which) {
    inputs[i]!.requiresGrad = true;
    inputs[i]!.grad = null;
  }
  const loss = objective(...inputs);
  backward(loss);
  for (const i of which) {
    const x = inputs[i]!;
    const analytic = x.grad;
    assert.ok(analytic, `${name}: no gradient reached input ${i}`);
    const data = x.values as Float64Array;
    noGrad(() => {
      for (let j = 0; j < data.length; j++) {
        const saved = data[j]!;
        data[j] = saved + h;
        const up = objective(...inputs).item();
        data[j] = saved - h;
        const down = objective(...inputs).item();
        data[j] = saved;
        const numeric = (up - down) / (2 * h);
        const got = analytic.values[j]!;
        assert.ok(
          Math.abs(got - numeric) <= atol + rtol * Math.abs(numeric),
          `${name}: d/dinput${i}[${j}] analytic ${got} vs numeric ${numeric}`,
        );
      }
    });
    x.requiresGrad = false;
    x.grad = null;
  }
}
