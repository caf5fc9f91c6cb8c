// Seed notebook 001: Dense(512, relu) -> Dense(10, softmax), Adam, 5 epochs of batch 128.
// Run: npm run build && node dist/examples/seed-001-mlp.js
import { datasets, layers, sequential, setSeed, tensor, type Tensor } from '../node/index.js';

setSeed(42);
const { train, test } = await datasets.mnist.loadData();
const xTrain = tensor(train.images.data).reshape([60000, 784]).div(255);
const yTrain = datasets.toCategorical(train.labels.data, 10);
const xTest = tensor(test.images.data).reshape([10000, 784]).div(255);
const yTest = datasets.toCategorical(test.labels.data, 10);

const model = sequential([
  layers.dense(512, { activation: 'relu', inputShape: [784] }),
  layers.dense(10, { activation: 'softmax' }),
]);
model.summary();

model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
await model.fit(xTrain, yTrain, { epochs: 5, batchSize: 128 });

const [testLoss, testAcc] = model.evaluate(xTest, yTest, { batchSize: 128 }) as Tensor[];
console.log(
  `Test loss: ${testLoss!.item().toFixed(4)}  Test accuracy: ${(100 * testAcc!.item()).toFixed(2)}%`,
);
