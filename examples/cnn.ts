// The seed notebooks' CNN: Conv2D 32 -> MaxPool -> Conv2D 64 -> MaxPool -> Flatten -> Dense 64 -> Dense 10.
// Run: npm run build && node dist/examples/cnn.js
import { datasets, layers, sequential, setSeed, tensor, type Tensor } from '../node/index.js';

setSeed(5);
const { train, test } = await datasets.mnist.loadData();
const xTrain = tensor(train.images.data).reshape([60000, 28, 28, 1]).div(255);
const yTrain = datasets.toCategorical(train.labels.data, 10);
const xTest = tensor(test.images.data).reshape([10000, 28, 28, 1]).div(255);
const yTest = datasets.toCategorical(test.labels.data, 10);

const model = sequential();
model.add(layers.conv2d(32, [3, 3], { activation: 'relu', inputShape: [28, 28, 1] }));
model.add(layers.maxPooling2d([2, 2]));
model.add(layers.conv2d(64, [3, 3], { activation: 'relu' }));
model.add(layers.maxPooling2d([2, 2]));
model.add(layers.flatten());
model.add(layers.dense(64, { activation: 'relu' }));
model.add(layers.dense(10, { activation: 'softmax' }));
model.summary();

model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
await model.fit(xTrain, yTrain, { epochs: 5, batchSize: 64, validationData: [xTest, yTest] });
const [loss, acc] = model.evaluate(xTest, yTest) as Tensor[];
console.log(
  `Test loss: ${loss!.item().toFixed(4)}  Test accuracy: ${(100 * acc!.item()).toFixed(2)}%`,
);
