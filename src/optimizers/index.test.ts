import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  getOptimizer,
  optimizers,
  RMSprop,
  serializeOptimizer,
  SGD,
} from './index.js';
import { Adamax } from './adamax.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';

describe('getOptimizer', () => {
  it('resolves names case-insensitively to fresh optimizers with defaults', () => {
    const cases: [string, new () => object][] = [
      ['sgd', SGD],
      ['SGD', SGD],
      ['rmsprop', RMSprop],
      ['RMSprop', RMSprop],
      ['RMSProp', RMSprop],
      ['adam', Adam],
      ['Adam', Adam],
      ['adamw', AdamW],
      ['AdamW', AdamW],
      ['adagrad', Adagrad],
      ['adadelta', Adadelta],
      ['nadam', Nadam],
      ['Nadam', Nadam],
      ['adamax', Adamax],
      ['lion', Lion],
    ];
    for (const [name, cls] of cases) assert.ok(getOptimizer(name) instanceof cls, name);
    assert.notEqual(getOptimizer('adam'), getOptimizer('adam'));
  });

  it('names every valid choice for an unknown name', () => {
    assert.throws(
      () => getOptimizer('nadamw'),
      (e: Error) =>
        /Unknown optimizer 'nadamw'/.test(e.message) &&
        ['sgd', 'rmsprop', 'adam', 'adamw', 'adagrad', 'adadelta', 'nadam', 'adamax', 'lion'].every(
          (n) => e.message.toLowerCase().includes(`'${n}'`),
        ),
    );
  });

  it('builds from {className, config} (TF.js or Keras keys) and returns instances as is', () => {
    const a = getOptimizer({ className: 'Adam', config: { learningRate: 0.01, beta_2: 0.99 } });
    assert.ok(a instanceof Adam);
    assert.equal(a.learningRate, 0.01);
    assert.equal((a as Adam).beta2, 0.99);
    const s = new SGD();
    assert.equal(getOptimizer(s), s);
  });

  it('round-trips every optimizer through serializeOptimizer', () => {
    const all = [
      new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
      new RMSprop({ rho: 0.8, centered: true, momentum: 0.2 }),
      new Adam({ beta1: 0.8, amsgrad: true }),
      new Adagrad({ initialAccumulatorValue: 0.3 }),
      new Adadelta({ rho: 0.9, epsilon: 1e-6 }),
      new Nadam({ beta1: 0.8, epsilon: 1e-6 }),
      new Adamax({ beta2: 0.99 }),
      new Lion({ learningRate: 3e-4, beta2: 0.95 }),
    ];
    for (const opt of all) {
      const copy = getOptimizer(serializeOptimizer(opt));
      assert.equal(copy.constructor, opt.constructor);
      assert.deepEqual(copy.getConfig(), opt.getConfig());
    }
  });
});

describe('optimizers namespace', () => {
  it('makes optimizers from a config or a bare learning rate', () => {
    assert.equal(optimizers.adam({ learningRate: 0.02 }).learningRate, 0.02);
    assert.equal(optimizers.sgd(0.5).learningRate, 0.5);
    assert.equal(optimizers.rmsprop().learningRate, 0.001);
    assert.equal(optimizers.adagrad().learningRate, 0.001);
    assert.equal(optimizers.adadelta({ rho: 0.9 }).rho, 0.9);
    assert.ok(optimizers.get('sgd') instanceof SGD);
    assert.ok(optimizers.nadam(0.01) instanceof Nadam);
    assert.ok(optimizers.adamax({ beta2: 0.99 }) instanceof Adamax);
    assert.equal(optimizers.lion(3e-4).learningRate, 3e-4);
  });
});
