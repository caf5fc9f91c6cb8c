// Keras and TF.js habits: each works as it does there, or fails with a message saying what to
// write instead. Uses only the public API.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '../node/index.js';

const { layers } = tf;

/** Captures what `fn` writes to stdout (the progress bar writes there). */
async function stdoutOf(fn: () => unknown): Promise<string> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
  return out;
}

describe('tensor constructors', () => {
  it('take nested arrays and infer the shape', () => {
    const t = tf.tensor([
      [1, 2, 3],
      [4, 9, 6],
    ]);
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.arraySync(), [
      [1, 2, 3],
      [4, 9, 6],
    ]);
    assert.deepEqual(tf.tensor([[[1], [2]]]).shape, [1, 2, 1]);
    assert.deepEqual(tf.tensor(5).shape, []);
  });

  it('reject ragged arrays and non-numbers', () => {
    assert.throws(
      () => tf.tensor([[1, 2], [3]]),
      /ragged nested array: element \[1\] has 1 entries where 2/,
    );
    assert.throws(() => tf.tensor([[1, 2], 3] as never), /ragged/);
    assert.throws(
      () => tf.tensor([['a']] as never),
      /element \[0\]\[0\] is "a", expected a number/,
    );
  });

  it('take any typed array; integer ones become int32', () => {
    const labels = new Uint8Array([3, 1, 4]);
    const t = tf.tensor(labels);
    assert.equal(t.dtype, 'int32');
    assert.ok(t.values instanceof Int32Array);
    assert.deepEqual(Array.from(t.dataSync()), [3, 1, 4]);
    assert.equal(tf.tensor(new Uint16Array([1])).dtype, 'int32');
    assert.equal(tf.tensor(new Float32Array([1])).dtype, 'float32');
    assert.equal(tf.tensor(new Uint8Array([1, 2]), [2], 'float32').dtype, 'float32');
  });

  it('tensor1d..4d check the rank', () => {
    assert.deepEqual(tf.tensor2d([[1, 2]]).shape, [1, 2]);
    assert.deepEqual(tf.tensor2d([1, 2, 3, 4], [2, 2]).shape, [2, 2]);
    assert.deepEqual(tf.tensor4d(new Float32Array(8), [2, 2, 2, 1]).shape, [2, 2, 2, 1]);
    assert.deepEqual(tf.tensor1d([1, 2]).shape, [2]);
    assert.throws(() => tf.tensor2d([1, 2, 3, 4]), /flat values need a shape/);
    assert.throws(() => tf.tensor3d([[1, 2]]), /of rank 2, not 3/);
  });
});

