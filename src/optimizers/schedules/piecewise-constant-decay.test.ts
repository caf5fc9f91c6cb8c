import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PiecewiseConstantDecay } from './piecewise-constant-decay.js';

describe('PiecewiseConstantDecay', () => {
  it('gives values[i] for boundaries[i-1] < step <= boundaries[i] (Keras docs example)', () => {
    // Keras: 1.0 for the first 100001 steps, 0.5 for the next 10000, then 0.1.
    const s = new PiecewiseConstantDecay({ boundaries: [100000, 110000], values: [1, 0.5, 0.1] });
    const at = (t: number): number => s.call(t);
    assert.deepEqual([0, 100000, 100001, 110000, 110001, 1e9].map(at), [1, 1, 0.5, 0.5, 0.1, 0.1]);
  });

  it('rejects mismatched lengths (as Keras), unordered boundaries and negative rates', () => {
    assert.throws(
      () => new PiecewiseConstantDecay({ boundaries: [10], values: [1] }),
      /boundaries should be 1 less than the length of values/,
    );
    assert.throws(
      () => new PiecewiseConstantDecay({ boundaries: [10, 5], values: [1, 2, 3] }),
      /increase strictly/,
    );
    assert.throws(
      () => new PiecewiseConstantDecay({ boundaries: [10], values: [1, -2] }),
      /values must be >= 0/,
    );
    assert.throws(
      () => new PiecewiseConstantDecay({ boundaries: [10], values: [1, 'x'] as never }),
      /'values\[1\]' must be a finite number/,
    );
  });

  it('round-trips its config', () => {
    const s = new PiecewiseConstantDecay({
      boundaries: [5, 9],
      values: [0.1, 0.01, 0.001],
      name: 'p',
    });
    assert.deepEqual(s.getConfig(), { boundaries: [5, 9], values: [0.1, 0.01, 0.001] });
    assert.deepEqual(
      PiecewiseConstantDecay.fromConfig(
        s.getConfig() as { boundaries: number[]; values: number[] },
      ).getConfig(),
      s.getConfig(),
    );
  });
});
