// The functional API: a two-branch MLP (a wide and a deep path, concatenated).
// Run: npm run build && node dist/examples/functional-api.js
import {
  datasets,
  input,
  layers,
  model as makeModel,
  setSeed,
  tensor,
  type Tensor,
} from '../node/index.js';

setSeed(7);
const { train, test } = await datasets.mnist.loadData();
const xTrain = tensor(train.images.data).reshape([60000, 784]).div(255);
const yTrain = tensor(train.labels.data); // class indices, for the sparse loss
const xTest = tensor(test.images.data).reshape([10000, 784]).div(255);
const yTest = tensor(test.labels.data);

const pixels = input({ shape: [784], name: 'pixels' });
const wide = layers.dense({ units: 256, activation: 'relu', name: 'wide' }).apply(pixels);
const deep1 = layers.dense({ units: 256, activation: 'relu', name: 'deep_1' }).apply(pixels);
const deep2 = layers.dense({ units: 128, activation: 'relu', name: 'deep_2' }).apply(deep1);
const merged = layers.concatenate({ name: 'merge' }).apply([wide, deep2]);
const probs = layers.dense({ units: 10, activation: 'softmax', name: 'probs' }).apply(merged);

const net = makeModel({ inputs: pixels, outputs: probs, name: 'wide_and_deep' });
net.summary();
net.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
await net.fit(xTrain, yTrain, { epochs: 3, batchSize: 128, validationSplit: 0.1 });
const [loss, acc] = net.evaluate(xTest, yTest) as Tensor[];
console.log(
  `Test loss: ${loss!.item().toFixed(4)}  Test accuracy: ${(100 * acc!.item()).toFixed(2)}%`,
);
