import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { InputLayer, input, layers, resetLayerNames } from '../layers/index.js';
import { Sequential, modelFromJSON, sequential } from './index.js';
import { randomInput } from './test-data.test.js';

test("the first layer's inputShape builds a Sequential at once, behind an InputLayer", () => {
  const m = sequential({
    layers: [layers.dense({ units: 4, inputShape: [3] }), layers.dense({ units: 2 })],
  });
  assert.ok(m.built);
  assert.equal(m.layers.length, 2, 'layers excludes the InputLayer (Keras)');
  assert.deepEqual(m.inputs[0]!.shape, [null, 3]);
  assert.deepEqual(m.outputs[0]!.shape, [null, 2]);
  assert.equal(m.countParams(), 16 + 10);
});

test('add(): input() first, then layers; a layer that does not fit is rejected and not added', () => {
  const m = new Sequential();
  m.add(input({ shape: [5] }));
  m.add(layers.dense({ units: 3 }));
  assert.deepEqual(m.outputs[0]!.shape, [null, 3]);
  assert.throws(
    () => m.add(layers.conv2d({ filters: 1, kernelSize: 1 })),
    /needs inputs \[batch, height, width, channels\]/,
  );
  assert.equal(m.layers.length, 1);
  m.add(layers.dense({ units: 1 }));
  assert.deepEqual(m.predict(randomInput([2, 5], 1)).shape, [2, 1]);
  assert.throws(() => m.add(new InputLayer({ shape: [2] })), /input layer can only come first/);
  const d = m.pop();
  assert.equal(d.className, 'Dense');
  assert.deepEqual(m.outputs[0]!.shape, [null, 3]);
});

test('a Sequential without an input shape builds on its first call', () => {
  const m = sequential({ layers: [layers.flatten(), layers.dense({ units: 2 })] });
  assert.equal(m.built, false);
  assert.equal(m.countParams(), 0);
  const y = m.predict(randomInput([3, 2, 2], 1));
  assert.deepEqual(y.shape, [3, 2]);
  assert.ok(m.built);
  assert.deepEqual(m.inputs[0]!.shape, [null, 2, 2]);
  assert.equal(m.countParams(), 10);
});

test('duplicate layer names are rejected', () => {
  const m = sequential({ layers: [layers.dense({ units: 2, name: 'a', inputShape: [2] })] });
  assert.throws(
    () => m.add(layers.dense({ units: 2, name: 'a' })),
    /should have unique names. Name "a"/,
  );
});

test('Sequential config round trip (InputLayer first), predicting identically with the same weights', () => {
  resetLayerNames();
  const m = sequential({
    name: 'cnn',
    layers: [
      layers.conv2d({
        filters: 2,
        kernelSize: 3,
        activation: 'relu',
        inputShape: [6, 6, 1],
        kernelRegularizer: 'l2',
      }),
      layers.maxPooling2d(),
      layers.batchNormalization(),
      layers.flatten(),
      layers.dropout({ rate: 0.5, seed: 3 }),
      layers.dense({ units: 3, activation: 'softmax', kernelInitializer: 'he_normal' }),
    ],
  });
  const json = m.toJSON();
  assert.equal(json.className, 'Sequential');
  const layerSpecs = json.config['layers'] as { className: string }[];
  assert.equal(layerSpecs[0]!.className, 'InputLayer');
  const copy = modelFromJSON(JSON.stringify(json));
  assert.ok(copy instanceof Sequential);
  assert.equal(copy.name, 'cnn');
  assert.deepEqual(JSON.parse(JSON.stringify(copy.toJSON())), JSON.parse(JSON.stringify(json)));
  copy.setWeights(m.getWeights());
  const x = randomInput([4, 6, 6, 1], 2);
  assert.deepEqual(Array.from(copy.predict(x).values), Array.from(m.predict(x).values));
  assert.equal(copy.regularizationLoss()!.item(), m.regularizationLoss()!.item());
});
