/**
 * One training epoch of the seed models on the 60,000 MNIST training images, in seconds per
 * epoch (lower is better): the 784-512-10 MLP at batch 128 and the small CNN at batch 64, both
 * with Adam (Keras defaults: lr 1e-3, betas 0.9 / 0.999, epsilon 1e-7) and categorical
 * cross-entropy on softmax outputs, inputs x / 255, one-hot labels, reshuffled every epoch.
 *
 * Ours trains through the public API as a user would: sequential + layers, compile, model.fit
 * (verbose 0). TF.js: tfjs-layers is not installed, so the same network is written with
 * tfjs-core ops with an explicit backward pass (see tfjsNet: tfjs-core alone registers no
 * gradients) and trained with tf.train.adam; softmax cross-entropy is taken from the logits, as
 * Keras and our loss do. PyTorch: bench/torch_train.py. The harness (measureEpochs) decides
 * between whole epochs and a projection from a run of steps.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as MnistLab from '../../node/index.js';
import type { Backend } from '../../src/kernels/backend.js';
import { findBackend } from '../../src/kernels/registry.js';
import type { Tf } from '../engines.js';
import type { EpochTiming } from '../timing.js';
import { SkipError, type EpochRunner, type PreparedEpochs, type Workload } from '../workload.js';

export type Lib = typeof MnistLab;
export type Arch = 'mlp' | 'cnn';

export interface EpochSpec {
  id: string;
  title: string;
  arch: Arch;
  batchSize: number;
}

export const EPOCH_SPECS: readonly EpochSpec[] = [
  {
    id: 'mlp-epoch',
    title:
      'one epoch of the seed MLP, Dense(512, relu) -> Dense(10, softmax) on 784 inputs, Adam, ' +
      'batch 128, 60000 MNIST images',
    arch: 'mlp',
    batchSize: 128,
  },
  {
    id: 'cnn-epoch',
    title:
      'one epoch of the seed CNN, Conv2D(32, 3x3, relu) -> MaxPool 2 -> Conv2D(64, 3x3, relu) -> ' +
      'MaxPool 2 -> Flatten -> Dense(64, relu) -> Dense(10, softmax), Adam, batch 64, 60000 MNIST images',
    arch: 'cnn',
    batchSize: 64,
  },
];

/** Mean loss over the last whole epoch that a working run stays under (they reach ~0.05-0.3). */
const MAX_EPOCH_LOSS = 0.5;
/** A projected run must end with a mean batch loss under this fraction of its first batch's. */
const MAX_PROJECTED_LOSS_RATIO = 0.95;

const CHECK_RULE =
  `mean batch loss over the last epoch < ${MAX_EPOCH_LOSS}, or for a projection over the last ` +
  `trial < ${MAX_PROJECTED_LOSS_RATIO} x the first batch's (~2.3)`;

/** MNIST's training images: what one epoch goes through. */
const SAMPLES = 60_000;

/**
 * The multiply-adds of each Dense and Conv2D layer's forward pass for one sample, in layer order,
 * with whether training needs that layer's input gradient (every layer but the first: nothing
 * needs the images' gradient). The one declaration both FLOP counts below are derived from.
 */
function layerMacs(arch: Arch): [number, boolean][] {
  return arch === 'mlp'
    ? [
        [784 * 512, false], // Dense(512) on 784 inputs
        [512 * 10, true], // Dense(10)
      ]
    : [
        [26 * 26 * 32 * 3 * 3 * 1, false], // Conv2D(32, 3x3): 26x26 outputs of 9 taps x 1 channel
        [11 * 11 * 64 * 3 * 3 * 32, true], // Conv2D(64, 3x3) on the pooled 13x13x32
        [5 * 5 * 64 * 64, true], // Dense(64) on the flattened 5x5x64
        [64 * 10, true], // Dense(10)
      ];
}

/**
 * Useful FLOP of one training sample: 2 per multiply-add of every Dense and Conv2D layer, forward
 * and backward (the weight gradient always, the input gradient where layerMacs says). Bias,
 * activations, pooling, the loss and Adam are not counted (O(activations) and O(parameters),
 * under 1% of it). bench/README.md has the sums.
 */
