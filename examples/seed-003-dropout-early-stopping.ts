// Seed notebook 003: 512-256-10 with Dropout(0.5), RMSprop, EarlyStopping(val_loss, patience 10)
// on a 10,000-image hold-out taken from the end of the training set.
// Run: npm run build && node dist/examples/seed-003-dropout-early-stopping.js
import {
  callbacks,
  datasets,
  layers,
  sequential,
  setSeed,
  tensor,
  type Tensor,
} from '../node/index.js';

setSeed(3);
const { train, test } = await datasets.mnist.loadData();
const x = tensor(train.images.data).reshape([60000, 784]).div(255);
const y = datasets.toCategorical(train.labels.data, 10);
// The notebook's hold-out: the last 10,000 training images.
const xTrain = x.slice([0, 0], [50000, -1]);
const yTrain = y.slice([0, 0], [50000, -1]);
const xVal = x.slice([50000, 0]);
const yVal = y.slice([50000, 0]);

const model = sequential([
  layers.dense(512, { activation: 'relu', inputShape: [784] }),
  layers.dropout(0.5),
  layers.dense(256, { activation: 'relu' }),
  layers.dropout(0.5),
  layers.dense(10, { activation: 'softmax' }),
]);
model.summary();
model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });

const early = callbacks.earlyStopping({
  monitor: 'val_loss',
  patience: 10,
  restoreBestWeights: true,
});
const history = await model.fit(xTrain, yTrain, {
  epochs: 100,
  batchSize: 128,
  validationData: [xVal, yVal],
  callbacks: [early],
});
console.log(`Ran ${history.epoch.length} epochs; best val_loss at epoch ${early.bestEpoch + 1}.`);

const xTest = tensor(test.images.data).reshape([10000, 784]).div(255);
const yTest = datasets.toCategorical(test.labels.data, 10);
const [loss, acc] = model.evaluate(xTest, yTest) as Tensor[];
console.log(
  `Test loss: ${loss!.item().toFixed(4)}  Test accuracy: ${(100 * acc!.item()).toFixed(2)}%`,
);
