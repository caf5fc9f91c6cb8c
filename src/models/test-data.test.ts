// Shared data for the model tests (no tests here).
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

/** Uniform float32 values in [-1, 1). */
export function randomInput(shape: number[], seed: number): Tensor {
  const r = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    Float32Array.from({ length: n }, () => r.uniform(-1, 1)),
    shape,
  );
}

/** A small separable 3-class problem: x [n, 4], one-hot y [n, 3]. */
export function toyClassification(n: number, seed = 3): { x: Tensor; y: Tensor; labels: Tensor } {
  const r = new Random(seed);
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) x[i * 4 + j] = r.uniform(-1, 1);
    const c = x[i * 4]! > 0 ? (x[i * 4 + 1]! > 0 ? 0 : 1) : 2;
    y[i * 3 + c] = 1;
    labels[i] = c;
  }
  return { x: new Tensor(x, [n, 4]), y: new Tensor(y, [n, 3]), labels: new Tensor(labels, [n]) };
}