export function flopsPerSample(arch: Arch): number {
  return layerMacs(arch).reduce(
    (sum, [macs, inputGrad]) => sum + 2 * macs * (inputGrad ? 3 : 2),
    0,
  );
}

/** Useful FLOP of one sample's forward pass (inference): the F column of bench/README.md. */
export function forwardFlopsPerSample(arch: Arch): number {
  return layerMacs(arch).reduce((sum, [macs]) => sum + 2 * macs, 0);
}

export function epochWorkloads(): Workload[] {
  return EPOCH_SPECS.map(epochWorkload);
}

function epochWorkload(spec: EpochSpec): Workload {
  const { arch, batchSize } = spec;
  return {
    id: spec.id,
    title: spec.title,
    unit: 's/epoch',
    lowerIsBetter: true,
    flops: SAMPLES * flopsPerSample(arch),
    value: (ms) => ms / 1000,
    epochs: { check: checkTraining, rule: CHECK_RULE },

    async ours(backend): Promise<PreparedEpochs> {
      const ml = await useBackend(backend);
      const { x, y, n } = await trainingSet();
      ml.setSeed(1);
      const model = ourModel(ml, arch);
      model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
      const xs = ml.tensor(x, arch === 'mlp' ? [n, 784] : [n, 28, 28, 1]);
      const ys = ml.tensor(y, [n, 10]);
      const runner: EpochRunner = {
        samples: n,
        batchSize,
        async epoch(onStep) {
          let prevSum = 0;
          await model.fit(xs, ys, {
            epochs: 1,
            batchSize,
            verbose: 0,
            callbacks: {
              onBatchEnd: (b, logs) => {
                // logs.loss is the running mean over the epoch so far: recover this batch's mean.
                const seen = Math.min(n, (b + 1) * batchSize);
                const sum = (logs?.['loss'] ?? NaN) * seen;
                const batchLoss = (sum - prevSum) / (seen - b * batchSize);
                prevSum = sum;
                if (!onStep(b, batchLoss)) model.stopTraining = true;
              },
            },
          });
        },
      };
      return { runner };
    },

    async tfjs(tf): Promise<PreparedEpochs> {
      const { x, y, n } = await trainingSet();
      const net = tfjsNet(tf, arch);
      const xs = arch === 'mlp' ? tf.tensor2d(x, [n, 784]) : tf.tensor4d(x, [n, 28, 28, 1]);
      const ys = tf.tensor2d(y, [n, 10]);
      const dispose = (): void => tf.dispose([xs, ys, ...net.variables]);
      try {
        probeGradients(tf, net, xs, ys, arch);
      } catch (e) {
        dispose();
        throw e;
      }
      // Keras's Adam defaults; applyGradients is the update half of optimizer.minimize.
      const optimizer = tf.train.adam(0.001, 0.9, 0.999, 1e-7);
      const order = new Int32Array(n).map((_, i) => i);
      const runner: EpochRunner = {
        samples: n,
        batchSize,
        // Async like fit, though every call inside is synchronous on wasm and cpu.
        async epoch(onStep) {
          tf.util.shuffle(order);
          for (let b = 0, start = 0; start < n; b++, start += batchSize) {
            // Batches gathered from the dataset tensors, as tfjs-layers' fit slices them.
            const idx = tf.tensor1d(order.subarray(start, Math.min(n, start + batchSize)), 'int32');
            const xb = tf.gather(xs, idx);
            const yb = tf.gather(ys, idx);
            const { loss, grads } = net.lossAndGrads(xb, yb);
            optimizer.applyGradients(
              net.variables.map((v, i) => ({ name: v.name, tensor: grads[i]! })),
            );
            // Reading the loss every step, as fit does for its logs, also syncs the step.
            const value = loss.dataSync()[0]!;
            tf.dispose([idx, xb, yb, loss, ...grads]);
            if (!onStep(b, value)) break;
          }
        },
      };
      return {
        runner,
        dispose: () => {
          optimizer.dispose();
          dispose();
        },
      };
    },

    torch: { script: 'torch_train.py', spec: { id: spec.id, arch, batchSize } },
  };
}

