// The functional API: a two-branch MLP (a wide and a deep path, concatenated).
// Run: npm run build && node dist/examples/functional-api.js
import {
  datasets,
  input,
  layers,
  model as makeModel,
  normalize,
  setSeed,
  tensor,
} from '../node/index.js';

setSeed(7);
const { train, test } = await datasets.mnist.loadData();
const xTrain = tensor(normalize(train.images.data), [60000, 784]);
const yTrain = tensor(Int32Array.from(train.labels.data), [60000]);
const xTest = tensor(normalize(test.images.data), [10000, 784]);
const yTest = tensor(Int32Array.from(test.labels.data), [10000]);

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
const [loss, acc] = net.evaluate(xTest, yTest) as number[];
console.log(`Test loss: ${loss!.toFixed(4)}  Test accuracy: ${(100 * acc!).toFixed(2)}%`);
