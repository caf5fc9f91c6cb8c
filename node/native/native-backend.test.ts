/**
 * The native backend's own checks: GEMM against a float64 triple loop on every instruction-set
 * path, thread counts that must not change results, argument errors that must throw instead of
 * crashing. The cross-backend comparison of every kernel is test/kernel-conformance.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type {
  Backend,
  EpilogueActivation,
  GemmOptions,
  UnaryOp,
} from '../../src/kernels/backend.js';
import { JsBackend } from '../../src/kernels/js/js-backend.js';
import { nativeInfo, setNativeIsa, type NativeIsa } from './isa.js';
import { loadNativeBackend } from './load.js';

const native = loadNativeBackend();
const skip = native ? false : 'native addon not loaded';
const js = new JsBackend();

/** Deterministic values in [-1, 1) (mulberry32). */
function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

const ACT: Record<EpilogueActivation, (v: number, p: number) => number> = {
  linear: (v) => v,
  relu: (v) => (v < 0 ? 0 : v),
};

/** Checks backend.gemm against a float64 triple loop; the bound is the worst case of float32 summation. */
function checkGemm(
  backend: Backend,
  m: number,
  n: number,
  k: number,
  o: GemmOptions,
  seed: number,
): void {
  const a = random(m * k, seed);
  const b = random(k * n, seed + 1);
  const c0 = random(m * n, seed + 2);
  const bias = o.bias ? random(n, seed + 3) : undefined;
  const c = Float32Array.from(c0);
  if ((o.beta ?? 0) === 0) c.fill(NaN); // beta = 0 must ignore C entirely
  backend.gemm(m, n, k, a, b, c, { ...o, ...(bias ? { bias } : {}) });
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  const act = o.activation ?? 'linear';
  const param = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const av = o.transA ? a[p * m + i]! : a[i * k + p]!;
        const bv = o.transB ? b[j * k + p]! : b[p * n + j]!;
        sum += av * bv;
        mag += Math.abs(av * bv);
      }
      let v = alpha * sum + (beta !== 0 ? beta * c0[i * n + j]! : 0) + (bias ? bias[j]! : 0);
      v = ACT[act](v, param);
      const got = c[i * n + j]!;
      const tol = (k + 4) * 2 ** -23 * (Math.abs(alpha) * mag + Math.abs(beta) + 2) + 1e-30;
      if (!(Math.abs(got - v) <= tol)) {
        assert.fail(
          `gemm m=${m} n=${n} k=${k} ${JSON.stringify(o)}: C[${i},${j}] = ${got}, expected ${v} (tol ${tol})`,
        );
      }
    }
  }
}

// Odd sizes around each ISA's micro-tile (12x32, 6x16, 6x8) and the narrow / skinny paths.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 37, 19],
  [37, 1, 19],
  [2, 3, 4],
  [5, 7, 300],
  [13, 33, 17],
  [12, 32, 8],
  [25, 65, 129],
  [65, 10, 64],
  [130, 15, 33],
  [40, 16, 20],
  [7, 100, 0],
  [97, 70, 400],
];

const isas: NativeIsa[] = nativeInfo()?.supported ?? [];

for (const isa of isas) {
  test(`gemm matches a float64 triple loop on odd shapes [${isa}]`, { skip }, () => {
    assert.ok(native);
    const before = nativeInfo()!.isa;
    assert.ok(setNativeIsa(isa));
    try {
      let seed = 1;
      for (const [m, n, k] of SHAPES) {
        for (const transA of [false, true]) {
          for (const transB of [false, true])
            checkGemm(native, m, n, k, { transA, transB }, seed++);
        }
      }
      // The epilogue: alpha, beta, bias and each fused activation.
      const acts: EpilogueActivation[] = ['linear', 'relu'];
      for (const [m, n, k] of [
        [29, 70, 45],
        [64, 12, 31],
        [3, 40, 9],
      ] as const) {
        for (const activation of acts) {
          checkGemm(
            native,
            m,
            n,
            k,
            { alpha: 0.5, beta: 0.25, bias: new Float32Array(0), activation },
            seed++,
          );
          checkGemm(
            native,
            m,
            n,
            k,
            { transA: true, bias: new Float32Array(0), activation },
            seed++,
          );
        }
        checkGemm(native, m, n, k, { beta: 1, transB: true }, seed++);
      }
    } finally {
      setNativeIsa(before);
    }
  });
}

