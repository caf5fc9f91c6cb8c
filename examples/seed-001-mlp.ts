// Seed notebook 001: Dense(512, relu) -> Dense(10, softmax), Adam, 5 epochs of batch 128.
// Run: npm run build && node dist/examples/seed-001-mlp.js
import {
  datasets,
  layers,
  normalize,
  sequential,
  setSeed,
  tensor,
  toCategorical,
} from '../node/index.js';

setSeed(42);
const { train, test } = await datasets.mnist.loadData();
const xTrain = tensor(normalize(train.images.data), [60000, 784]);
const yTrain = tensor(toCategorical(train.labels.data, 10).data, [60000, 10]);
const xTest = tensor(normalize(test.images.data), [10000, 784]);
const yTest = tensor(toCategorical(test.labels.data, 10).data, [10000, 10]);

const model = sequential();
model.add(layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
model.add(layers.dense({ units: 10, activation: 'softmax' }));
model.summary();

model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
await model.fit(xTrain, yTrain, { epochs: 5, batchSize: 128 });

const [testLoss, testAcc] = model.evaluate(xTest, yTest, { batchSize: 128 }) as number[];
console.log(`Test loss: ${testLoss!.toFixed(4)}  Test accuracy: ${(100 * testAcc!).toFixed(2)}%`);
