import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { Dense, Dropout, layers, type CallArgs, type Layer } from '../layers/index.js';
import { setSeed } from '../tensor/seed.js';
import type { Tensor } from '../tensor/tensor.js';
import { Model } from './index.js';
import { randomInput, toyClassification } from './test-data.test.js';

class TwoLayerNet extends Model {
  readonly hidden = new Dense({ units: 16, activation: 'relu' });
  readonly drop = new Dropout({ rate: 0.1 });
  readonly head = new Dense({ units: 3, activation: 'softmax' });

  override call(inputs: Tensor | Tensor[], { training }: CallArgs): Tensor {
    const x = inputs as Tensor;
    return this.head.apply(this.drop.apply(this.hidden.apply(x), { training }), { training });
  }
}

class Blocks extends Model {
  readonly blocks: Layer[] = [
    layers.dense({ units: 4, activation: 'tanh' }),
    layers.dense({ units: 4 }),
  ];
  private readonly hiddenAway: { layer: Layer };

  constructor() {
    super({ name: 'blocks' });
    this.hiddenAway = { layer: this.trackLayer(layers.dense({ units: 1 })) };
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    let x = inputs as Tensor;
    for (const b of this.blocks) x = b.apply(x, args);
    return this.hiddenAway.layer.apply(x, args);
  }
}

test('a subclassed model tracks its layer fields and builds on first call', () => {
  const m = new TwoLayerNet();
  assert.equal(m.name.startsWith('two_layer_net'), true);
  assert.equal(m.className, 'TwoLayerNet');
  assert.ok(m.isSubclassed);
  assert.deepEqual(m.layers, [m.hidden, m.drop, m.head]);
  assert.equal(m.weights.length, 0);
  const y = m.predict(randomInput([5, 4], 1));
  assert.deepEqual(y.shape, [5, 3]);
  assert.equal(m.weights.length, 4);
  assert.equal(m.countParams(), 4 * 16 + 16 + 16 * 3 + 3);
});

test('arrays of layers and trackLayer() are tracked; build(shape) creates the weights', () => {
  const m = new Blocks();
  assert.equal(m.layers.length, 3);
  m.build([null, 2]);
  assert.equal(m.countParams(), 12 + 20 + 5);
  assert.match(m.summaryText(88), /dense(_\d+)? \(Dense\) +│ \(None, 4\) +│ +12 │/);
});

test('a subclassed model trains with fit, evaluates and predicts', async () => {
  setSeed(5);
  const m = new TwoLayerNet();
  m.compile({
    optimizer: { className: 'Adam', config: { learningRate: 0.02 } },
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  const { x, y } = toyClassification(192);
  const before = (m.evaluate(x, y, { verbose: 0 }) as Tensor[]).map((t) => t.item());
  const history = await m.fit(x, y, { epochs: 15, batchSize: 32, verbose: 0 });
  const after = (m.evaluate(x, y, { verbose: 0 }) as Tensor[]).map((t) => t.item());
  assert.ok(after[0]! < before[0]!, `loss ${before[0]} -> ${after[0]}`);
  assert.ok(after[1]! > 0.8, `accuracy ${after[1]}`);
  assert.equal(history.history['loss']!.length, 15);
});

test('a subclassed model cannot serialise its topology (Keras), with a clear way out', () => {
  const m = new TwoLayerNet();
  m.predict(randomInput([1, 4], 1));
  assert.throws(() => m.toJSON(), /is a subclassed model \(TwoLayerNet\).*saveWeights\(dir\)/);
});

test('a model without a graph or call() says how to make one', () => {
  const m = new Model();
  assert.throws(() => m.predict(randomInput([1, 2], 1)), /subclass Model and override call/);
});