/**
 * Judges a training run by its losses (every engine's, PyTorch's too): whole epochs must end
 * under MAX_EPOCH_LOSS; a projected run, too short for that, must at least be learning; a
 * single step (see maxStepMs) says nothing beyond a finite loss.
 */
export function checkTraining(t: EpochTiming): string | undefined {
  if (!Number.isFinite(t.loss)) return `training loss is ${t.loss}`;
  if (t.firstStepOnly) return undefined;
  if (t.projectedFromSteps === undefined) {
    return t.loss < MAX_EPOCH_LOSS
      ? undefined
      : `mean loss over the last epoch is ${t.loss.toFixed(3)}, not below ${MAX_EPOCH_LOSS}`;
  }
  return t.loss < MAX_PROJECTED_LOSS_RATIO * t.firstLoss
    ? undefined
    : `mean loss over the last ${t.stepsPerTrial} steps is ${t.loss.toFixed(3)}, not below ` +
        `${MAX_PROJECTED_LOSS_RATIO} x the first batch's ${t.firstLoss.toFixed(3)}`;
}

// The library and the training set, loaded once and shared by every engine and both workloads.
let lib: Promise<Lib> | undefined;
let mnist: Promise<{ x: Float32Array; y: Float32Array; n: number }> | undefined;

/** The public API from the compiled Node entry (which registers the native backend). */
export function library(): Promise<Lib> {
  return (lib ??= import('../../node/index.js'));
}

/**
 * The library with `backend` as its current backend, for workloads that run models. Skips the
 * plain wasm build beside the relaxed one: a model runs on the registered backend.
 */
export async function useBackend(backend: Backend): Promise<Lib> {
  const ml = await library();
  await ml.setBackend(backend.name);
  if (findBackend(backend.name) !== backend) {
    throw new SkipError(
      `the library's '${backend.name}' backend is not the one the bench loaded` +
        (backend.name === 'wasm' ? ' (MNIST_LAB_WASM_ISA=simd128 makes it the simd128 build)' : ''),
    );
  }
  return ml;
}

/** MNIST's training images as x / 255 and one-hot labels, from the library's offline loader. */
export function trainingSet(): Promise<{ x: Float32Array; y: Float32Array; n: number }> {
  return (mnist ??= library().then(async (ml) => {
    const { train } = await ml.datasets.mnist.loadData();
    return {
      x: ml.datasets.normalize(train.images.data),
      y: ml.datasets.toCategorical(train.labels.data, 10).values as Float32Array,
      n: train.labels.data.length,
    };
  }));
}

