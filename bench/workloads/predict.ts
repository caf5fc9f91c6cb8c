/**
 * Inference throughput of the seed models: `predict` over the 10,000 MNIST test images (x / 255)
 * at batch 256, a realistic serving batch, in images per second (higher is better). A call is
 * one pass over the whole test set.
 *
 * One set of weights for every engine: the network epoch.ts builds (same code), seeded and
 * trained for one epoch on a slice of the training set so its predictions are confident, then
 * copied: into TF.js tensors (Keras's layouts are TF.js's), into PyTorch (bench/torch_predict.py,
 * from raw float32 files, transposed to its layouts) and, as the ONNX model our exporter writes
 * (`toOnnx`, what `mnist-lab export --format onnx` saves), into an ONNX Runtime session.
 *
 * Check (every engine, PyTorch's too): the predicted classes agree with ours (our first engine's
 * predict, itself checked below) on >= 99.9% of the images and every probability is within 1e-4
 * of ours; and on 64 images spread over the test set the probabilities are within 1e-4 of a
 * float64 forward pass written out here, so the reference cannot be wrong with every engine.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as MnistLab from '../../node/index.js';
import type { Ort, Tf } from '../engines.js';
import type { TorchResult } from '../torch.js';
import { SkipError, type PreparedStep, type Workload } from '../workload.js';
import {
  forwardFlopsPerSample,
  library,
  ourModel,
  trainingSet,
  useBackend,
  type Arch,
  type Lib,
} from './epoch.js';

/** Images per predict batch: a serving batch, and Keras's predict loop's unit of work. */
export const PREDICT_BATCH = 256;
/** MNIST's test images: what one call predicts. */
const SAMPLES = 10_000;
/** Images of the training set the shared weights are trained on (one epoch, batch 128). */
const TRAIN_SAMPLES = 4096;
/** Least fraction of images whose predicted class must agree with ours. */
const MIN_CLASS_AGREEMENT = 0.999;
/** Largest allowed difference of any probability from ours and from the float64 forward pass. */
const MAX_PROB_DIFF = 1e-4;
/** Images checked against the float64 forward pass. */
const SPOT_IMAGES = 64;
/**
 * A call projected (from one timed batch) to take longer than this is not run: js and tfjs-cpu
 * would spend minutes on the CNN. The row says so and gives the projection.
 */
const MAX_CALL_MS = 20_000;

const TITLE_CHECK =
  `batch ${PREDICT_BATCH}, ${SAMPLES} MNIST test images; check: classes agree with ours on >= ` +
  `${100 * MIN_CLASS_AGREEMENT}% and probabilities within ${MAX_PROB_DIFF}`;

export interface PredictSpec {
  id: string;
  title: string;
  arch: Arch;
}

export const PREDICT_SPECS: readonly PredictSpec[] = [
  {
    id: 'mlp-predict',
    title: `predict with the seed MLP, Dense(512, relu) -> Dense(10, softmax) on 784 inputs, ${TITLE_CHECK}`,
    arch: 'mlp',
  },
  {
    id: 'cnn-predict',
    title:
      'predict with the seed CNN, Conv2D(32, 3x3, relu) -> MaxPool 2 -> Conv2D(64, 3x3, relu) -> ' +
      `MaxPool 2 -> Flatten -> Dense(64, relu) -> Dense(10, softmax), ${TITLE_CHECK}`,
    arch: 'cnn',
  },
];

export function predictWorkloads(): Workload[] {
  return PREDICT_SPECS.map(predictWorkload);
}

/** Input shape of one image, as each network takes it (channels-last for the CNN). */
function imageShape(arch: Arch): number[] {
  return arch === 'mlp' ? [784] : [28, 28, 1];
}

