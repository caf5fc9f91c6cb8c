import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSameValues } from '../../test/helpers/numeric.js';
import type { KernelName } from './backend.js';
import { jsBackend } from './index.js';
import { KERNEL_NAMES } from './kernel-args.js';
import { compiledBackend, type CompiledHost, type FlatArg } from './marshal.js';

/** A compiled side that runs nothing itself: it records the flattened calls it gets. */
function recordingHost(lists: CompiledHost['codeLists'], kernels: readonly KernelName[]) {
  const calls: { kernel: KernelName; args: FlatArg[] }[] = [];
  const host: CompiledHost = {
    name: 'fake',
    has: (k) => kernels.includes(k),
    codeLists: lists,
    call: (kernel, args) => void calls.push({ kernel, args }),
    getNumThreads: () => 1,
    setNumThreads: () => {},
    isa: () => 'fake',
  };
  return { host, calls };
}

const LISTS = {
  unary: ['linear', 'exp'],
  binary: ['add'],
  reduce: ['sum'],
  epilogue: ['linear', 'relu'],
  optimizer: ['sgd', 'adam'],
  fillMode: ['reflect', 'constant'],
  interpolation: ['bilinear'],
};

test('compiledBackend: arguments are flattened in schema order, enums as the host codes', () => {
  const { host, calls } = recordingHost(LISTS, KERNEL_NAMES);
  const b = compiledBackend(host, jsBackend);
  const a = new Float32Array(4);
  b.gemm(2, 2, 1, a, a, a, { transB: true, activation: 'relu' });
  b.unary('exp', a, a);
  b.binary('add', a, [2, 2], a, [2], a, [2, 2]);
  b.applyUpdate(
    { kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-7, step: 3, amsgrad: false },
    a,
    a,
    [a, a],
  );
  assert.deepEqual(calls[0]!.args, [2, 2, 1, a, a, a, 0, 1, 1, 0, null, 1]);
  assert.deepEqual(calls[1]!.args, [1, a, a, 0, 0]);
  assert.deepEqual(calls[2]!.args, [
    0,
    a,
    Int32Array.of(2, 2),
    a,
    Int32Array.of(2),
    a,
    Int32Array.of(2, 2),
  ]);
  assert.deepEqual(calls[3]!.args, [1, 0.1, 0.9, 0.99, 1e-7, 3, 0, a, a, a, a, null]);
});

test('compiledBackend: what the host lacks runs on js, and fallbacks() says so', () => {
  const { host, calls } = recordingHost(LISTS, ['unary', 'gemm']);
  const b = compiledBackend(host, jsBackend);
  assert.ok(b.fallbacks().includes('unary:relu'), 'an op code the host lacks');
  assert.ok(b.fallbacks().includes('binary'), 'a kernel the host lacks');
  assert.ok(!b.fallbacks().includes('unary:exp'));
  const out = new Float32Array(3);
  b.unary('relu', Float32Array.of(-1, 0, 2), out);
  assertSameValues(out, [0, 0, 2]);
  b.binary('sub', Float32Array.of(5, 6, 7), [3], Float32Array.of(1), [1], out, [3]);
  assertSameValues(out, [4, 5, 6]);
  assert.equal(calls.length, 0, 'neither call reached the host');
  // Required parameters are checked before anything is sent.
  assert.throws(() => b.unary('scale', out, out), /needs param/);
});

test('compiledBackend: applyUpdates sends its lists as they are, or runs as applyUpdate calls', () => {
  const adam = {
    kind: 'adam',
    lr: 0.1,
    beta1: 0.9,
    beta2: 0.99,
    epsilon: 1e-7,
    step: 1,
    amsgrad: false,
  } as const;
  const p = [new Float32Array(2), new Float32Array(3)];
  const g = [new Float32Array(2), new Float32Array(3)];
  const s = [
    [new Float32Array(2), new Float32Array(2)],
    [new Float32Array(3), new Float32Array(3)],
  ];
  const fused = recordingHost(LISTS, KERNEL_NAMES);
  compiledBackend(fused.host, jsBackend).applyUpdates(adam, p, g, s);
  assert.deepEqual(fused.calls[0]!.args, [1, 0.1, 0.9, 0.99, 1e-7, 1, 0, p, g, s]);
  // A host without the fused kernel gets one applyUpdate per parameter, not a js fallback.
  const plain = recordingHost(
    LISTS,
    KERNEL_NAMES.filter((k) => k !== 'applyUpdates'),
  );
  const b = compiledBackend(plain.host, jsBackend);
  assert.ok(!b.fallbacks().includes('applyUpdates'));
  b.applyUpdates(adam, p, g, s);
  assert.deepEqual(
    plain.calls.map((c) => [c.kernel, c.args[7]]),
    [
      ['applyUpdate', p[0]],
      ['applyUpdate', p[1]],
    ],
  );
});
