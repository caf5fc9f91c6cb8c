import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSameValues } from '../../../test/helpers/numeric.js';
import { dropoutUniform } from '../backend.js';
import { dropoutMask } from './dropout.js';

test('dropoutMask: agrees exactly with dropoutUniform', () => {
  for (const seed of [0, 1, 42, 0xffffffff]) {
    for (const rate of [0.1, 0.5, 0.75]) {
      const mask = new Float64Array(5000);
      dropoutMask(rate, seed, mask);
      const want = mask.map((_, i) => (dropoutUniform(seed, i) >= rate ? 1 / (1 - rate) : 0));
      assertSameValues(mask, want, `seed ${seed} rate ${rate}`);
    }
  }
});

// Computed once from backend.ts's dropoutUniform; a native backend must reproduce it.
const PINNED_SEED42_RATE05 = '1010110111100011';

test('dropoutMask: pinned values, so a change to the hash cannot go unnoticed', () => {
  const mask = new Float64Array(16);
  dropoutMask(0.5, 42, mask);
  assert.equal(Array.from(mask, (v) => (v === 0 ? 0 : 1)).join(''), PINNED_SEED42_RATE05);
  // The uniforms themselves, as 24-bit integers.
  const u24 = (seed: number, i: number): number => dropoutUniform(seed, i) * 2 ** 24;
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => u24(42, i)),
    [10236854, 8251074, 10928173, 3684873],
  );
  assert.deepEqual(
    [0, 1].map((i) => u24(0xffffffff, i)),
    [5248968, 4526657],
  );
});

test('dropoutMask: the dropped fraction matches the rate and the mask has mean 1', () => {
  const n = 200_000;
  for (const rate of [0.1, 0.25, 0.5, 0.9]) {
    const mask = new Float32Array(n);
    dropoutMask(rate, 1234, mask);
    let dropped = 0;
    let sum = 0;
    for (const v of mask) {
      if (v === 0) dropped++;
      else assert.equal(v, Math.fround(1 / (1 - rate)));
      sum += v;
    }
    // Binomial(n, rate): 5 standard deviations is a false alarm about once in 3.5 million runs.
    const sigma = Math.sqrt(n * rate * (1 - rate));
    assert.ok(Math.abs(dropped - n * rate) < 5 * sigma, `rate ${rate}: dropped ${dropped} of ${n}`);
    assert.ok(
      Math.abs(sum / n - 1) < (5 * sigma) / (n * (1 - rate)),
      `rate ${rate}: mean ${sum / n}`,
    );
  }
});

test('dropoutMask: rate 0 keeps everything, rate 1 drops everything', () => {
  const mask = new Float32Array(1000);
  dropoutMask(0, 5, mask);
  assert.ok(mask.every((v) => v === 1));
  dropoutMask(1, 5, mask);
  assert.ok(mask.every((v) => v === 0));
});

test('dropoutMask: the seed picks the mask; float32 and float64 masks agree', () => {
  const a = new Float64Array(1000);
  const b = new Float64Array(1000);
  const c = new Float32Array(1000);
  dropoutMask(0.3, 7, a);
  dropoutMask(0.3, 7, b);
  dropoutMask(0.3, 7, c);
  assertSameValues(a, b);
  assertSameValues(c, Float32Array.from(a));
  dropoutMask(0.3, 8, b);
  assert.notDeepEqual(Array.from(a), Array.from(b));
});

test('dropoutMask: a rate outside [0, 1] is rejected', () => {
  assert.throws(() => dropoutMask(-0.1, 0, new Float32Array(1)), /rate/);
  assert.throws(() => dropoutMask(NaN, 0, new Float32Array(1)), /rate/);
});
