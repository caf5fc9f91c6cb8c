/**
 * GEMM throughput: C[m, n] = op(A) B in float32, reported as GFLOP/s = 2mnk / time.
 * Same data on every engine (seeded uniform in [-1, 1)), and each engine's result is spot-checked
 * against a float64 dot product so a fast wrong kernel cannot post a number.
 */
import { dropoutUniform } from '../../src/kernels/backend.js';
import type { Workload } from '../workload.js';

export interface GemmShape {
  id: string;
  title: string;
  m: number;
  n: number;
  k: number;
  /** A stored [k, m] and used transposed. */
  transA: boolean;
}

export const GEMM_SHAPES: readonly GemmShape[] = [
  {
    id: 'gemm-128x784x512',
    title: 'A[128,784]·B[784,512]: the 784-512 MLP layer forward, batch 128',
    m: 128,
    k: 784,
    n: 512,
    transA: false,
  },
  {
    id: 'gemm-784x128x512-tA',
    title: "A^T·B, A stored [128,784], B[128,512]: that layer's weight gradient X^T·dY",
    m: 784,
    k: 128,
    n: 512,
    transA: true,
  },
  {
    id: 'gemm-1024',
    title: 'A[1024,1024]·B[1024,1024]: a large square GEMM',
    m: 1024,
    k: 1024,
    n: 1024,
    transA: false,
  },
];

export function gemmWorkloads(): Workload[] {
  return GEMM_SHAPES.map(gemmWorkload);
}

function gemmWorkload(shape: GemmShape): Workload {
  const { m, n, k, transA } = shape;
  // Lazily built and shared by every engine, so they all multiply the same numbers.
  let data: { a: Float32Array; b: Float32Array } | undefined;
  const inputs = (): { a: Float32Array; b: Float32Array } =>
    (data ??= { a: uniform(m * k, 1), b: uniform(k * n, 2) });

  return {
    id: shape.id,
    title: shape.title,
    unit: 'GFLOP/s',
    flops: 2 * m * n * k,
    value: (ms) => (2 * m * n * k) / (ms * 1e6),

    ours(backend) {
      const { a, b } = inputs();
      const c = new Float32Array(m * n);
      const opts = { transA };
      return {
        step: () => backend.gemm(m, n, k, a, b, c, opts),
        check: () => checkGemm(shape, a, b, c),
      };
    },

    tfjs(tf) {
      const { a, b } = inputs();
      const ta = tf.tensor2d(a, transA ? [k, m] : [m, k]);
      const tb = tf.tensor2d(b, [k, n]);
      return {
        // dataSync() forces completion (a no-op wait on wasm/cpu, which run eagerly) and copies
        // the result out, as a caller reading the product would.
        step: () => {
          const c = tf.matMul(ta, tb, transA, false);
          c.dataSync();
          c.dispose();
        },
        check: () => {
          const c = tf.matMul(ta, tb, transA, false);
          const out = c.dataSync() as Float32Array;
          c.dispose();
          return checkGemm(shape, a, b, out);
        },
        dispose: () => {
          ta.dispose();
          tb.dispose();
        },
      };
    },

    torch: { script: 'torch_gemm.py', spec: { id: shape.id, m, n, k, transA } },
  };
}

function uniform(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = 2 * dropoutUniform(seed, i) - 1;
  return out;
}

/** Compares 64 sampled entries of C with float64 dot products. */
function checkGemm(
  shape: GemmShape,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
): string | undefined {
  const { m, n, k, transA } = shape;
  if (c.length !== m * n) return `result has ${c.length} entries, expected ${m * n}`;
  for (let s = 0; s < 64; s++) {
    const i = Math.floor(dropoutUniform(3, 2 * s) * m);
    const j = Math.floor(dropoutUniform(3, 2 * s + 1) * n);
    let ref = 0;
    let mag = 0;
    for (let p = 0; p < k; p++) {
      const prod = (transA ? a[p * m + i]! : a[i * k + p]!) * b[p * n + j]!;
      ref += prod;
      mag += Math.abs(prod);
    }
    // Float32 accumulation error grows ~sqrt(k)·eps·sum|a·b|; 1e-4·sum|a·b| is loose but catches
    // any indexing or transposition mistake, which is off by O(sum|a·b|).
    const got = c[i * n + j]!;
    if (!(Math.abs(got - ref) <= 1e-4 * mag + 1e-6))
      return `C[${i},${j}] = ${got}, expected ${ref.toPrecision(7)}`;
  }
  return undefined;
}
