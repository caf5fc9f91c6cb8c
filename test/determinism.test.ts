/**
 * Bit-identical results at any thread count: every native kernel whose work is split (conv
 * passes, GEMM shapes, long reductions, optimizer steps), and the seed CNN trained end to end.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { Backend, ConvGeometry, PoolGeometry } from '../src/kernels/backend.js';
import { jsBackend } from '../src/kernels/index.js';
import { setBackend } from '../src/kernels/registry.js';
import { buildModel } from '../src/experiments/build-model.js';
import { defaultSpec } from '../src/experiments/model-spec.js';
import { normalize, toCategorical } from '../src/data/preprocess.js';
import { setSeed } from '../src/tensor/seed.js';
import { Tensor } from '../src/tensor/tensor.js';
import { loadDataset } from '../node/data/load-dataset.js';
import { loadNativeBackend } from '../node/native/load.js';
import '../node/backend-setup.js';

const native = loadNativeBackend();
const skip = native ? false : 'native addon not loaded';

function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

function conv(n: number, h: number, c: number, outC: number, k: number, pad: number): ConvGeometry {
  const out = h - k + 1 + 2 * pad;
  return {
    n,
    inH: h,
    inW: h,
    inC: c,
    outH: out,
    outW: out,
    outC,
    kH: k,
    kW: k,
    strideH: 1,
    strideW: 1,
    dilationH: 1,
    dilationW: 1,
    padTop: pad,
    padLeft: pad,
  };
}

/** Runs `fn` at 1, 2 and 3 threads and asserts its outputs agree bit for bit. */
function sameAtEveryThreadCount(fn: () => Float32Array[]): void {
  assert.ok(native);
  const before = native.getNumThreads();
  try {
    native.setNumThreads(1);
    const one = fn();
    for (const threads of [2, 3]) {
      native.setNumThreads(threads);
      const other = fn();
      one.forEach((want, i) =>
        assert.ok(
          Buffer.from(other[i]!.buffer).equals(Buffer.from(want.buffer)),
          `output ${i} differs at ${threads} threads`,
        ),
      );
    }
  } finally {
    native.setNumThreads(before);
  }
}

test(
  'conv passes, long reductions and optimizer steps are bit-identical at 1, 2, 3 threads',
  { skip },
  () => {
    assert.ok(native);
    // Direct kernels (few taps: the first layer) and im2col + GEMM (the second), odd sizes.
    const geoms = [conv(37, 28, 1, 32, 3, 0), conv(23, 13, 32, 64, 3, 0), conv(5, 9, 7, 12, 3, 1)];
    sameAtEveryThreadCount(() => {
      const outs: Float32Array[] = [];
      geoms.forEach((g, i) => {
        const x = random(g.n * g.inH * g.inW * g.inC, 10 + i);
        const w = random(g.kH * g.kW * g.inC * g.outC, 20 + i);
        const dy = random(g.n * g.outH * g.outW * g.outC, 30 + i);
        const y = new Float32Array(dy.length);
        const dx = new Float32Array(x.length);
        const dw = new Float32Array(w.length);
        native.conv2d(x, w, g, y);
        native.conv2dBackwardInput(dy, w, g, dx);
        native.conv2dBackwardFilter(x, dy, g, dw);
        outs.push(y, dx, dw);
      });
      const long = random(1_000_003, 40);
      const sum = new Float32Array(1);
      native.reduce('sum', long, 1, long.length, 1, sum);
      outs.push(sum);
      const p = random(100_003, 50);
      const slots = [new Float32Array(p.length), new Float32Array(p.length)];
      for (let t = 1; t <= 3; t++) {
        native.applyUpdate(
          {
            kind: 'adam',
            lr: 0.01,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-7,
            step: t,
            amsgrad: false,
          },
          p,
          random(p.length, 60 + t),
          slots,
        );
      }
      outs.push(p, ...slots);
      // The fused multi-parameter step, with boundaries falling mid-parameter.
      const ps = [random(70_001, 51), random(3, 52), random(100_003, 53)];
      const ss = ps.map((x) => [new Float32Array(x.length), new Float32Array(x.length)]);
      for (let t = 1; t <= 3; t++) {
        const adam = {
          kind: 'adam',
          lr: 0.01,
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-7,
          step: t,
          amsgrad: false,
        } as const;
        native.applyUpdates(
          adam,
          ps,
          ps.map((x, j) => random(x.length, 70 + 3 * t + j)),
          ss,
        );
      }
      outs.push(...ps, ...ss.flat());
      return outs;
    });
  },
);

test('GEMM shapes are bit-identical at 1, 2, 3 threads', { skip }, () => {
  assert.ok(native);
  // The seed MLP's (forward with bias and relu, weight and input gradients), a few A panels
  // with a partial last B panel and several k slices (B packed by whichever thread reaches a
  // panel first), B read in place, a transposed A whose rows are packed (m a multiple of 128),
  // and a narrow C.
  const cases = [
    { m: 128, n: 512, k: 784, bias: true },
    { m: 784, n: 512, k: 128, transA: true },
    { m: 128, n: 784, k: 512, transB: true },
    { m: 40, n: 100, k: 1000, bias: true },
    { m: 40, n: 100, k: 1000, transA: true },
    { m: 64, n: 64, k: 1600 },
    { m: 128, n: 70, k: 500, transA: true, beta: 0.5 },
    { m: 300, n: 10, k: 512 },
  ];
  sameAtEveryThreadCount(() =>
    cases.map(({ m, n, k, bias, ...opts }, i) => {
      const c = random(m * n, 100 + i);
      native.gemm(m, n, k, random(m * k, 110 + i), random(k * n, 120 + i), c, {
        ...opts,
        ...(bias ? { bias: random(n, 130 + i), activation: 'relu' as const } : {}),
      });
      return c;
    }),
  );
});