/** The seed network as a user builds it (shared with predict.ts). */
export function ourModel(ml: Lib, arch: Arch): MnistLab.Sequential {
  const model = ml.sequential();
  const { layers } = ml;
  if (arch === 'mlp') {
    model.add(layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
  } else {
    model.add(
      layers.conv2d({
        filters: 32,
        kernelSize: [3, 3],
        activation: 'relu',
        inputShape: [28, 28, 1],
      }),
    );
    model.add(layers.maxPooling2d({ poolSize: [2, 2] }));
    model.add(layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
    model.add(layers.maxPooling2d({ poolSize: [2, 2] }));
    model.add(layers.flatten());
    model.add(layers.dense({ units: 64, activation: 'relu' }));
  }
  model.add(layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

interface TfjsNet {
  variables: TfCore.Variable[];
  /** The batch's mean loss and the gradients of `variables` (same order), kept out of any tidy. */
  lossAndGrads(
    xb: TfCore.Tensor,
    yb: TfCore.Tensor,
  ): { loss: TfCore.Scalar; grads: TfCore.Tensor[] };
}

/**
 * The same network in tfjs-core ops, Keras's initialisers (Glorot uniform kernels, zero biases),
 * with its backward pass written out. tfjs-core's bundles register no gradients (the
 * @tensorflow/tfjs package does, and it is not installed), so variableGrads cannot differentiate
 * matMul or conv2d here. The backward below calls the kernels those registered gradients call:
 * matMul with a transposed operand, sum for a bias, step for relu, MaxPoolGrad,
 * Conv2DBackpropFilter and Conv2DBackpropInput; the forward runs unfused (matMul, add, relu), as
 * tf.fused ops fall back to under a gradient tape.
 */
function tfjsNet(tf: Tf, arch: Arch): TfjsNet {
  let seed = 1;
  const kernel = (shape: number[], fanIn: number, fanOut: number): TfCore.Variable => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.variable(tf.randomUniform(shape, -limit, limit, 'float32', seed++));
  };
  const bias = (units: number): TfCore.Variable => tf.variable(tf.zeros([units]));
  const run = <T extends TfCore.Tensor>(
    kernelName: string,
    inputs: Record<string, TfCore.Tensor>,
    attrs: Record<string, unknown>,
  ): T => tf.engine().runKernel(kernelName, inputs, attrs as TfCore.NamedAttrMap) as T;

  // Dense: forward keeps what backward needs; backward takes dL/d(output), returns dL/d(input).
  const dense = (w: TfCore.Variable, b: TfCore.Variable, relu: boolean) => {
    let x: TfCore.Tensor2D;
    let z: TfCore.Tensor2D;
    return {
      forward(input: TfCore.Tensor2D): TfCore.Tensor2D {
        x = input;
        z = tf.add(tf.matMul(x, w as TfCore.Tensor2D), b) as TfCore.Tensor2D;
        return relu ? tf.relu(z) : z;
      },
      backward(dOut: TfCore.Tensor2D, grads: TfCore.Tensor[], needInput: boolean) {
        const dz = relu ? tf.mul(dOut, tf.step(z)) : dOut;
        grads.push(tf.matMul(x, dz, true, false), tf.sum(dz, 0));
        return needInput
          ? (tf.matMul(dz, w as TfCore.Tensor2D, false, true) as TfCore.Tensor2D)
          : undefined;
      },
    };
  };
  // Conv2D 3x3 valid + relu, then 2x2 max pooling.
  const convPool = (k: TfCore.Variable, c: TfCore.Variable) => {
    let x: TfCore.Tensor4D;
    let z: TfCore.Tensor4D;
    let a: TfCore.Tensor4D;
    let p: TfCore.Tensor4D;
    const pool = { filterSize: 2, strides: 2, pad: 'valid' };
    return {
      forward(input: TfCore.Tensor4D): TfCore.Tensor4D {
        x = input;
        z = tf.add(tf.conv2d(x, k as TfCore.Tensor4D, 1, 'valid'), c);
        a = tf.relu(z);
        p = tf.maxPool(a, 2, 2, 'valid');
        return p;
      },
      backward(dOut: TfCore.Tensor4D, grads: TfCore.Tensor[], needInput: boolean) {
        const da = run<TfCore.Tensor4D>('MaxPoolGrad', { dy: dOut, input: a, output: p }, pool);
        const dz = tf.mul(da, tf.step(z));
        const conv = { strides: 1, pad: 'valid', dataFormat: 'NHWC' };
        grads.push(
          run('Conv2DBackpropFilter', { x, dy: dz }, { ...conv, filterShape: k.shape }),
          tf.sum(dz, [0, 1, 2]),
        );
        return needInput
          ? run<TfCore.Tensor4D>(
              'Conv2DBackpropInput',
              { dy: dz, filter: k },
              { ...conv, inputShape: x.shape },
            )
          : undefined;
      },
    };
  };
  // Mean softmax cross-entropy from logits and its gradient, (softmax - y) / batch.
  const softmaxCe = (logits: TfCore.Tensor2D, yb: TfCore.Tensor) => {
    const batch = logits.shape[0];
    const logp = tf.logSoftmax(logits);
    return {
      loss: tf.div(tf.neg(tf.sum(tf.mul(yb, logp))), batch) as TfCore.Scalar,
      dLogits: tf.div(tf.sub(tf.exp(logp), yb), batch) as TfCore.Tensor2D,
    };
  };

  if (arch === 'mlp') {
    const v = [kernel([784, 512], 784, 512), bias(512), kernel([512, 10], 512, 10), bias(10)];
    const [d1, d2] = [dense(v[0]!, v[1]!, true), dense(v[2]!, v[3]!, false)];
    return {
      variables: v,
      lossAndGrads: (xb, yb) =>
        tf.tidy(() => {
          const { loss, dLogits } = softmaxCe(d2.forward(d1.forward(xb as TfCore.Tensor2D)), yb);
          const g2: TfCore.Tensor[] = [];
          const g1: TfCore.Tensor[] = [];
          d1.backward(d2.backward(dLogits, g2, true)!, g1, false);
          return { loss, grads: [...g1, ...g2] };
        }),
    };
  }
  const v = [
    kernel([3, 3, 1, 32], 9, 9 * 32),
    bias(32),
    kernel([3, 3, 32, 64], 9 * 32, 9 * 64),
    bias(64),
    kernel([1600, 64], 1600, 64),
    bias(64),
    kernel([64, 10], 64, 10),
    bias(10),
  ];
  const c1 = convPool(v[0]!, v[1]!);
  const c2 = convPool(v[2]!, v[3]!);
  const d3 = dense(v[4]!, v[5]!, true);
  const d4 = dense(v[6]!, v[7]!, false);
  return {
    variables: v,
    lossAndGrads: (xb, yb) =>
      tf.tidy(() => {
        const p2 = c2.forward(c1.forward(xb as TfCore.Tensor4D));
        const flat = tf.reshape(p2, [p2.shape[0], 5 * 5 * 64]) as TfCore.Tensor2D;
        const { loss, dLogits } = softmaxCe(d4.forward(d3.forward(flat)), yb);
        const g: TfCore.Tensor[][] = [[], [], [], []];
        const dFlat = d3.backward(d4.backward(dLogits, g[3]!, true)!, g[2]!, true)!;
        // No gradient for the images: TF.js's tape skips inputs that are not variables.
        c1.backward(c2.backward(tf.reshape(dFlat, p2.shape), g[1]!, true)!, g[0]!, false);
        return { loss, grads: g.flat() };
      }),
  };
}

/** The gradient kernels each network's backward calls, and what they compute. */
const GRADIENT_KERNELS: Record<Arch, Record<string, string>> = {
  mlp: {},
  cnn: {
    Conv2DBackpropFilter: "conv2d's filter gradient",
    Conv2DBackpropInput: "conv2d's input gradient",
    MaxPoolGrad: "maxPool's gradient",
  },
};

/**
 * One training step's maths on two samples, before any timing: a backend missing a gradient
 * kernel fails here, and the row is skipped naming every such kernel.
 */
function probeGradients(
  tf: Tf,
  net: TfjsNet,
  xs: TfCore.Tensor,
  ys: TfCore.Tensor,
  arch: Arch,
): void {
  try {
    const xb = tf.slice(xs, 0, 2);
    const yb = tf.slice(ys, 0, 2);
    try {
      const { loss, grads } = net.lossAndGrads(xb, yb);
      loss.dataSync();
      tf.dispose([loss, ...grads]);
    } finally {
      tf.dispose([xb, yb]);
    }
  } catch (e) {
    const message = (e as Error).message.split('\n')[0] ?? '';
    const backend = tf.getBackend();
    const missing = Object.entries(GRADIENT_KERNELS[arch]).filter(
      ([name]) => tf.getKernel(name, backend) === undefined,
    );
    if (missing.length === 0) throw e;
    throw new SkipError(
      `TF.js ${backend} ${tf.version_core} has no ${missing.map(([k, what]) => `${k} kernel (${what})`).join(', ')}; ` +
        `a training step throws "${message}"`,
    );
  }
}
