// Seed notebook 003: 512-256-10 with Dropout(0.5), RMSprop, EarlyStopping(val_loss, patience 10)
// on a 10,000-image hold-out taken from the end of the training set.
// Run: npm run build && node dist/examples/seed-003-dropout-early-stopping.js
import {
  callbacks,
  datasets,
  layers,
  normalize,
  sequential,
  setSeed,
  tensor,
  toCategorical,
} from '../node/index.js';

setSeed(3);
const { train, test } = await datasets.mnist.loadData();
const x = normalize(train.images.data);
const y = toCategorical(train.labels.data, 10).data;
// The notebook's hold-out: the last 10,000 training images.
const nTrain = 50000;
const xTrain = tensor(x.subarray(0, nTrain * 784), [nTrain, 784]);
const yTrain = tensor(y.subarray(0, nTrain * 10), [nTrain, 10]);
const xVal = tensor(x.subarray(nTrain * 784), [10000, 784]);
const yVal = tensor(y.subarray(nTrain * 10), [10000, 10]);

const model = sequential({
  layers: [
    layers.dense({ units: 512, activation: 'relu', inputShape: [784] }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 256, activation: 'relu' }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
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

const xTest = tensor(normalize(test.images.data), [10000, 784]);
const yTest = tensor(toCategorical(test.labels.data, 10).data, [10000, 10]);
const [loss, acc] = model.evaluate(xTest, yTest) as number[];
console.log(`Test loss: ${loss!.toFixed(4)}  Test accuracy: ${(100 * acc!).toFixed(2)}%`);