function predictWorkload(spec: PredictSpec): Workload {
  const { arch } = spec;
  return {
    id: spec.id,
    title: spec.title,
    unit: 'images/s',
    flops: SAMPLES * forwardFlopsPerSample(arch),
    value: (ms) => (SAMPLES * 1000) / ms,

    async ours(backend): Promise<PreparedStep> {
      const ml = await useBackend(backend);
      const s = await shared(arch);
      const xs = ml.tensor(s.x, [s.n, ...imageShape(arch)]);
      const predict = (x: MnistLab.Tensor): Float32Array =>
        s.model.predict(x, { batchSize: PREDICT_BATCH }).values as Float32Array;
      gate(() =>
        predict(
          ml.tensor(s.x.subarray(0, PREDICT_BATCH * 784), [PREDICT_BATCH, ...imageShape(arch)]),
        ),
      );
      // The reference is our first engine's output (see the file comment).
      await reference(arch);
      let out: Float32Array | undefined;
      return {
        step: () => {
          out = predict(xs);
        },
        check: () => checkPredictions(arch, out),
      };
    },

    async tfjs(tf): Promise<PreparedStep> {
      const s = await shared(arch);
      const weights = s.weights.map((w, i) => tf.tensor(w, s.shapes[i]!));
      // Batches sliced once, as tfjs-layers' predict slices its input.
      const batches: TfCore.Tensor[] = [];
      for (let start = 0; start < s.n; start += PREDICT_BATCH) {
        const end = Math.min(s.n, start + PREDICT_BATCH);
        batches.push(
          tf.tensor(s.x.slice(start * 784, end * 784), [end - start, ...imageShape(arch)]),
        );
      }
      const forward = tfjsForward(tf, arch, weights);
      const out = new Float32Array(s.n * 10);
      const predict = (xb: TfCore.Tensor, offset: number): void => {
        const y = tf.tidy(() => forward(xb));
        out.set(y.dataSync() as Float32Array, offset);
        y.dispose();
      };
      const dispose = (): void => tf.dispose([...weights, ...batches]);
      try {
        gate(() => predict(batches[0]!, 0));
      } catch (e) {
        dispose();
        throw e;
      }
      await reference(arch);
      return {
        step: () => {
          for (let b = 0; b < batches.length; b++) predict(batches[b]!, b * PREDICT_BATCH * 10);
        },
        check: () => checkPredictions(arch, out),
        dispose,
      };
    },

    async onnxruntime(ort, threads): Promise<PreparedStep> {
      const s = await shared(arch);
      const session = await ort.InferenceSession.create(s.onnx, {
        executionProviders: ['cpu'],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
      const input = session.inputNames[0]!;
      const output = session.outputNames[0]!;
      const batches: { feeds: Record<string, InstanceType<Ort['Tensor']>>; offset: number }[] = [];
      for (let start = 0; start < s.n; start += PREDICT_BATCH) {
        const end = Math.min(s.n, start + PREDICT_BATCH);
        const t = new ort.Tensor('float32', s.x.slice(start * 784, end * 784), [
          end - start,
          ...imageShape(arch),
        ]);
        batches.push({ feeds: { [input]: t }, offset: start * 10 });
      }
      const out = new Float32Array(s.n * 10);
      await reference(arch);
      return {
        step: async () => {
          for (const { feeds, offset } of batches) {
            const r = await session.run(feeds);
            out.set(r[output]!.data as Float32Array, offset);
          }
        },
        check: () => checkPredictions(arch, out),
        dispose: () => void session.release(),
      };
    },

    torch: {
      script: 'torch_predict.py',
      spec: { id: spec.id, arch, batchSize: PREDICT_BATCH },
      prepare: () => torchInputs(spec.id, arch),
      check: (r) => checkTorch(arch, r),
    },
  };
}

/**
 * Times one batch (which also warms the engine up) and refuses engines that would take longer
 * than MAX_CALL_MS for the whole test set.
 */
function gate(oneBatch: () => void): void {
  oneBatch();
  const t0 = performance.now();
  oneBatch();
  const projected = ((performance.now() - t0) * SAMPLES) / PREDICT_BATCH;
  if (projected > MAX_CALL_MS)
    throw new SkipError(
      `one call (${SAMPLES} images) would take ~${(projected / 1000).toFixed(0)} s here ` +
        `(over the ${MAX_CALL_MS / 1000} s a call may take)`,
    );
}

interface Shared {
  ml: Lib;
  model: MnistLab.Sequential;
  /** The model's weights in its getWeights() order (kernel, bias per layer), Keras's layouts. */
  weights: Float32Array[];
  shapes: number[][];
  /** toOnnx(model): the bytes `mnist-lab export --format onnx` writes. */
  onnx: Uint8Array;
  /** Test images x / 255, row-major, 784 values each. */
  x: Float32Array;
  n: number;
}

const sharedModels = new Map<Arch, Promise<Shared>>();

/**
 * The model every engine predicts with, made once: seed 1, one epoch of Adam over the first
 * TRAIN_SAMPLES training images on whatever backend the library has at the time.
 */
function shared(arch: Arch): Promise<Shared> {
  let p = sharedModels.get(arch);
  if (!p) {
    p = (async () => {
      const ml = await library();
      const train = await trainingSet();
      const shape = imageShape(arch);
      ml.setSeed(1);
      const model = ourModel(ml, arch);
      model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
      await model.fit(
        ml.tensor(train.x.subarray(0, TRAIN_SAMPLES * 784), [TRAIN_SAMPLES, ...shape]),
        ml.tensor(train.y.subarray(0, TRAIN_SAMPLES * 10), [TRAIN_SAMPLES, 10]),
        { epochs: 1, batchSize: 128, verbose: 0 },
      );
      const { test } = await ml.datasets.mnist.loadData();
      const x = ml.datasets.normalize(test.images.data);
      const vars = model.weights;
      return {
        ml,
        model,
        weights: model.getWeights(),
        shapes: vars.map((v) => [...v.shape]),
        onnx: ml.io.toOnnx(model),
        x,
        n: test.labels.data.length,
      };
    })();
    sharedModels.set(arch, p);
  }
  return p;
}

const references = new Map<Arch, Promise<Float32Array>>();

/** Our predictions on the whole test set, from the library's current backend when first asked. */
function reference(arch: Arch): Promise<Float32Array> {
  let p = references.get(arch);
  if (!p) {
    p = shared(arch).then((s) => {
      const xs = s.ml.tensor(s.x, [s.n, ...imageShape(arch)]);
      return s.model.predict(xs, { batchSize: PREDICT_BATCH }).values as Float32Array;
    });
    references.set(arch, p);
  }
  return p;
}

/** Judges an engine's probabilities [n, 10] against ours and the float64 spot check. */
async function checkPredictions(
  arch: Arch,
  probs: Float32Array | undefined,
): Promise<string | undefined> {
  const s = await shared(arch);
  if (!probs || probs.length !== s.n * 10)
    return `predicted ${probs?.length ?? 0} probabilities, expected ${s.n * 10}`;
  const spot = spotCheck(arch, s, probs);
  if (spot !== undefined) return spot;
  const ref = await reference(arch);
  let agree = 0;
  let worst = 0;
  let at = 0;
  for (let i = 0; i < s.n; i++) {
    if (argmax(probs, i) === argmax(ref, i)) agree++;
    for (let j = i * 10; j < i * 10 + 10; j++) {
      const d = Math.abs(probs[j]! - ref[j]!);
      if (!(d <= worst)) [worst, at] = [d, j];
    }
  }
  if (agree < MIN_CLASS_AGREEMENT * s.n)
    return `predicted classes agree with ours on ${((100 * agree) / s.n).toFixed(2)}% of images`;
  if (!(worst <= MAX_PROB_DIFF))
    return `probability [${Math.floor(at / 10)}, ${at % 10}] is ${probs[at]}, ours ${ref[at]}`;
  return undefined;
}

function argmax(p: Float32Array, row: number): number {
  let best = 0;
  for (let j = 1; j < 10; j++) if (p[row * 10 + j]! > p[row * 10 + best]!) best = j;
  return best;
}

/** SPOT_IMAGES images spread over the test set, against forward64. */
function spotCheck(arch: Arch, s: Shared, probs: Float32Array): string | undefined {
  const step = Math.floor(s.n / SPOT_IMAGES);
  for (let k = 0; k < SPOT_IMAGES; k++) {
    const i = k * step;
    const expected = forward64(arch, s.weights, s.x.subarray(i * 784, (i + 1) * 784));
    for (let j = 0; j < 10; j++) {
      const got = probs[i * 10 + j]!;
      if (!(Math.abs(got - expected[j]!) <= MAX_PROB_DIFF))
        return `image ${i}: probability of ${j} is ${got}, a float64 forward pass gives ${expected[j]!.toPrecision(6)}`;
    }
  }
  return undefined;
}

/** Keras's Dense on one sample in float64: kernel [inputs, units], then the activation. */
function dense64(x: Float64Array, w: Float32Array, b: Float32Array, relu: boolean): Float64Array {
  const units = b.length;
  const y = Float64Array.from(b);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    for (let o = 0; o < units; o++) y[o]! += xi * w[i * units + o]!;
  }
  if (relu) for (let o = 0; o < units; o++) y[o] = Math.max(0, y[o]!);
  return y;
}

/** Conv2D 3x3 valid + relu, then 2x2 max pooling, on one HWC image in float64. */
function convPool64(
  x: Float64Array,
  size: number,
  cin: number,
  k: Float32Array,
  b: Float32Array,
): { y: Float64Array; size: number } {
  const cout = b.length;
  const conv = size - 2;
  const a = new Float64Array(conv * conv * cout);
  for (let r = 0; r < conv; r++)
    for (let c = 0; c < conv; c++)
      for (let o = 0; o < cout; o++) {
        let sum = b[o]!;
        for (let dr = 0; dr < 3; dr++)
          for (let dc = 0; dc < 3; dc++)
            for (let i = 0; i < cin; i++)
              sum +=
                x[((r + dr) * size + c + dc) * cin + i]! * k[((dr * 3 + dc) * cin + i) * cout + o]!;
        a[(r * conv + c) * cout + o] = Math.max(0, sum);
      }
  const pooled = Math.floor(conv / 2);
  const y = new Float64Array(pooled * pooled * cout);
  for (let r = 0; r < pooled; r++)
    for (let c = 0; c < pooled; c++)
      for (let o = 0; o < cout; o++) {
        let m = -Infinity;
        for (let dr = 0; dr < 2; dr++)
          for (let dc = 0; dc < 2; dc++)
            m = Math.max(m, a[((2 * r + dr) * conv + 2 * c + dc) * cout + o]!);
        y[(r * pooled + c) * cout + o] = m;
      }
  return { y, size: pooled };
}

/** The seed network's probabilities for one image, in float64 from the float32 weights. */
export function forward64(
  arch: Arch,
  w: readonly Float32Array[],
  image: Float32Array,
): Float64Array {
  let h: Float64Array = Float64Array.from(image);
  let i = 0;
  if (arch === 'cnn') {
    const c1 = convPool64(h, 28, 1, w[0]!, w[1]!);
    const c2 = convPool64(c1.y, c1.size, w[1]!.length, w[2]!, w[3]!);
    h = c2.y; // HWC order: Keras's Flatten
    i = 4;
  }
  h = dense64(h, w[i]!, w[i + 1]!, true);
  const logits = dense64(h, w[i + 2]!, w[i + 3]!, false);
  const max = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/**
 * The same forward pass in tfjs-core ops, fused where TF.js fuses for inference (conv or matMul
 * + bias + relu, as tfjs-layers' predict runs them); Keras's layouts are TF.js's.
 */
function tfjsForward(
  tf: Tf,
  arch: Arch,
  w: readonly TfCore.Tensor[],
): (x: TfCore.Tensor) => TfCore.Tensor {
  const dense = (x: TfCore.Tensor2D, i: number, relu: boolean): TfCore.Tensor2D =>
    tf.fused.matMul({
      a: x,
      b: w[i] as TfCore.Tensor2D,
      bias: w[i + 1]!,
      activation: relu ? 'relu' : 'linear',
    }) as TfCore.Tensor2D;
  const convPool = (x: TfCore.Tensor4D, i: number): TfCore.Tensor4D =>
    tf.maxPool(
      tf.fused.conv2d({
        x,
        filter: w[i] as TfCore.Tensor4D,
        strides: 1,
        pad: 'valid',
        bias: w[i + 1]!,
        activation: 'relu',
      }),
      2,
      2,
      'valid',
    );
  return (x) => {
    let h: TfCore.Tensor2D;
    let i = 0;
    if (arch === 'cnn') {
      const p = convPool(convPool(x as TfCore.Tensor4D, 0), 2);
      h = tf.reshape(p, [p.shape[0], 5 * 5 * 64]);
      i = 4;
    } else {
      h = x as TfCore.Tensor2D;
    }
    return tf.softmax(dense(dense(h, i, true), i + 2, false));
  };
}

// PyTorch: the weights as raw float32 files in a folder removed when the bench exits.
let workDir: Promise<string> | undefined;

function scratch(): Promise<string> {
  return (workDir ??= mkdtemp(join(tmpdir(), 'mnist-lab-bench-predict-')).then((dir) => {
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }));
}

/** Spec fields for torch_predict.py: the weight files (Keras's layouts) and where to write. */
async function torchInputs(id: string, arch: Arch): Promise<Record<string, unknown>> {
  const [s, dir] = await Promise.all([shared(arch), scratch()]);
  await reference(arch);
  const weights = await Promise.all(
    s.weights.map(async (w, i) => {
      const file = join(dir, `${id}-w${i}.f32`);
      await writeFile(file, new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
      return { file, shape: s.shapes[i] };
    }),
  );
  return { weights, outputDir: dir };
}

async function checkTorch(arch: Arch, r: TorchResult): Promise<string | undefined> {
  if (r.output === undefined) return 'torch_predict.py named no output file';
  // A copy: a Buffer's offset in its pool need not be a multiple of 4.
  const bytes = new Uint8Array(await readFile(r.output));
  return checkPredictions(arch, new Float32Array(bytes.buffer, 0, bytes.byteLength >> 2));
}
