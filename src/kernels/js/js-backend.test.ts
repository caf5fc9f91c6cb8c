import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSameValues } from '../../../test/helpers/numeric.js';
import type { Backend } from '../backend.js';
import { JsBackend } from './js-backend.js';

test('JsBackend: identity and threads', () => {
  const js: Backend = new JsBackend();
  assert.equal(js.name, 'js');
  assert.equal(js.supportsFloat64, true);
  js.setNumThreads(8);
  assert.equal(js.getNumThreads(), 1);
});

test('JsBackend: methods reach their kernels with both float types', () => {
  const js = new JsBackend();
  for (const F of [Float32Array, Float64Array]) {
    const c = new F(1);
    js.gemm(1, 1, 2, new F([1, 2]), new F([3, 4]), c);
    assertSameValues(c, [11]);
    const out = new F(3);
    js.unary('relu', new F([-1, 0, 2]), out);
    assertSameValues(out, [0, 0, 2]);
    js.binary('sub', new F([5, 6, 7]), [3], new F([1]), [1], out, [3]);
    assertSameValues(out, [4, 5, 6]);
    const loss = new F(1);
    js.softmaxCrossEntropy(new F([0, 0, 0]), new Int32Array([1]), 1, 3, loss, out);
    assert.ok(Math.abs(loss[0] - Math.log(3)) < 1e-6);
  }
});