test('thread counts 1, 2 and 3 give bit-identical results', { skip }, () => {
  assert.ok(native);
  const before = native.getNumThreads();
  const run = (threads: number): Float32Array[] => {
    native.setNumThreads(threads);
    const outs: Float32Array[] = [];
    for (const [m, n, k, transA] of [
      [128, 512, 784, false],
      [784, 512, 128, true],
      [130, 10, 257, false],
    ] as const) {
      const c = new Float32Array(m * n);
      native.gemm(m, n, k, random(m * k, 7), random(k * n, 8), c, {
        transA,
        bias: random(n, 9),
        activation: 'relu',
      });
      outs.push(c);
    }
    const x = random(300_000, 10);
    const y = new Float32Array(x.length);
    native.unary('tanh', x, y);
    outs.push(y);
    const s = new Float32Array(1000 * 100);
    native.softmax(x.subarray(0, s.length), 1000, 100, s);
    outs.push(s);
    const g = {
      n: 9,
      inH: 12,
      inW: 11,
      inC: 5,
      outH: 10,
      outW: 9,
      outC: 7,
      kH: 3,
      kW: 3,
      strideH: 1,
      strideW: 1,
      dilationH: 1,
      dilationW: 1,
      padTop: 0,
      padLeft: 0,
    };
    const conv = new Float32Array(9 * 10 * 9 * 7);
    native.conv2d(random(9 * 12 * 11 * 5, 11), random(3 * 3 * 5 * 7, 12), g, conv);
    outs.push(conv);
    return outs;
  };
  try {
    const one = run(1);
    for (const threads of [2, 3]) {
      const other = run(threads);
      one.forEach((expected, i) =>
        assert.deepEqual(other[i], expected, `output ${i} differs with ${threads} threads`),
      );
    }
  } finally {
    native.setNumThreads(before);
  }
});

