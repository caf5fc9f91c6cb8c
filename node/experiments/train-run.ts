import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Callback, type Logs } from '../../src/callbacks/callback.js';
import { EarlyStopping } from '../../src/callbacks/early-stopping.js';
import { normalize, toCategorical } from '../../src/data/preprocess.js';
import { buildModel } from '../../src/experiments/build-model.js';
import type { TrainSpec } from '../../src/experiments/model-spec.js';
import { backendName } from '../../src/kernels/registry.js';
import { getOptimizer } from '../../src/optimizers/index.js';
import { setSeed } from '../../src/tensor/seed.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { loadDataset, type LoadOptions } from '../data/load-dataset.js';
import { saveModel } from '../models/save-model.js';
import { writeJson } from '../fs/write-atomic.js';
import { fileStamp } from '../fs/file-stamp.js';
import { ProgressLog } from '../callbacks/progress-log.js';
import { PROGRESS_FILE } from '../../src/experiments/progress.js';

export interface TrainRunOptions {
  /** The run folder (default ./runs/<id>). */
  outDir?: string;
  /** Passed to the dataset loader (dataDir, download, verify, log). */
  data?: LoadOptions;
  verbose?: 0 | 1 | 2;
  /** Where summary and result lines go (default console.log). */
  print?: (line: string) => void;
  /** Train / test on the first N samples only (quick runs and end-to-end tests). */
  trainSamples?: number;
  testSamples?: number;
  /** Extra callbacks (e.g. a live dashboard). */
  callbacks?: Callback[];
}

export interface TrainRunResult {
  id: string;
  dir: string;
  spec: TrainSpec;
  backend: string;
  history: Record<string, number[]>;
  epochSeconds: number[];
  trainSeconds: number;
  test: { loss: number; accuracy: number };
  /** Set when EarlyStopping ended the run (1-based epoch, as Keras prints it). */
  stoppedEpoch?: number;
}

