import type { EpilogueActivation } from '../kernels/backend.js';
import { formatShape } from '../tensor/shape.js';
import { record } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { backendFor, floats, uninitialized } from './engine.js';

/** 2-D matrix product op(a) · op(b). */
export function matMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  return linear(a, b, null, 'linear', transposeA, transposeB);
}

/**
 * x · kernel + bias followed by `activation`, with the bias and activation fused into the GEMM
 * (Dense's forward). Only activations whose derivative can be read off the output are fused
 * here ('linear', 'relu'); others are applied by the caller as separate ops.
 */
export function dense(
  x: Tensor,
  kernel: Tensor,
  bias: Tensor | null,
  activation: 'linear' | 'relu' = 'linear',
): Tensor {
  return linear(x, kernel, bias, activation, false, false);
}

function linear(
  a: Tensor,
  b: Tensor,
  bias: Tensor | null,
  activation: 'linear' | 'relu',
  transA: boolean,
  transB: boolean,
): Tensor {
  if (a.rank !== 2 || b.rank !== 2) {
    throw new Error(
      `matMul needs 2-D tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}.`,
    );
  }
  const [m, k] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [k2, n] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (k !== k2) {
    throw new Error(
      `matMul: inner dimensions differ: ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} · ${formatShape(b.shape)}${transB ? 'ᵀ' : ''}.`,
    );
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== n)) {
    throw new Error(`dense: bias of shape ${formatShape(bias.shape)} does not match ${n} units.`);
  }
  const dtype = a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : 'float32';
  const kern = backendFor(dtype);
  const out = uninitialized([m, n], dtype);
  const act: EpilogueActivation = activation;
  kern.gemm(m, n, k, floats(a, 'matMul'), floats(b, 'matMul'), floats(out, 'matMul'), {
    transA,
    transB,
    ...(bias ? { bias: floats(bias, 'dense') } : {}),
    activation: act,
  });
  const inputs = bias ? [a, b, bias] : [a, b];
  return record(out, bias ? 'dense' : 'matMul', inputs, (dyIn) => {
    let dy = dyIn;
    if (activation === 'relu') {
      // relu'(pre) = [out > 0]: the output stands in for the pre-activation.
      dy = uninitialized(out.shape, dtype);
      const o = floats(out, 'dense');
      kern.unaryGrad('relu', o, o, floats(dyIn, 'dense'), floats(dy, 'dense'));
    }
    const dyd = floats(dy, 'matMul');
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (a.requiresGrad) {
      // C = op(A) op(B): dop(A) = dC · op(B)ᵀ; stored A is op(A) or its transpose.
      da = uninitialized(a.shape, dtype);
      if (!transA)
        kern.gemm(m, k, n, dyd, floats(b, 'matMul'), floats(da, 'matMul'), { transB: !transB });
      else
        kern.gemm(k, m, n, floats(b, 'matMul'), dyd, floats(da, 'matMul'), {
          transA: transB,
          transB: true,
        });
    }
    if (b.requiresGrad) {
      db = uninitialized(b.shape, dtype);
      if (!transB)
        kern.gemm(k, n, m, floats(a, 'matMul'), dyd, floats(db, 'matMul'), { transA: !transA });
      else
        kern.gemm(n, k, m, dyd, floats(a, 'matMul'), floats(db, 'matMul'), {
          transA: true,
          transB: transA,
        });
    }
    const grads: (Tensor | null)[] = [da, db];
    if (bias) {
      const dbias = uninitialized([n], dtype);
      if (bias.requiresGrad) kern.reduce('sum', dyd, 1, m, n, floats(dbias, 'dense'));
      grads.push(bias.requiresGrad ? dbias : null);
    }
    return grads;
  });
}
