import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { Dense, input, layers, resetLayerNames } from '../layers/index.js';
import * as ops from '../ops/index.js';
import { noGrad } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Model, model, modelFromJSON, sequential } from './index.js';
import { randomInput } from './test-data.test.js';

test('a functional MLP computes what its layers compute', () => {
  const x = input({ shape: [4] });
  const d1 = layers.dense({ units: 5, activation: 'relu' });
  const d2 = layers.dense({ units: 3, activation: 'softmax' });
  const m = model({ inputs: x, outputs: d2.apply(d1.apply(x)) });
  assert.equal(m.className, 'Functional');
  assert.deepEqual(m.outputs[0]!.shape, [null, 3]);
  const data = randomInput([6, 4], 1);
  const expected = d2.apply(d1.apply(data));
  const got = m.predict(data, { batchSize: 4 });
  assert.deepEqual(got.shape, [6, 3]);
  assert.deepEqual(Array.from(got.values), Array.from(expected.values));
  assert.ok(ops.softmaxLogits(m.apply(data)), 'the softmax output is recognised through the model');
});

test('multiple inputs and a shared layer: weights counted once, both calls use them', () => {
  const a = input({ shape: [3] });
  const b = input({ shape: [3] });
  const shared = new Dense({ units: 2 });
  const out = layers.add().apply([shared.apply(a), shared.apply(b)]);
  const m = model({ inputs: [a, b], outputs: out });
  assert.equal(m.weights.length, 2);
  assert.equal(m.countParams(), 8);
  assert.equal(shared.inboundNodes.length, 2);
  const xa = randomInput([2, 3], 2);
  const xb = randomInput([2, 3], 3);
  const y = m.predict([xa, xb]);
  const expected = ops.add(shared.apply(xa), shared.apply(xb));
  assert.deepEqual(Array.from(y.values), Array.from(expected.values));
  const text = m.summaryText(108);
  assert.ok(text.includes(`${shared.name}[0][0],`) && text.includes(`${shared.name}[1][0]`), text);
});

test('graph errors: disconnected input, non-input as model input, duplicate names, wrong input shape', () => {
  const a = input({ shape: [3] });
  const b = input({ shape: [3] });
  const out = layers.concatenate().apply([layers.dense({ units: 2 }).apply(a), b]);
  assert.throws(
    () => model({ inputs: a, outputs: out }),
    /Graph disconnected: cannot obtain value for tensor .*input_layer/,
  );
  const h = layers.dense({ units: 2 }).apply(a);
  assert.throws(() => model({ inputs: h, outputs: out }), /must come from input\(\)/);
  const dup = layers
    .dense({ units: 2, name: 'same' })
    .apply(layers.dense({ units: 2, name: 'same' }).apply(a));
  assert.throws(
    () => model({ inputs: a, outputs: dup }),
    /The name "same" is used 2 times in the model/,
  );
  const m = model({ inputs: a, outputs: h });
  assert.throws(
    () => m.predict(randomInput([2, 4], 1)),
    /Input 0 \("input_layer.*"\) of the model expects shape \(None, 3\), got \[2, 4\]/,
  );
  assert.throws(() => new Model({ inputs: a }), /needs both inputs and outputs/);
});

test('multi-output models: applyMulti and predictMulti', () => {
  const x = input({ shape: [4] });
  const h = layers.dense({ units: 3 }).apply(x);
  const m = model({ inputs: x, outputs: [h, layers.dense({ units: 2 }).apply(h)] });
  const data = randomInput([5, 4], 4);
  const [y1, y2] = m.predictMulti(data, { batchSize: 2 });
  assert.deepEqual(y1!.shape, [5, 3]);
  assert.deepEqual(y2!.shape, [5, 2]);
  assert.throws(
    () => m.forward(data, false),
    /has 2 outputs; fit and evaluate support single-output models/,
  );
  const [z1] = noGrad(() => m.applyMulti(data));
  assert.deepEqual(Array.from(z1!.values), Array.from(y1!.values));
});

