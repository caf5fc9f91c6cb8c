// The seed notebooks' CNN: Conv2D 32 -> MaxPool -> Conv2D 64 -> MaxPool -> Flatten -> Dense 64 -> Dense 10.
// Run: npm run build && node dist/examples/cnn.js
import {
  datasets,
  layers,
  normalize,
  sequential,
  setSeed,
  tensor,
  toCategorical,
} from '../node/index.js';

setSeed(5);
const { train, test } = await datasets.mnist.loadData();
const xTrain = tensor(normalize(train.images.data), [60000, 28, 28, 1]);
const yTrain = tensor(toCategorical(train.labels.data, 10).data, [60000, 10]);
const xTest = tensor(normalize(test.images.data), [10000, 28, 28, 1]);
const yTest = tensor(toCategorical(test.labels.data, 10).data, [10000, 10]);

const model = sequential();
model.add(
  layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }),
);
model.add(layers.maxPooling2d({ poolSize: [2, 2] }));
model.add(layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
model.add(layers.maxPooling2d({ poolSize: [2, 2] }));
model.add(layers.flatten());
model.add(layers.dense({ units: 64, activation: 'relu' }));
model.add(layers.dense({ units: 10, activation: 'softmax' }));
model.summary();

model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
await model.fit(xTrain, yTrain, { epochs: 5, batchSize: 64, validationData: [xTest, yTest] });
const [loss, acc] = model.evaluate(xTest, yTest) as number[];
console.log(`Test loss: ${loss!.toFixed(4)}  Test accuracy: ${(100 * acc!).toFixed(2)}%`);