/** Records each epoch's logs and wall time, so even a run that fails keeps what it finished. */
class EpochRecorder extends Callback {
  readonly seconds: number[] = [];
  readonly epochs: number[] = [];
  readonly history: Record<string, number[]> = {};
  private start = 0;
  override onEpochBegin(): void {
    this.start = performance.now();
  }
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.seconds.push((performance.now() - this.start) / 1000);
    this.epochs.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

function runId(spec: TrainSpec): string {
  return `${fileStamp()}-${spec.model}-${spec.dataset}`;
}

/** Images [n, h, w] uint8 -> float32 [n, h*w] (MLP) or [n, h, w, 1] (CNN), in [0, 1]. */
function toInputs(
  images: { data: Uint8Array; shape: readonly number[] },
  n: number,
  cnn: boolean,
): Tensor {
  const [, h, w] = images.shape as [number, number, number];
  const x = normalize(images.data.subarray(0, n * h * w));
  return new Tensor(x, cnn ? [n, h, w, 1] : [n, h * w]);
}

function toTargets(labels: Uint8Array, n: number, classes: number, sparse: boolean): Tensor {
  const l = labels.subarray(0, n);
  if (sparse) return new Tensor(Int32Array.from(l), [n]);
  const { data, shape } = toCategorical(l, classes);
  return new Tensor(data, shape);
}

/**
 * One training run end to end: data, model, compile, fit, test evaluation, and the run folder
 * (config.json, history.json, metrics.json, history.csv via the epoch logs, model/).
 */
export async function trainRun(
  spec: TrainSpec,
  options: TrainRunOptions = {},
): Promise<TrainRunResult> {
  const print = options.print ?? ((l: string) => console.log(l));
  const id = runId(spec);
  const dir = resolve(options.outDir ?? join('runs', id));
  setSeed(spec.seed);

  const ds = await loadDataset(spec.dataset, options.data ?? {});
  const classes = ds.spec.classNames.length;
  const cnn = spec.model === 'cnn';
  const sparse = /sparse/i.test(spec.loss);
  const nTrain = Math.min(options.trainSamples ?? Infinity, ds.train.labels.data.length);
  const nTest = Math.min(options.testSamples ?? Infinity, ds.test.labels.data.length);
  const xTrain = toInputs(ds.train.images, nTrain, cnn);
  const yTrain = toTargets(ds.train.labels.data, nTrain, classes, sparse);
  const xTest = toInputs(ds.test.images, nTest, cnn);
  const yTest = toTargets(ds.test.labels.data, nTest, classes, sparse);

  const inputShape = cnn
    ? [ds.train.images.shape[1], ds.train.images.shape[2], 1]
    : [xTrain.shape[1]!];
  const model = buildModel(spec, inputShape, classes);
  const optimizerConfig: Record<string, number> = {};
  if (spec.lr !== undefined) optimizerConfig['learningRate'] = spec.lr;
  if (spec.momentum !== undefined) optimizerConfig['momentum'] = spec.momentum;
  const optimizer = getOptimizer({ className: spec.optimizer, config: optimizerConfig });
  model.compile({ optimizer, loss: spec.loss, metrics: ['accuracy'] });
  model.summary(undefined, print);
  print(`Backend: ${backendName()}   train ${nTrain}   test ${nTest}   dataset ${spec.dataset}`);

  await mkdir(dir, { recursive: true });
  await writeJson(join(dir, 'config.json'), {
    ...spec,
    backend: backendName(),
    trainSamples: nTrain,
    testSamples: nTest,
  });

  const timer = new EpochRecorder();
  // progress.jsonl: what `mnist-lab serve` follows live.
  const progress = new ProgressLog(join(dir, PROGRESS_FILE));
  const callbacks: Callback[] = [timer, progress, ...(options.callbacks ?? [])];
  let early: EarlyStopping | undefined;
  if (spec.earlyStopping !== undefined) {
    early = new EarlyStopping({
      monitor: 'val_loss',
      patience: spec.earlyStopping,
      restoreBestWeights: true,
    });
    callbacks.push(early);
  }
  const t0 = performance.now();
  const saveHistory = (): Promise<void> =>
    writeJson(join(dir, 'history.json'), {
      epoch: timer.epochs,
      history: timer.history,
      epochSeconds: timer.seconds,
    });
  try {
    await model.fit(xTrain, yTrain, {
      epochs: spec.epochs,
      batchSize: spec.batchSize,
      ...(spec.validationSplit > 0 ? { validationSplit: spec.validationSplit } : {}),
      callbacks,
      verbose: options.verbose ?? 1,
    });
  } catch (e) {
    // Keep the epochs that finished and say why the run ended.
    await saveHistory();
    await writeJson(join(dir, 'metrics.json'), {
      error: (e as Error).message,
      backend: backendName(),
    });
    throw e;
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  const evaluated = model.evaluate(xTest, yTest, { batchSize: 512 });
  const [testLoss, testAcc] = Array.isArray(evaluated) ? evaluated : [evaluated, NaN];
  const test = { loss: testLoss!, accuracy: testAcc! };
  const stoppedEpoch = early && early.stoppedEpoch > 0 ? early.stoppedEpoch + 1 : undefined;

  print(
    `Epoch times: ${timer.seconds.map((s) => `${s.toFixed(2)}s`).join(', ')}  (total ${trainSeconds.toFixed(1)}s)`,
  );
  if (stoppedEpoch !== undefined) print(`Early stopping after epoch ${stoppedEpoch}.`);
  print(`Test loss: ${test.loss.toFixed(4)}   Test accuracy: ${(100 * test.accuracy).toFixed(2)}%`);

  const result: TrainRunResult = {
    id,
    dir,
    spec,
    backend: backendName(),
    history: timer.history,
    epochSeconds: timer.seconds,
    trainSeconds,
    test,
    ...(stoppedEpoch !== undefined ? { stoppedEpoch } : {}),
  };
  await saveHistory();
  await writeJson(join(dir, 'metrics.json'), {
    test,
    trainSeconds,
    stoppedEpoch: stoppedEpoch ?? null,
    backend: result.backend,
  });
  await saveModel(model, join(dir, 'model'));
  print(`Run saved to ${dir}`);
  return result;
}
