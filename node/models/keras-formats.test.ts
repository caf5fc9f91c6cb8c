// Models as others write them: the tensorflowjs converter's tfjs_layers_model (Keras 2 JSON
// under model_config, InputLayer first, BatchNormalization axis as a list, training_config) and
// Keras 3's functional inbound_nodes; weights matched by name whatever their order.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import '../../src/kernels/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { loadModel } from './index.js';

const root = await mkdtemp(join(tmpdir(), 'mnist-lab-keras-'));
after(() => rm(root, { recursive: true, force: true }));

const W = [1, -2, 0.5, 3, -1, 2]; // dense/kernel [3, 2]
const B = [0.25, -0.5];
const GAMMA = [2, 0.5];
const BETA = [0.1, -0.1];
const MEAN = [1, -1];
const VAR = [4, 0.25];

function expected(x: number[]): number[] {
  const d = [0, 1].map((j) => x[0]! * W[j]! + x[1]! * W[2 + j]! + x[2]! * W[4 + j]! + B[j]!);
  return d.map((v, j) =>
    Math.max(0, ((v - MEAN[j]!) / Math.sqrt(VAR[j]! + 0.001)) * GAMMA[j]! + BETA[j]!),
  );
}

async function writeFolder(
  name: string,
  json: object,
  weights: [string, number[], number[]][],
): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  const values = weights.flatMap(([, , v]) => v);
  // Two shards, split mid-weight, as the converter may.
  const bytes = new Uint8Array(Float32Array.from(values).buffer);
  await writeFile(join(dir, 'group1-shard1of2.bin'), bytes.subarray(0, 10));
  await writeFile(join(dir, 'group1-shard2of2.bin'), bytes.subarray(10));
  const manifest = [
    {
      paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
      weights: weights.map(([n, shape]) => ({ name: n, shape, dtype: 'float32' })),
    },
  ];
  await writeFile(join(dir, 'model.json'), JSON.stringify({ ...json, weightsManifest: manifest }));
  return dir;
}

// BatchNormalization's moving statistics first: order must not matter, names do.
const WEIGHTS: [string, number[], number[]][] = [
  ['batch_normalization/moving_mean', [2], MEAN],
  ['batch_normalization/moving_variance', [2], VAR],
  ['dense/kernel', [3, 2], W],
  ['dense/bias', [2], B],
  ['batch_normalization/gamma', [2], GAMMA],
  ['batch_normalization/beta', [2], BETA],
];

const dense = {
  name: 'dense',
  trainable: true,
  dtype: 'float32',
  units: 2,
  activation: 'linear',
  use_bias: true,
  kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
  bias_initializer: { class_name: 'Zeros', config: {} },
  kernel_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
};
const bn = {
  name: 'batch_normalization',
  trainable: true,
  dtype: 'float32',
  axis: [1],
  momentum: 0.99,
  epsilon: 0.001,
  center: true,
  scale: true,
  beta_initializer: { class_name: 'Zeros', config: {} },
  gamma_initializer: { class_name: 'Ones', config: {} },
  moving_mean_initializer: { class_name: 'Zeros', config: {} },
  moving_variance_initializer: { class_name: 'Ones', config: {} },
  beta_regularizer: null,
  gamma_regularizer: null,
  beta_constraint: null,
  gamma_constraint: null,
};
const relu = { name: 'activation', trainable: true, dtype: 'float32', activation: 'relu' };

test("the tensorflowjs converter's Keras 2 Sequential (model_config, training_config)", async () => {
  const dir = await writeFolder(
    'converter',
    {
      format: 'layers-model',
      generatedBy: 'keras v2.15.0',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: {
        keras_version: '2.15.0',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'sequential',
            layers: [
              {
                class_name: 'InputLayer',
                config: {
                  batch_input_shape: [null, 3],
                  dtype: 'float32',
                  sparse: false,
                  ragged: false,
                  name: 'dense_input',
                },
              },
              { class_name: 'Dense', config: dense },
              { class_name: 'BatchNormalization', config: bn },
              { class_name: 'Activation', config: relu },
            ],
          },
        },
        training_config: {
          loss: 'categorical_crossentropy',
          metrics: ['accuracy'],
          weighted_metrics: null,
          loss_weights: null,
          optimizer_config: {
            class_name: 'Adam',
            config: {
              name: 'Adam',
              learning_rate: 0.001,
              decay: 0.0,
              beta_1: 0.9,
              beta_2: 0.999,
              epsilon: 1e-7,
              amsgrad: false,
            },
          },
        },
      },
    },
    WEIGHTS,
  );
  const m = await loadModel(join(dir, 'model.json'));
  const x = [0.5, -1, 2];
  const y = m.predict(new Tensor(Float32Array.from(x), [1, 3])).values;
  expected(x).forEach((v, j) => assert.ok(Math.abs(y[j]! - v) < 1e-5, `${y[j]} vs ${v}`));
  assert.ok(m.compiled);
  assert.equal(m.optimizer.className, 'Adam');
});

test("Keras 3's functional inbound_nodes and dtype policies", async () => {
  const policy = {
    module: 'keras',
    class_name: 'DTypePolicy',
    config: { name: 'float32' },
    registered_name: null,
  };
  const tensor = (layer: string) => ({
    class_name: '__keras_tensor__',
    config: { shape: [null, 2], dtype: 'float32', keras_history: [layer, 0, 0] },
  });
  const dir = await writeFolder(
    'keras3',
    {
      format: 'layers-model',
      modelTopology: {
        class_name: 'Functional',
        config: {
          name: 'functional',
          trainable: true,
          layers: [
            {
              class_name: 'InputLayer',
              name: 'x',
              config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'x' },
              inbound_nodes: [],
            },
            {
              class_name: 'Dense',
              name: 'dense',
              config: { ...dense, dtype: policy },
              inbound_nodes: [
                {
                  args: [{ ...tensor('x'), config: { ...tensor('x').config, shape: [null, 3] } }],
                  kwargs: {},
                },
              ],
            },
            {
              class_name: 'BatchNormalization',
              name: 'batch_normalization',
              config: { ...bn, axis: -1, synchronized: false, dtype: policy },
              inbound_nodes: [{ args: [tensor('dense')], kwargs: { training: false } }],
            },
            {
              class_name: 'Activation',
              name: 'activation',
              config: { ...relu, dtype: policy },
              inbound_nodes: [{ args: [tensor('batch_normalization')], kwargs: {} }],
            },
          ],
          input_layers: [['x', 0, 0]],
          output_layers: [['activation', 0, 0]],
        },
      },
    },
    WEIGHTS,
  );
  const m = await loadModel(dir);
  const x = [-0.5, 1, 0.25];
  const y = m.predict(new Tensor(Float32Array.from(x), [1, 3])).values;
  expected(x).forEach((v, j) => assert.ok(Math.abs(y[j]! - v) < 1e-5, `${y[j]} vs ${v}`));
  assert.equal(m.compiled, false);
});
