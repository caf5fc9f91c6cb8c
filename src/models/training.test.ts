import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { layers } from '../layers/index.js';
import { Mean } from '../metrics/index.js';
import { SGD } from '../optimizers/index.js';
import { setSeed } from '../tensor/seed.js';
import { Tensor } from '../tensor/tensor.js';
import { sequential } from './index.js';
import { toyClassification } from './test-data.test.js';

function mlp(regularized = false) {
  return sequential({
    layers: [
      layers.dense({
        units: 16,
        activation: 'relu',
        inputShape: [4],
        ...(regularized ? { kernelRegularizer: 'l2' } : {}),
      }),
      layers.batchNormalization(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

test('compile resolves names through the registries; fit lowers the loss', async () => {
  setSeed(11);
  const m = mlp();
  m.compile({
    optimizer: { className: 'Adam', config: { learningRate: 0.02 } },
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  assert.equal(m.optimizer.className, 'Adam');
  assert.deepEqual(m.trainingConfig?.metrics, ['accuracy']);
  assert.equal(m.trainingConfig?.loss, 'categorical_crossentropy');
  const { x, y } = toyClassification(256);
  const h = await m.fit(x, y, { epochs: 10, batchSize: 32, verbose: 0, validationSplit: 0.25 });
  const losses = h.history['loss']!;
  assert.ok(losses.at(-1)! < losses[0]!, `loss ${losses[0]} -> ${losses.at(-1)}`);
  assert.ok(h.history['val_accuracy']!.at(-1)! > 0.7);
});

test('evaluate returns the loss alone without metrics, [loss, ...metrics] with them', () => {
  const m = mlp();
  const { x, y, labels } = toyClassification(64);
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'categorical_crossentropy' });
  const lossT = m.evaluate(x, y, { batchSize: 16, verbose: 0 });
  assert.ok(!Array.isArray(lossT) && lossT.rank === 0, 'a scalar tensor, as in TF.js');
  const loss = lossT.item();
  m.compile({
    optimizer: 'sgd',
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy', 'sparse_categorical_crossentropy'],
  });
  const r = (m.evaluate(x, labels, { verbose: 0 }) as Tensor[]).map((t) => t.item());
  assert.equal(r.length, 3);
  assert.ok(Math.abs(r[0]! - r[2]!) < 1e-5, 'the loss metric matches the loss');
  assert.ok(Math.abs(r[0]! - loss) < 1e-5, 'sparse and one-hot losses agree');
});

test('compile and fit errors', async () => {
  const m = mlp();
  const { x, y } = toyClassification(8);
  await assert.rejects(async () => m.fit(x, y), /You must call compile\(\) before fit\(\)/);
  assert.throws(() => m.evaluate(x, y), /before evaluate\(\)/);
  assert.throws(() => m.compile({ optimizer: 'adamm', loss: 'mse' }), /Unknown optimizer 'adamm'/);
  assert.throws(() => m.compile({ optimizer: 'adam', loss: 'msee' }), /Unknown loss 'msee'/);
  assert.throws(
    () => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] }),
    /Unknown metric 'acuracy'/,
  );
});

test('metric objects given to compile are copied fresh for each run, leaving the original alone', async () => {
  const m = mlp();
  const mine = new Mean('my_mean');
  m.compile({ optimizer: 'sgd', loss: 'mse', metrics: [mine] });
  // Mean has no meaning for (yTrue, yPred) pairs here; the point is the bookkeeping.
  const a = (
    m as unknown as { compiledModel: { makeMetrics(): unknown[] } }
  ).compiledModel.makeMetrics();
  const b = (
    m as unknown as { compiledModel: { makeMetrics(): unknown[] } }
  ).compiledModel.makeMetrics();
  assert.notEqual(a[0], mine);
  assert.notEqual(a[0], b[0]);
  assert.equal((a[0] as Mean).name, 'my_mean');
});

test('regularizationLoss sums the layer penalties; the loss the loop minimises includes it', () => {
  const m = mlp(true);
  const w = m.layers[0]!.weights[0]!;
  let sq = 0;
  for (const v of w.values) sq += v * v;
  assert.ok(Math.abs(m.regularizationLoss()!.item() - 0.01 * sq) < 1e-5);
  assert.equal(mlp(false).regularizationLoss(), null);
});

test('stopTraining set by a callback ends fit early', async () => {
  const m = mlp();
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  const { x, y } = toyClassification(64);
  const { Callback } = await import('../callbacks/callback.js');
  class StopAtTwo extends Callback {
    override onEpochEnd(epoch: number): void {
      if (epoch === 1) this.model.stopTraining = true;
    }
  }
  const h = await m.fit(x, y, { epochs: 10, verbose: 0, callbacks: [new StopAtTwo()] });
  assert.equal(h.history['loss']!.length, 2);
});

test('predict batches give the same result as one pass', () => {
  const m = mlp();
  const { x } = toyClassification(50);
  const a = m.predict(x, { batchSize: 7 });
  const b = m.predict(x, { batchSize: 64 });
  assert.deepEqual(Array.from(a.values), Array.from(b.values));
  assert.ok(a instanceof Tensor);
});

test('predict and evaluate reuse batch memory, never the results or the lazily built weights', () => {
  // Built by its first predict (a first batch of 8), whose later batches draw on a buffer pool.
  setSeed(5);
  const m = sequential({
    layers: [layers.dense({ units: 8, activation: 'relu' }), layers.dense({ units: 3 })],
  });
  const { x, y } = toyClassification(40);
  const a = m.predict(x, { batchSize: 8 });
  const weights = m.getWeights().map((w) => Array.from(w));
  const b = m.predict(x, { batchSize: 40 });
  const c = m.predict(x, { batchSize: 8 });
  assert.deepEqual(Array.from(a.values), Array.from(b.values));
  assert.notEqual(a.values.buffer, c.values.buffer);
  assert.deepEqual(Array.from(a.values), Array.from(c.values));
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const whole = (m.evaluate(x, y, { batchSize: 40, verbose: 0 }) as Tensor).item();
  const batched = (m.evaluate(x, y, { batchSize: 8, verbose: 0 }) as Tensor).item();
  assert.ok(Math.abs(whole - batched) < 1e-6 * Math.max(1, whole), `${whole} vs ${batched}`);
  assert.deepEqual(
    m.getWeights().map((w) => Array.from(w)),
    weights,
  );
  assert.throws(() => m.predict(x, { batchSize: 0 }), /batchSize must be a whole number/);
});

test('fit builds a lazy model first, so its first epoch trains like a pre-built one', async () => {
  const { x, y } = toyClassification(32);
  const make = () => {
    setSeed(21);
    const m = sequential({
      layers: [layers.dense({ units: 8, activation: 'relu' }), layers.dense({ units: 3 })],
    });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    return m;
  };
  const lazy = make();
  const built = make();
  built.build([null, 4]);
  await lazy.fit(x, y, { epochs: 1, verbose: 0, shuffle: false });
  await built.fit(x, y, { epochs: 1, verbose: 0, shuffle: false });
  assert.deepEqual(lazy.getWeights(), built.getWeights());
  const fresh = make();
  fresh.build([null, 4]);
  assert.notDeepEqual(lazy.getWeights(), fresh.getWeights());
});

test('trainOnBatch takes one step and returns the batch loss', () => {
  setSeed(4);
  const m = mlp();
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  const { x, y } = toyClassification(32);
  const first = m.trainOnBatch(x, y);
  assert.ok(
    Math.abs(first - (m.evaluate(x, y, { verbose: 0 }) as Tensor).item()) > 0,
    'weights moved',
  );
  let last = first;
  for (let i = 0; i < 20; i++) last = m.trainOnBatch(x, y);
  assert.ok(last < first, `loss ${first} -> ${last}`);
});
