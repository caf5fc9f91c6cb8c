// A subclassed model: layers made in the constructor, the forward pass written in call().
// Run: npm run build && node dist/examples/subclassed-model.js
import { Model, datasets, layers, setSeed, tensor, type Tensor } from '../node/index.js';

class ResidualMlp extends Model {
  private readonly inputProj = layers.dense({ units: 256, activation: 'relu' });
  private readonly hidden = layers.dense({ units: 256, activation: 'relu' });
  private readonly drop = layers.dropout({ rate: 0.2 });
  private readonly classifier = layers.dense({ units: 10, activation: 'softmax' });

  override call(x: Tensor, kwargs: { training?: boolean } = {}): Tensor {
    const h = this.inputProj.apply(x) as Tensor;
    // A residual connection: h + f(h).
    const r = h.add(this.hidden.apply(h) as Tensor);
    return this.classifier.apply(this.drop.apply(r, kwargs) as Tensor) as Tensor;
  }
}

setSeed(11);
const { train, test } = await datasets.mnist.loadData();
const xTrain = tensor(train.images.data).reshape([60000, 784]).div(255);
const yTrain = datasets.toCategorical(train.labels.data, 10);
const xTest = tensor(test.images.data).reshape([10000, 784]).div(255);
const yTest = datasets.toCategorical(test.labels.data, 10);

const net = new ResidualMlp({ name: 'residual_mlp' });
net.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
await net.fit(xTrain, yTrain, { epochs: 3, batchSize: 128 });
net.summary();
const [loss, acc] = net.evaluate(xTest, yTest) as Tensor[];
console.log(
  `Test loss: ${loss!.item().toFixed(4)}  Test accuracy: ${(100 * acc!.item()).toFixed(2)}%`,
);