test('native applyUpdates equals applyUpdate on each parameter, bit for bit', { skip }, () => {
  assert.ok(native);
  const sizes = [70_001, 3, 0, 100_003, 512];
  const one = sizes.map((n, j) => random(n, 80 + j));
  const all = one.map((x) => x.slice());
  const slotsOne = sizes.map((n) => [new Float32Array(n), new Float32Array(n)]);
  const slotsAll = sizes.map((n) => [new Float32Array(n), new Float32Array(n)]);
  for (let t = 1; t <= 3; t++) {
    const adam = {
      kind: 'adam',
      lr: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      step: t,
      amsgrad: false,
    } as const;
    const grads = sizes.map((n, j) => random(n, 90 + 5 * t + j));
    one.forEach((p, j) => native.applyUpdate(adam, p, grads[j]!, slotsOne[j]!));
    native.applyUpdates(adam, all, grads, slotsAll);
  }
  one.forEach((p, j) => assert.deepEqual(all[j], p, `parameter ${j}`));
  slotsOne.forEach((s, j) => assert.deepEqual(slotsAll[j], s, `slots of parameter ${j}`));
});

function pool(n: number, h: number, c: number, size: number, stride: number): PoolGeometry {
  const out = Math.floor((h - size) / stride) + 1;
  return {
    n,
    inH: h,
    inW: h,
    c,
    outH: out,
    outW: out,
    poolH: size,
    poolW: size,
    strideH: stride,
    strideW: stride,
    padTop: 0,
    padLeft: 0,
  };
}

test('batchNorm forward and backward are bit-identical at 1, 2, 3 threads', { skip }, () => {
  assert.ok(native);
  const b = native;
  // [n * h * w, c] past the threading grain (several row parts with partial sums) and an odd one.
  const shapes: [number, number][] = [
    [16 * 28 * 28, 32],
    [7 * 13 * 13, 24],
  ];
  sameAtEveryThreadCount(() =>
    shapes.flatMap(([rows, cols], i) => {
      const x = random(rows * cols, 90 + i);
      const gamma = random(cols, 92 + i);
      const beta = random(cols, 94 + i);
      const [y, dx] = [new Float32Array(rows * cols), new Float32Array(rows * cols)];
      const [mean, variance, invStd, dgamma, dbeta] = Array.from(
        { length: 5 },
        () => new Float32Array(cols),
      ) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
      b.batchNorm(x, rows, cols, 1e-3, y, mean, variance, invStd, gamma, beta);
      const dy = random(rows * cols, 96 + i);
      b.batchNormBackward(x, dy, mean, invStd, rows, cols, dx, dgamma, dbeta, gamma);
      return [y, mean, variance, invStd, dx, dgamma, dbeta];
    }),
  );
});

test(
  'max-pool backward is bit-identical at 1, 2, 3 threads and equals the js reference',
  { skip },
  () => {
    assert.ok(native);
    // Whole-batch shapes past the threading grains (batch 8 and an odd 7), and 3x3 windows at
    // stride 2, which overlap: several outputs add into one input. Guards any future split of
    // the scatter (a threaded one measured 0.4-0.55x at these sizes on 2 shared cores).
    const geoms = [pool(8, 26, 32, 2, 2), pool(7, 26, 32, 2, 2), pool(8, 27, 32, 3, 2)];
    const run = (b: Pick<Backend, 'maxPool' | 'maxPoolBackward'>): Float32Array[] =>
      geoms.map((g, i) => {
        const x = random(g.n * g.inH * g.inW * g.c, 70 + i);
        const y = new Float32Array(g.n * g.outH * g.outW * g.c);
        const argmax = new Int32Array(y.length);
        b.maxPool(x, g, y, argmax);
        const dx = new Float32Array(x.length);
        b.maxPoolBackward(random(y.length, 80 + i), argmax, dx);
        return dx;
      });
    sameAtEveryThreadCount(() => run(native));
    run(jsBackend).forEach((want, i) =>
      assert.ok(Buffer.from(run(native)[i]!.buffer).equals(Buffer.from(want.buffer)), `case ${i}`),
    );
  },
);

test(
  'the seed CNN trained 2 epochs gives one weights hash at 1, 2 and 3 threads',
  { skip },
  async () => {
    assert.ok(native);
    setBackend('native');
    const ds = await loadDataset('mnist', {});
    const n = 384;
    const x = new Tensor(normalize(ds.train.images.data.subarray(0, n * 784)), [n, 28, 28, 1]);
    const y = new Tensor(toCategorical(ds.train.labels.data.subarray(0, n), 10).values, [n, 10]);
    const hashes: string[] = [];
    const before = native.getNumThreads();
    try {
      for (const threads of [1, 2, 3]) {
        native.setNumThreads(threads);
        const spec = { ...defaultSpec('cnn'), epochs: 2 };
        setSeed(spec.seed);
        const model = buildModel(spec, [28, 28, 1], 10);
        model.compile({ optimizer: 'adam', loss: spec.loss, metrics: ['accuracy'] });
        await model.fit(x, y, { epochs: 2, batchSize: spec.batchSize, verbose: 0 });
        const h = createHash('sha256');
        for (const w of model.weights) h.update(new Uint8Array(w.values.buffer));
        hashes.push(h.digest('hex'));
      }
    } finally {
      native.setNumThreads(before);
    }
    assert.equal(new Set(hashes).size, 1, `weights hashes: ${hashes.join(', ')}`);
  },
);