for (const isa of isas) {
  test(`elementwise math, softmax, optimizers and dropout agree with js [${isa}]`, { skip }, () => {
    assert.ok(native);
    const before = nativeInfo()!.isa;
    assert.ok(setNativeIsa(isa));
    try {
      const close = (
        got: Float32Array,
        want: Float32Array,
        what: string,
        rel = 4e-6,
        abs = 1e-6,
      ): void => {
        for (let i = 0; i < want.length; i++) {
          if (got[i] === want[i] || (Number.isNaN(got[i]) && Number.isNaN(want[i]))) continue;
          const d = Math.abs(got[i]! - want[i]!);
          if (!(d <= abs + rel * Math.abs(want[i]!)))
            assert.fail(`${what}[${i}]: native ${got[i]}, js ${want[i]}`);
        }
      };
      // Wide range, plus the special values every kernel must pass through.
      const x = Float32Array.from(random(1003, 21), (v) => v * 30);
      x.set([0, -0, Infinity, -Infinity, NaN, 1e-30, -1e-30, 88.5, -88.5, 100, -100]);
      const pos = Float32Array.from(x, Math.abs);
      const ops: [UnaryOp, Float32Array, number?, number?][] = [
        ['neg', x],
        ['abs', x],
        ['sign', x],
        ['square', x],
        ['sqrt', pos],
        ['rsqrt', pos],
        ['reciprocal', x],
        ['exp', x],
        ['log', pos],
        ['log1p', pos],
        ['relu', x],
        ['relu6', x],
        ['leaky_relu', x, 0.3],
        ['elu', x, 1],
        ['sigmoid', x],
        ['tanh', x],
        ['softplus', x],
        ['scale', x, 1.5],
        ['add_scalar', x, -2],
        ['pow_scalar', pos, 1.7],
        ['clip', x, -1, 2],
      ];
      for (const [op, input, p, q] of ops) {
        const a = new Float32Array(input.length);
        const b = new Float32Array(input.length);
        native.unary(op, input, a, p, q);
        js.unary(op, input, b, p, q);
        close(a, b, `unary ${op}`);
        const dy = random(input.length, 22);
        const ga = new Float32Array(input.length);
        const gb = new Float32Array(input.length);
        native.unaryGrad(op, input, b, dy, ga, p, q);
        js.unaryGrad(op, input, b, dy, gb, p, q);
        close(ga, gb, `unaryGrad ${op}`, 1e-5, 1e-5);
      }

      // Broadcasting: repeated short rows (either side), columns, scalars, aliasing.
      const cases: [number[], number[], number[]][] = [
        [[37, 10], [10], [37, 10]],
        [[10], [37, 10], [37, 10]],
        [[3, 37, 10], [10], [3, 37, 10]],
        [
          [37, 1],
          [37, 10],
          [37, 10],
        ],
        [[37, 70], [1], [37, 70]],
        [
          [5, 1, 7],
          [1, 6, 1],
          [5, 6, 7],
        ],
      ];
      for (const [as, bs, os] of cases) {
        const size = (sh: number[]): number => sh.reduce((p, d) => p * d, 1);
        const a = random(size(as), 40);
        const b = random(size(bs), 41);
        for (const op of ['add', 'sub', 'div', 'maximum'] as const) {
          const got = new Float32Array(size(os));
          const want = new Float32Array(size(os));
          native.binary(op, a, as, b, bs, got, os);
          js.binary(op, a, as, b, bs, want, os);
          close(got, want, `binary ${op} [${as}] [${bs}]`);
        }
      }

      const logits = Float32Array.from(random(37 * 10, 23), (v) => v * 20);
      const labels = Int32Array.from({ length: 37 }, (_, i) => (i * 7) % 10);
      const outs = [0, 1].map(() => ({ loss: new Float32Array(37), probs: new Float32Array(370) }));
      native.softmaxCrossEntropy(logits, labels, 37, 10, outs[0]!.loss, outs[0]!.probs);
      js.softmaxCrossEntropy(logits, labels, 37, 10, outs[1]!.loss, outs[1]!.probs);
      close(outs[0]!.loss, outs[1]!.loss, 'softmaxCrossEntropy loss', 1e-5, 1e-5);
      close(outs[0]!.probs, outs[1]!.probs, 'softmaxCrossEntropy probs', 1e-5, 1e-7);

      const n = 1037;
      const state = () => ({ p: random(n, 24), m: new Float32Array(n), v: new Float32Array(n) });
      const s1 = state();
      const s2 = state();
      for (let step = 1; step <= 3; step++) {
        const g = random(n, 30 + step);
        const u = {
          kind: 'adam',
          lr: 0.01,
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-7,
          step,
          amsgrad: false,
        } as const;
        native.applyUpdate(u, s1.p, g, [s1.m, s1.v]);
        js.applyUpdate(u, s2.p, g, [s2.m, s2.v]);
      }
      close(s1.p, s2.p, 'adam param', 1e-5, 1e-6);

      const ma = new Float32Array(4099);
      const mb = new Float32Array(4099);
      native.dropoutMask(0.3, 0xdeadbeef, ma);
      js.dropoutMask(0.3, 0xdeadbeef, mb);
      assert.deepEqual(ma, mb, 'dropout masks are bit-identical');
    } finally {
      setNativeIsa(before);
    }
  });
}

test('Float64Array arguments are rejected with a clear TypeError', { skip }, () => {
  assert.ok(native);
  const f64 = new Float64Array(4);
  const f32 = new Float32Array(4);
  const message = /Float64Array.*float32 only/;
  assert.throws(() => native.gemm(2, 2, 2, f64, f32, f32), { name: 'TypeError', message });
  assert.throws(() => native.gemm(2, 2, 2, f32, f32, f32, { bias: new Float64Array(2) }), {
    name: 'TypeError',
    message,
  });
  assert.throws(() => native.unary('exp', f64, f64), { name: 'TypeError', message });
  assert.throws(() => native.softmax(f32, 2, 2, f64), { name: 'TypeError', message });
  assert.throws(
    () => native.applyUpdate({ kind: 'adagrad', lr: 0.1, epsilon: 1e-7 }, f32, f32, [f64]),
    {
      name: 'TypeError',
      message,
    },
  );
});

