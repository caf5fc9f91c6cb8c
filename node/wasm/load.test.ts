import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { loadWasmBackend, loadWasmVariant, wasmFile, wasmInfo, wasmLoadError } from './load.js';
import { hasRelaxedSimd } from '../../src/kernels/wasm/wasm-backend.js';

const built = existsSync(wasmFile() ?? '');
const skip = built ? false : 'dist/wasm not built (npm run build:wasm)';
const relaxedBuilt = existsSync(wasmFile('relaxed-simd') ?? '');

test(
  'the wasm backend loads, implements every kernel itself and checks its arguments',
  { skip },
  () => {
    const w = loadWasmBackend();
    assert.ok(w, wasmLoadError());
    assert.equal(w.name, 'wasm');
    assert.deepEqual(w.fallbacks(), []);
    assert.equal(w.getNumThreads(), 1);
    const f32 = new Float32Array(4);
    // Errors come back from C++ as the same TypeError / RangeError as native's.
    assert.throws(() => w.unary('exp', new Float64Array(4), f32), {
      name: 'TypeError',
      message: /Float64Array.*float32 only/,
    });
    assert.throws(() => w.gemm(8, 8, 8, f32, f32, f32), RangeError);
    assert.throws(() => w.transpose(f32, [2, 2], [0, 0], f32), RangeError);
    assert.throws(
      () => w.softmaxCrossEntropy(f32, Int32Array.of(0, 9), 2, 2, f32, f32),
      RangeError,
    );
    // Outputs are copied back; inputs are left alone.
    const x = Float32Array.of(-1, 0, 2, 3);
    const y = new Float32Array(4);
    w.unary('relu', x, y);
    assert.deepEqual([...y], [0, 0, 2, 3]);
    assert.deepEqual([...x], [-1, 0, 2, 3]);
    // In place, through the copy.
    w.unary('square', x, x);
    assert.deepEqual([...x], [1, 0, 4, 9]);
  },
);

/** Imports the Node entry in a child process and reports the backend it chose and its stderr. */
function entryChoice(env: Record<string, string>): {
  backend: string;
  stderr: string;
  status: number | null;
} {
  const entry = JSON.stringify(new URL('../index.js', import.meta.url).href);
  const r = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `const m = await import(${entry}); console.log(m.getBackend());`],
    // MNIST_LAB_REQUIRE_NATIVE (set by CI) would turn the fallbacks under test into errors.
    {
      env: { ...process.env, MNIST_LAB_BACKEND: '', MNIST_LAB_REQUIRE_NATIVE: '', ...env },
      encoding: 'utf8',
    },
  );
  return { backend: r.stdout.trim(), stderr: r.stderr, status: r.status };
}

test('Node picks native, then wasm, then js, and says once why it is not native', { skip }, () => {
  const noNative = entryChoice({ MNIST_LAB_SKIP_NATIVE: '1' });
  assert.equal(noNative.status, 0, noNative.stderr);
  assert.equal(noNative.backend, 'wasm');
  assert.equal(noNative.stderr.match(/native kernels unavailable/g)?.length, 1, noNative.stderr);
  assert.match(noNative.stderr, /MNIST_LAB_SKIP_NATIVE=1.*using the "wasm" backend/);

  const forced = entryChoice({ MNIST_LAB_BACKEND: 'wasm' });
  assert.equal(forced.backend, 'wasm');
  assert.equal(forced.stderr, '');

  const bad = entryChoice({ MNIST_LAB_BACKEND: 'gpu' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /MNIST_LAB_BACKEND must be one of native, wasm, js, got 'gpu'/);
});

test(
  'the relaxed-SIMD build is chosen where V8 runs it (Node 20: by its flag), and reports itself',
  { skip: relaxedBuilt ? false : 'the relaxed-simd module is not built (needs clang >= 16)' },
  () => {
    const w = loadWasmBackend();
    assert.ok(w, wasmLoadError());
    const info = wasmInfo();
    // Every Node this package supports (>= 20) can run relaxed SIMD, so it must be picked.
    assert.equal(w.isa(), 'relaxed-simd');
    assert.equal(info?.isa, 'relaxed-simd');
    assert.match(info!.file, /mnist-lab-kernels-relaxed\.wasm$/);
    assert.ok(hasRelaxedSimd());
    const major = Number(process.versions.node.split('.')[0]);
    if (major === 20) assert.equal(info?.relaxedSimd, 'v8-flag');
    else assert.ok(['engine', 'v8-flag'].includes(info!.relaxedSimd));

    // The plain build, side by side: same kernels, its own name.
    const plain = loadWasmVariant('simd128');
    assert.equal(plain.isa(), 'simd128');
    assert.deepEqual(plain.fallbacks(), []);
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    const [c1, c2] = [new Float32Array(4), new Float32Array(4)];
    w.gemm(2, 2, 3, x, x, c1);
    plain.gemm(2, 2, 3, x, x, c2);
    assert.deepEqual([...c1], [22, 28, 49, 64]);
    assert.deepEqual([...c2], [22, 28, 49, 64]);
  },
);

/** loadWasmBackend() in a child with `env`: the wasm info, or the load error. */
function childLoad(env: Record<string, string>): { info?: unknown; error?: string } {
  const load = JSON.stringify(new URL('./load.js', import.meta.url).href);
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${load}); m.loadWasmBackend(); ` +
        `console.log(JSON.stringify({ info: m.wasmInfo(), error: m.wasmLoadError() }));`,
    ],
    { env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { info?: unknown; error?: string };
}

test(
  'MNIST_LAB_WASM_ISA=simd128 loads the plain build; a wrong value says what is allowed',
  { skip },
  () => {
    const plain = childLoad({ MNIST_LAB_WASM_ISA: 'simd128' });
    assert.deepEqual(plain.info, {
      file: wasmFile('simd128'),
      isa: 'simd128',
      relaxedSimd: 'not-requested',
    });
    const bad = childLoad({ MNIST_LAB_WASM_ISA: 'avx' });
    assert.equal(bad.info, undefined);
    assert.equal(bad.error, "MNIST_LAB_WASM_ISA must be one of relaxed-simd, simd128, got 'avx'");
  },
);

test("setBackend('wasm') and setBackend('native') say why their backend did not load", () => {
  const entry = JSON.stringify(new URL('../index.js', import.meta.url).href);
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${entry}); ` +
        `for (const name of ['wasm', 'native']) ` +
        `try { m.setBackend(name); } catch (e) { console.log(e.message); }`,
    ],
    {
      env: {
        ...process.env,
        MNIST_LAB_BACKEND: 'js',
        MNIST_LAB_REQUIRE_NATIVE: '',
        MNIST_LAB_SKIP_NATIVE: '1',
        MNIST_LAB_WASM_ISA: 'avx9',
      },
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    "The wasm backend could not be loaded: MNIST_LAB_WASM_ISA must be one of relaxed-simd, simd128, got 'avx9'.",
    'The native backend could not be loaded: MNIST_LAB_SKIP_NATIVE=1.',
  ]);
});