describe('tensor methods', () => {
  const t = tf.tensor([
    [1, 5, 3],
    [4, 2, 6],
  ]);

  it('reshape, add, sub, mul, div, argMax, slice chain like TF.js', () => {
    assert.deepEqual(t.reshape([3, 2]).shape, [3, 2]);
    assert.deepEqual(t.reshape([-1]).shape, [6]);
    assert.deepEqual(
      Array.from(t.add(1).mul(2).sub(t).div(2).dataSync()),
      [1.5, 3.5, 2.5, 3, 2, 4],
    );
    assert.deepEqual(Array.from(t.add(t).dataSync()), [2, 10, 6, 8, 4, 12]);
    assert.deepEqual(Array.from(t.argMax(1).dataSync()), [1, 2]);
    assert.deepEqual(Array.from(t.argMax(0).dataSync()), [1, 0, 1]);
    assert.deepEqual(t.slice([0, 1], [2, 2]).arraySync(), [
      [5, 3],
      [2, 6],
    ]);
    assert.deepEqual(t.slice([1, 0]).arraySync(), [[4, 2, 6]]);
    assert.deepEqual(t.slice(1, 1).arraySync(), [[4, 2, 6]]);
    assert.throws(() => t.slice([0, 2], [1, 2]), /outside shape \[2, 3\]/);
  });

  it('integer tensors compute in float32: pixels.div(255)', () => {
    const pixels = tf.tensor(new Uint8Array([0, 51, 255]));
    const x = pixels.div(255);
    assert.equal(x.dtype, 'float32');
    assert.deepEqual(
      Array.from(x.dataSync(), (v) => Number(v.toFixed(3))),
      [0, 0.2, 1],
    );
    assert.deepEqual(
      Array.from(
        tf
          .tensor(new Uint8Array([0, 3, 1]))
          .argMax()
          .dataSync(),
      ),
      [1],
    );
  });

  it('dataSync copies; data and array resolve; print logs the values', async () => {
    const copy = t.dataSync();
    copy[0] = 100;
    assert.equal(t.dataSync()[0], 1);
    assert.deepEqual(await t.array(), t.arraySync());
    const data = await t.data();
    assert.deepEqual(Array.from(data), [1, 5, 3, 4, 2, 6]);
    data[0] = 100;
    assert.equal(t.values[0], 1, 'data() resolves to a copy');
    const logged: string[] = [];
    const log = console.log;
    console.log = (s: string) => logged.push(s);
    try {
      t.print();
    } finally {
      console.log = log;
    }
    assert.equal(logged[0], 'Tensor\n    [[1, 5, 3],\n     [4, 2, 6]]');
  });

  it('dispose and tidy are cheap no-ops that keep TF.js code running', () => {
    const y = tf.tidy(() => t.add(1));
    assert.deepEqual(Array.from(y.dataSync()), [2, 6, 4, 5, 3, 7]);
    assert.equal(
      tf.tidy('named', () => 3),
      3,
    );
    y.dispose();
    tf.dispose([y, { t }]);
    assert.equal(y.size, 6);
  });
});

