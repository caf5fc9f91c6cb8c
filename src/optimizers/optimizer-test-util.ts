// Test support for the optimizer tests (not part of the public API).
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import type { Optimizer } from './optimizer.js';

/** Shared by the optimizer tests: a float64 variable and a fixed gradient schedule. */
export const START = [0.5, -1.25, 2, 0.125, -0.75];

/** Gradient for step t (0-based): varied signs and magnitudes, including a zero. */
export function gradAt(t: number): number[] {
  return START.map((_, i) => Math.sin(1.7 * (i + 1) + 0.9 * t) * (i === 3 && t === 1 ? 0 : 1 + i));
}

export function float64Variable(values: readonly number[]): Variable {
  return new Variable(new Tensor(Float64Array.from(values), [values.length]));
}

/** Runs `steps` optimizer steps with `gradAt`, calling `beforeStep(t)` first; returns the values after each step. */
export function runSteps(
  opt: Optimizer,
  steps: number,
  beforeStep: (t: number) => void = () => {},
): number[][] {
  const v = float64Variable(START);
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    beforeStep(t);
    v.grad = new Tensor(Float64Array.from(gradAt(t)), v.shape);
    opt.applyGradients([v]);
    out.push(Array.from(v.values));
  }
  return out;
}