test('wrong lengths and geometry throw RangeErrors instead of touching memory', { skip }, () => {
  assert.ok(native);
  const small = new Float32Array(3);
  const ok = new Float32Array(64);
  assert.throws(() => native.gemm(8, 8, 8, small, ok, ok), RangeError);
  assert.throws(() => native.gemm(-1, 8, 8, ok, ok, ok), RangeError);
  assert.throws(() => native.unary('exp', ok, small), RangeError);
  assert.throws(() => native.unary('scale', ok, ok), RangeError); // needs param
  assert.throws(() => native.binary('add', ok, [4, 16], ok, [3], ok, [4, 16]), RangeError);
  assert.throws(() => native.transpose(ok, [4, 16], [0, 0], ok), RangeError);
  assert.throws(
    () => native.softmaxCrossEntropy(ok, Int32Array.of(0, 9), 2, 4, small, ok),
    RangeError,
  );
  assert.throws(() => native.dropoutMask(1.5, 1, ok), RangeError);
  assert.throws(() => native.maxPoolBackward(ok, Int32Array.of(64), ok), RangeError);
  assert.throws(() => native.argmax(ok, 4, 0, 4, new Int32Array(16)), RangeError);
  const g = {
    n: 1,
    inH: 4,
    inW: 4,
    inC: 4,
    outH: 2,
    outW: 2,
    outC: 4,
    kH: 3,
    kW: 3,
    strideH: 1,
    strideW: 1,
    dilationH: 1,
    dilationW: 1,
    padTop: 0,
    padLeft: 0,
  };
  assert.throws(() => native.conv2d(ok, small, g, ok), RangeError);
  assert.throws(() => native.conv2d(ok, ok, { ...g, strideH: 0 }, ok), RangeError);
  assert.throws(() => native.conv2d(ok, ok, { ...g, padTop: 0.5 }, ok), RangeError);
  assert.throws(
    () =>
      native.applyUpdate(
        { kind: 'adam', lr: 1, beta1: 0.9, beta2: 0.99, epsilon: 1e-7, step: 1, amsgrad: false },
        ok,
        ok,
        [ok],
      ),
    RangeError,
  );
  // Each optimizer's plan checks its own fields and slot count.
  const nadam = {
    kind: 'nadam',
    lr: 1,
    beta1: 0.9,
    beta2: 0.99,
    epsilon: 1e-7,
    uProduct: 0.5,
  } as const;
  assert.throws(() => native.applyUpdate({ ...nadam, step: 0 }, ok, ok, [ok, ok]), {
    name: 'RangeError',
    message: /nadam's step is 1-based, got 0/,
  });
  assert.throws(
    () => native.applyUpdate({ kind: 'lion', lr: 1, beta1: 0.9, beta2: 0.99 }, ok, ok, []),
    {
      name: 'RangeError',
      message: /expected 1 slot arrays, got 0/,
    },
  );
});

test(
  'concurrent use from worker_threads is correct and the process exits cleanly',
  { skip },
  () => {
    // Workers share the process-wide pool (a busy pool runs the other caller inline) and may be
    // the only users of the addon, which must then survive their exit.
    const load = JSON.stringify(new URL('./load.js', import.meta.url).href);
    const script = `
    import { Worker, isMainThread, parentPort } from 'node:worker_threads';
    if (isMainThread) {
      const ws = [0, 1, 2].map(() => new Worker(new URL(import.meta.url)));
      const ok = await Promise.all(ws.map((w) => new Promise((r) => w.on('message', r))));
      console.log(JSON.stringify(ok));
    } else {
      const { loadNativeBackend } = await import(${load});
      const nb = loadNativeBackend();
      const [m, n, k] = [200, 300, 150];
      const a = new Float32Array(m * k).fill(1), b = new Float32Array(k * n).fill(2), c = new Float32Array(m * n);
      let ok = true;
      for (let i = 0; i < 200; i++) {
        nb.gemm(m, n, k, a, b, c);
        if (c[0] !== 2 * k || c[m * n - 1] !== 2 * k) ok = false;
        if (i % 50 === 0) nb.setNumThreads(1 + (i % 3));
      }
      parentPort.postMessage(ok);
    }
  `;
    const dir = mkdtempSync(join(tmpdir(), 'mnist-lab-native-'));
    try {
      const file = join(dir, 'workers.mjs');
      writeFileSync(file, script);
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
      assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''}: ${r.stderr}`);
      assert.deepEqual(JSON.parse(r.stdout), [true, true, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