describe('labels', () => {
  it('toCategorical and oneHot return tensors', () => {
    const y = tf.datasets.toCategorical(new Uint8Array([2, 0]), 3);
    assert.ok(y instanceof tf.Tensor);
    assert.deepEqual(y.arraySync(), [
      [0, 0, 1],
      [1, 0, 0],
    ]);
    assert.equal(y.dtype, 'float32');
    const h = tf.oneHot(tf.tensor1d([1, 0], 'int32'), 2);
    assert.equal(h.dtype, 'int32', "TF.js's default");
    assert.deepEqual(h.arraySync(), [
      [0, 1],
      [1, 0],
    ]);
    assert.throws(() => tf.oneHot([3], 3), /label 3 at index 0 is outside 0..2/);
  });

  it('integer labels from loadData train, validate and evaluate with the sparse loss', async () => {
    tf.setSeed(1);
    const { train } = await tf.datasets.mnist.loadData();
    const n = 600;
    const x = tf
      .tensor(train.images.data.subarray(0, n * 784))
      .reshape([n, 784])
      .div(255);
    const y = tf.tensor(train.labels.data.subarray(0, n));
    assert.equal(y.dtype, 'int32');
    const model = tf.sequential([
      layers.dense(32, { activation: 'relu', inputShape: [784] }),
      layers.dense(10, { activation: 'softmax' }),
    ]);
    model.compile({
      optimizer: 'adam',
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const history = await model.fit(x, y, {
      epochs: 2,
      batchSize: 64,
      validationSplit: 0.2,
      verbose: 0,
    });
    assert.equal(history.history['val_loss']!.length, 2);
    const [loss, acc] = model.evaluate(x, y, { verbose: 0 }) as tf.Tensor[];
    assert.ok(
      loss!.item() < 2.3 && acc!.item() > 0.5,
      `loss ${loss!.item()}, accuracy ${acc!.item()}`,
    );
  });
});

describe('models', () => {
  it('sequential([...]) (Keras) and sequential({ layers }) (TF.js) both build the stack', () => {
    const a = tf.sequential([layers.dense(4, { inputShape: [3] }), layers.dense(2)]);
    const b = tf.sequential({
      layers: [layers.dense({ units: 4, inputShape: [3] }), layers.dense({ units: 2 })],
    });
    assert.equal(a.layers.length, 2);
    assert.equal(b.layers.length, 2);
    assert.deepEqual(a.predict(tf.zeros([1, 3])).shape, [1, 2]);
    assert.throws(
      () => tf.sequential({ layer: [] } as never),
      /unknown option 'layer'; did you mean 'layers'\?/,
    );
    assert.throws(() => a.add(layers.dense as never), /takes a layer.*call it to make the layer/);
  });

  it('unknown option keys are errors naming the right key, in fit, compile, layers and callbacks', async () => {
    const m = tf.sequential([layers.dense(2, { inputShape: [3] })]);
    assert.throws(
      () => m.compile({ optimizer: 'sgd', loss: 'mse', metric: ['accuracy'] } as never),
      /compile\(\): unknown option 'metric'; did you mean 'metrics'\?/,
    );
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.zeros([8, 3]);
    const y = tf.zeros([8, 2]);
    await assert.rejects(
      async () => m.fit(x, y, { batchsize: 16 } as never),
      /fit\(\): unknown option 'batchsize'; did you mean 'batchSize'\?/,
    );
    await assert.rejects(async () => m.fit(x, y, { epoch: 2 } as never), /did you mean 'epochs'\?/);
    assert.throws(
      () => m.evaluate(x, y, { batch: 2 } as never),
      /evaluate\(\): unknown option 'batch'; did you mean 'batchSize'\?/,
    );
    assert.throws(
      () => layers.dense({ units: 2, activaton: 'relu' } as never),
      /dense\(\): unknown option 'activaton'; did you mean 'activation'\?/,
    );
    assert.throws(
      () => tf.callbacks.earlyStopping({ patince: 2 } as never),
      /EarlyStopping: unknown option 'patince'; did you mean 'patience'\?/,
    );
    await assert.rejects(
      async () => m.fit(x, y, { callbacks: { onEpochEnds: () => {} } } as never),
      /did you mean 'onEpochEnd'\?/,
    );
    assert.throws(
      () => tf.train.adam({ learningrate: 0.1 } as never),
      /did you mean 'learningRate'\?/,
    );
    await assert.rejects(async () => m.fit([[1, 2, 3]] as never, y), /x must be a Tensor/);
  });

  it("Keras's snake_case keys are read as camelCase; a disagreeing pair is an error everywhere", async () => {
    const m = tf.sequential([layers.dense(2, { inputShape: [3] })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.zeros([8, 3]);
    const y = tf.zeros([8, 2]);
    const steps: number[] = [];
    await m.fit(x, y, { batch_size: 2, verbose: 0, callbacks: { onEpochEnd: () => {} } } as never);
    await m.fit(x, y, {
      batch_size: 4,
      verbose: 0,
      callbacks: [{ onBatchEnd: (b: number) => void steps.push(b) }],
    } as never);
    assert.deepEqual(steps, [0, 1], 'batch_size 4 of 8 samples: two steps');
    const disagree = /'batchSize' \(4\) and 'batch_size' \(16\) disagree/;
    await assert.rejects(
      async () => m.fit(x, y, { batchSize: 4, batch_size: 16 } as never),
      disagree,
    );
    assert.throws(
      () => layers.dense({ units: 2, use_bias: false, useBias: true } as never),
      /'use_bias' \(false\) and 'useBias' \(true\) disagree/,
    );
    assert.throws(
      () => tf.callbacks.earlyStopping({ minDelta: 0.1, min_delta: 0.2 } as never),
      /disagree/,
    );
    assert.throws(
      () => tf.optimizers.adam({ learningRate: 0.1, learning_rate: 0.2 } as never),
      /disagree/,
    );
    assert.throws(
      () =>
        tf.losses.get('categorical_crossentropy', {
          fromLogits: true,
          from_logits: false,
        } as never),
      /disagree/,
    );
    assert.equal(layers.dense({ units: 2, use_bias: false } as never).useBias, false);
  });

  it("Keras's positional first arguments work: dense(512), dropout(0.5), conv2d(32, [3, 3])", () => {
    assert.equal(layers.dense(512).units, 512);
    assert.equal(layers.dense(8, { activation: 'relu' }).activation, 'relu');
    assert.equal(layers.dropout(0.5).rate, 0.5);
    const c = layers.conv2d(32, [3, 3], { activation: 'relu' });
    assert.deepEqual([c.filters, ...c.kernelSize], [32, 3, 3]);
    assert.deepEqual(layers.maxPooling2d([2, 2]).poolSize, [2, 2]);
    assert.deepEqual(layers.reshape([7, 7, 1]).targetShape, [7, 7, 1]);
    assert.throws(
      () => layers.dense(8, { units: 4 } as never),
      /'units' was given both positionally and in the options/,
    );
    assert.throws(
      () => (layers.dense as (...a: unknown[]) => unknown)(8, 'relu'),
      /dense\(\) takes units, then an options object/,
    );
  });

  it('evaluate shows a progress bar with verbose 1 and returns scalar tensors, as TF.js does', async () => {
    const m = tf.sequential([layers.dense(2, { inputShape: [3], activation: 'softmax' })]);
    m.compile({
      optimizer: tf.train.adam(0.01),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const x = tf.zeros([40, 3]);
    const y = tf.oneHot(new Array<number>(40).fill(1), 2);
    let result: tf.Tensor | tf.Tensor[] = [];
    const out = await stdoutOf(() => (result = m.evaluate(x, y, { batchSize: 10 })));
    assert.match(out, /4\/4 .*- accuracy: 0\.0000e\+00 - loss: 0\.6931/);
    assert.ok(Array.isArray(result) && result[1]!.rank === 0 && result[1]!.dataSync()[0] === 0);
    assert.equal(await stdoutOf(() => m.evaluate(x, y, { verbose: 0 })), '');
  });
});

describe('TF.js spellings', () => {
  it('tf.train.* make optimizers; getBackend() names the backend', async () => {
    assert.equal(tf.train.adam(0.01).learningRate, 0.01);
    assert.equal(tf.train.sgd(0.1).className, 'SGD');
    // Every registered optimizer has its factory under both namespaces.
    const factories = (ns: object, name: string) =>
      (ns as Record<string, (lr: number) => { className: string }>)[name.toLowerCase()];
    for (const name of tf.optimizers.names) {
      assert.equal(factories(tf.optimizers, name)?.(0.01).className, name);
      assert.equal(factories(tf.train, name)?.(0.01).className, name);
    }
    assert.ok(tf.optimizers.names.includes('Lion'));
    assert.ok(['native', 'wasm', 'js'].includes(tf.getBackend()));
    const before = tf.getBackend();
    assert.equal(await tf.setBackend('js'), true);
    assert.equal(tf.getBackend(), 'js');
    await tf.setBackend(before);
    assert.throws(() => tf.setBackend('webgl'), /Unknown backend 'webgl'/);
    await tf.ready();
  });

  it('every registry follows one name rule', () => {
    assert.equal(tf.optimizers.get('ADAM').className, 'Adam');
    assert.equal(tf.activations.get('Relu'), tf.activations.get('relu'));
    assert.equal(tf.activations.get('leakyRelu'), tf.activations.get('leaky_relu'));
    assert.equal(
      tf.losses.get('CategoricalCrossentropy').name,
      tf.losses.get('categorical_crossentropy').name,
    );
    assert.equal(tf.initializers.get('glorot_uniform').className, 'GlorotUniform');
    assert.equal(tf.regularizers.get('L1_L2').className, 'L1L2');
    assert.equal(tf.metrics.get('Sparse_Categorical_Accuracy').name, 'Sparse_Categorical_Accuracy');
  });
});
