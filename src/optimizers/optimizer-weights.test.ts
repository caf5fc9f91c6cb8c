import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { Adadelta, Adagrad, Adam, RMSprop, SGD, type Optimizer } from './index.js';
import { Adamax } from './adamax.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
import { gradAt, START } from './optimizer-test-util.js';

function variables(): Variable[] {
  return [
    new Variable(new Tensor(Float32Array.from(START), [START.length]), { name: 'dense/kernel' }),
    new Variable(new Tensor(Float32Array.from(START.slice(0, 2)), [2]), { name: 'dense/bias' }),
  ];
}

function step(opt: Optimizer, vars: Variable[], t: number): void {
  for (const v of vars) v.grad = new Tensor(Float32Array.from(gradAt(t).slice(0, v.size)), v.shape);
  opt.applyGradients(vars);
}

const cases: [string, () => Optimizer, string[]][] = [
  ['SGD', () => new SGD({ momentum: 0.9, nesterov: true }), ['momentum']],
  ['SGD without momentum', () => new SGD(), []],
  ['RMSprop', () => new RMSprop({ momentum: 0.5, centered: true }), ['rms', 'momentum', 'mg']],
  ['Adam', () => new Adam(), ['m', 'v']],
  ['Adam amsgrad', () => new Adam({ amsgrad: true, beta2: 0.5 }), ['m', 'v', 'vhat']],
  ['Adagrad', () => new Adagrad(), ['accumulator']],
  ['Adadelta', () => new Adadelta({ learningRate: 1 }), ['accum_grad', 'accum_var']],
  ['Nadam', () => new Nadam({ learningRate: 0.01 }), ['momentum', 'velocity']],
  ['Adamax', () => new Adamax({ learningRate: 0.01 }), ['momentum', 'norm']],
  ['Lion', () => new Lion({ learningRate: 0.01 }), ['momentum']],
];

describe('Optimizer getWeights / setWeights', () => {
  for (const [label, make, slots] of cases) {
    it(`${label}: names slots as TF.js does and continues bit-identically after a round trip`, () => {
      const a = make();
      const varsA = variables();
      for (let t = 0; t < 3; t++) step(a, varsA, t);
      const saved = a.getWeights();
      assert.equal(saved[0]!.name, 'iter');
      assert.equal(saved[0]!.tensor.dtype, 'int32');
      assert.equal(saved[0]!.tensor.values[0], 3);
      assert.deepEqual(
        saved.slice(1).map((w) => w.name),
        slots.flatMap((s) => [`dense/kernel/${s}`, `dense/bias/${s}`]),
      );

      // A fresh optimizer and fresh variables holding the same values.
      const b = make();
      const varsB = variables();
      varsA.forEach((v, i) => varsB[i]!.assign(v));
      b.setWeights(saved);
      assert.deepEqual(
        b.getWeights().map((w) => [w.name, Array.from(w.tensor.values)]),
        saved.map((w) => [w.name, Array.from(w.tensor.values)]),
        'getWeights before any step returns what was set',
      );
      for (let t = 3; t < 6; t++) {
        step(a, varsA, t);
        step(b, varsB, t);
      }
      varsA.forEach((v, i) => assert.deepEqual(Array.from(varsB[i]!.values), Array.from(v.values)));
      assert.equal(b.iterations, 6);
    });
  }

  it('returns copies', () => {
    const opt = new Adam();
    const vars = variables();
    step(opt, vars, 0);
    const w = opt.getWeights();
    (w[1]!.tensor.values as Float32Array).fill(123);
    assert.notEqual(opt.getWeights()[1]!.tensor.values[0], 123);
  });

  it('refuses malformed state with a message naming the weight', () => {
    const opt = new Adam();
    const slot = (name: string, n = 2) => ({ name, tensor: new Tensor(new Float32Array(n), [n]) });
    const iter = { name: 'iter', tensor: new Tensor(Int32Array.of(1), []) };
    assert.throws(() => opt.setWeights([]), /first weight must be the scalar 'iter'/);
    assert.throws(() => opt.setWeights([slot('a/m')]), /first weight must be the scalar 'iter'/);
    assert.throws(
      () => opt.setWeights([{ name: 'iter', tensor: new Tensor(Float32Array.of(1.5), []) }]),
      /non-negative integer/,
    );
    assert.throws(
      () => opt.setWeights([iter, slot('a/momentum')]),
      /unexpected weight 'a\/momentum'/,
    );
    assert.throws(() => opt.setWeights([iter, slot('a/m')]), /'a' is missing slot 'v'/);
    assert.throws(() => opt.setWeights([iter, slot('a/m'), slot('a/v', 3)]), /disagree in shape/);
    assert.throws(() => opt.setWeights([iter, slot('a/m'), slot('a/m')]), /appears twice/);
    // A failed call leaves the state untouched.
    assert.equal(opt.iterations, 0);
  });

  it('refuses state whose shape does not match the variable', () => {
    const opt = new Adam();
    const two = () => new Tensor(new Float32Array(2), [2]);
    opt.setWeights([
      { name: 'iter', tensor: new Tensor(Int32Array.of(4), []) },
      { name: 'dense/kernel/m', tensor: two() },
      { name: 'dense/kernel/v', tensor: two() },
    ]);
    assert.throws(() => step(opt, variables(), 0), /'dense\/kernel' has shape \[2\].*\[5\]/);
  });
});