test('toJSON / modelFromJSON rebuilds the topology; with the weights it predicts identically', () => {
  resetLayerNames();
  const a = input({ shape: [4], name: 'pixels' });
  const b = input({ shape: [2] });
  const shared = layers.dense({ units: 3, activation: 'tanh' });
  const h = layers.concatenate().apply([shared.apply(a), b]);
  const h2 = layers.batchNormalization().apply(layers.dropout({ rate: 0.2 }).apply(h));
  const out = layers.dense({ units: 2, activation: 'softmax' }).apply(layers.add().apply([h2, h2]));
  const m = model({ inputs: [a, b], outputs: out, name: 'two_in' });
  const json = JSON.stringify(m);
  const copy = modelFromJSON(json);
  assert.equal(copy.name, 'two_in');
  assert.deepEqual(
    copy.layers.map((l) => l.name),
    m.layers.map((l) => l.name),
  );
  assert.deepEqual(JSON.parse(JSON.stringify(copy)), JSON.parse(json));
  copy.setWeights(m.getWeights());
  const xs = [randomInput([3, 4], 5), randomInput([3, 2], 6)];
  assert.deepEqual(Array.from(copy.predict(xs).values), Array.from(m.predict(xs).values));
});

test('a model used as a layer inside another model', () => {
  const inner = sequential({
    layers: [layers.dense({ units: 3, inputShape: [4], activation: 'relu' })],
  });
  const x = input({ shape: [4] });
  const outer = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(inner.apply(x)) });
  assert.equal(outer.countParams(), 15 + 4);
  assert.deepEqual(outer.predict(randomInput([2, 4], 1)).shape, [2, 1]);
  const copy = modelFromJSON(JSON.stringify(outer));
  copy.setWeights(outer.getWeights());
  const data = randomInput([3, 4], 9);
  assert.deepEqual(Array.from(copy.predict(data).values), Array.from(outer.predict(data).values));
});

test('getLayer, getWeights order and setWeights validation', () => {
  resetLayerNames();
  const x = input({ shape: [2] });
  const m = model({
    inputs: x,
    outputs: layers.dense({ units: 1 }).apply(layers.batchNormalization().apply(x)),
  });
  assert.equal(m.getLayer('dense').className, 'Dense');
  assert.equal(m.getLayer(0).className, 'InputLayer');
  assert.throws(
    () => m.getLayer('nope'),
    /No such layer: nope. Existing layers are: \['input_layer', 'batch_normalization', 'dense'\]/,
  );
  assert.deepEqual(
    m.weights.map((w) => w.name),
    [
      'batch_normalization/gamma',
      'batch_normalization/beta',
      'batch_normalization/moving_mean',
      'batch_normalization/moving_variance',
      'dense/kernel',
      'dense/bias',
    ],
  );
  assert.deepEqual(
    m.trainableWeights().map((w) => w.name),
    ['batch_normalization/gamma', 'batch_normalization/beta', 'dense/kernel', 'dense/bias'],
  );
  const ws = m.getWeights();
  ws[4]![0] = 42;
  assert.notEqual(m.weights[4]!.values[0], 42, 'getWeights returns copies');
  m.setWeights(ws);
  assert.equal(m.weights[4]!.values[0], 42);
  assert.throws(() => m.setWeights(ws.slice(1)), /has 6 weights, but setWeights\(\) got 5 arrays/);
  assert.throws(
    () => m.setWeights([new Float32Array(1), ...ws.slice(1)]),
    /weight 'batch_normalization\/gamma' of shape \[2\] needs 2 values, got 1/,
  );
});

test('freezing a model freezes every layer', () => {
  const x = input({ shape: [2] });
  const m = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(x) });
  m.trainable = false;
  assert.equal(m.trainableWeights().length, 0);
  assert.equal(m.nonTrainableWeights().length, 2);
  assert.equal((m.layers[1] as Dense).kernel!.requiresGrad, false);
  m.trainable = true;
  assert.equal(m.trainableWeights().length, 2);
});

test('save() without the Node saver explains what to import', async () => {
  const x = input({ shape: [2] });
  const m = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(x) });
  const { registerModelSaver } = await import('./model-saver.js');
  registerModelSaver(null);
  await assert.rejects(
    async () => m.save('/tmp/nowhere'),
    /model\.save\(\) writes files, which needs Node/,
  );
});

export type { Tensor };
