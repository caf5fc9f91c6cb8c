import type { Shape } from '../tensor/shape.js';

/**
 * Fan-in and fan-out of a weight shape, as Keras computes them: vectors use their length for
 * both, matrices are [in, out], and conv kernels [..., in, out] multiply both by the receptive
 * field (the product of the leading spatial dimensions).
 */
export function computeFans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  let receptive = 1;
  for (const d of shape.slice(0, -2)) receptive *= d;
  return { fanIn: shape.at(-2)! * receptive, fanOut: shape.at(-1)! * receptive };
}
