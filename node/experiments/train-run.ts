import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Callback, type Logs } from '../../src/callbacks/callback.js';
import { EarlyStopping } from '../../src/callbacks/early-stopping.js';
import { ReduceLROnPlateau } from '../../src/callbacks/reduce-lr-on-plateau.js';
import { normalize, toCategorical } from '../../src/data/preprocess.js';
import { buildModel } from '../../src/experiments/build-model.js';
import { isConvolutional, type TrainSpec } from '../../src/experiments/model-spec.js';
import { backendName } from '../../src/kernels/registry.js';
import { lossFromSpec, optimizerFromSpec } from '../../src/experiments/optimizer-from-spec.js';
import { splitHoldout } from '../../src/experiments/holdout.js';
import { setSeed } from '../../src/tensor/seed.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { FitState } from '../../src/training/fit-state.js';
import { loadDataset, type LoadOptions } from '../data/load-dataset.js';
import { saveModel } from '../models/save-model.js';
import { writeJson } from '../fs/write-atomic.js';
import { scoreModel, writeEvaluation } from '../reports/evaluation-report.js';
import { fileStamp } from '../fs/file-stamp.js';
import { ProgressLog } from '../callbacks/progress-log.js';
import { PROGRESS_FILE } from '../../src/experiments/progress.js';
import { acquireLock, type Lock } from '../fs/lock.js';
import {
  CHECKPOINT_DIR,
  hasCheckpoint,
  readCheckpoint,
  restoreCheckpoint,
  restoreEarlyStopping,
  restoreReduceLrOnPlateau,
  writeCheckpoint,
  type Checkpoint,
} from './checkpoint.js';
import { readStatus, writeStatus, type RunStatus } from './run-status.js';

export interface TrainRunOptions {
  /** The run folder (default ./runs/<id>, a new one). */
  outDir?: string;
  /** Continue the run in outDir from its last checkpoint (bit-identical to an uninterrupted run). */
  resume?: boolean;
  /** Replace the run outDir holds (refused while its process is alive). */
  overwrite?: boolean;
  /** Checkpoint every N epochs (default 1). */
  checkpointEvery?: number;
  /**
   * Stop on SIGINT / SIGTERM at the end of the current batch: checkpoint, status 'interrupted',
   * then reject with a TrainInterruptedError (the CLI's behaviour). A second signal exits at once.
   */
  handleSignals?: boolean;
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

/** A run stopped by a signal after writing its checkpoint; `train --resume dir` continues it. */
export class TrainInterruptedError extends Error {
  constructor(
    readonly dir: string,
    readonly signal: string,
    readonly checkpointed: boolean,
  ) {
    super(
      checkpointed
        ? `Interrupted (${signal}); checkpoint saved. Resume with: mnist-lab train --resume ${dir}`
        : `Interrupted (${signal}) before the first batch; nothing to resume. Start again with: mnist-lab train --overwrite --out ${dir} ...`,
    );
  }
}

/** Records each epoch's logs and wall time, so even a run that fails keeps what it finished. */
class EpochRecorder extends Callback {
  seconds: number[] = [];
  epochs: number[] = [];
  history: Record<string, number[]> = {};
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

/** Per epoch: status.json, and every N epochs a checkpoint; per batch: a stop request. */
class RunKeeper extends Callback {
  constructor(
    private readonly onEpoch: (epoch: number) => Promise<void>,
    private readonly onBatch: () => Promise<void>,
  ) {
    super();
  }
  override async onEpochEnd(epoch: number): Promise<void> {
    await this.onEpoch(epoch);
  }
  override async onBatchEnd(): Promise<void> {
    await this.onBatch();
  }
}

/**
 * Applies a checkpoint's callback state (EarlyStopping, ReduceLROnPlateau) once fit has reset
 * it: its onTrainBegin runs after theirs, before the first step.
 */
class CallbackStateRestorer extends Callback {
  constructor(private readonly restore: () => void) {
    super();
  }
  override onTrainBegin(): void {
    this.restore();
  }
}

/** Sub-second and unique per call: two runs started together never share a folder. */
function runId(spec: TrainSpec, date = new Date()): string {
  const ms = String(date.getUTCMilliseconds()).padStart(3, '0');
  return `${fileStamp(date)}-${ms}-${spec.model}-${spec.dataset}`;
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
  return toCategorical(l, classes);
}

const LOCK = 'run.lock';

function busy(dir: string) {
  return (o: { pid: number; hostname: string }): Error =>
    new Error(
      `${dir} is being trained by process ${o.pid} on ${o.hostname}; wait for it, or stop it (kill -INT ${o.pid}).`,
    );
}

/** What `--out` holds, in words, for the refusal message. */
function describe(status: RunStatus | null): string {
  if (!status) return 'files (not a run this version can continue)';
  const where = `epoch ${status.epoch}/${status.epochs}`;
  return status.state === 'finished'
    ? `a finished run (${where})`
    : `a ${status.state} run (${where})`;
}

/**
 * Claims the run folder for this process: a new folder is created exclusively (a collision takes
 * the next id); an existing one only with `resume` or `overwrite`, and never while a live process
 * holds its lock. Returns the folder, its lock, and whether this call created it.
 */
async function claimFolder(
  spec: TrainSpec,
  options: TrainRunOptions,
): Promise<{ dir: string; id: string; lock: Lock; created: boolean }> {
  if (options.outDir === undefined) {
    if (options.resume) throw new Error('--resume needs the run folder: --resume DIR.');
    for (let attempt = 0; ; attempt++) {
      const id = runId(spec) + (attempt > 0 ? `-${attempt + 1}` : '');
      const dir = resolve('runs', id);
      await mkdir(dirname(dir), { recursive: true });
      try {
        await mkdir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 100) continue;
        throw e;
      }
      return { dir, id, lock: await acquireLock(join(dir, LOCK), busy(dir)), created: true };
    }
  }
  const dir = resolve(options.outDir);
  const id = dir.split(/[\\/]/).pop()!;
  await mkdir(dirname(dir), { recursive: true });
  let created = false;
  try {
    await mkdir(dir);
    created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  if (created) {
    if (options.resume) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`--resume: ${dir} does not exist; there is nothing to resume.`);
    }
    return { dir, id, lock: await acquireLock(join(dir, LOCK), busy(dir)), created };
  }
  const lock = await acquireLock(join(dir, LOCK), busy(dir)).catch((e: Error) => {
    if (
      (e as NodeJS.ErrnoException).code === 'ENOTDIR' ||
      (e as NodeJS.ErrnoException).code === 'ENOENT'
    ) {
      throw new Error(`--out ${dir} is not a folder.`);
    }
    throw e;
  });
  try {
    const entries = (await readdir(dir)).filter((n) => n !== LOCK);
    if (options.resume) {
      const status = await readStatus(dir);
      if (status?.state === 'finished') {
        throw new Error(
          `${dir} is a finished run (epoch ${status.epoch}/${status.epochs}); there is nothing to resume.`,
        );
      }
      if (!(await hasCheckpoint(dir))) {
        throw new Error(
          `${dir} has no checkpoint to resume from; start it again with --overwrite --out ${dir}.`,
        );
      }
    } else if (options.overwrite) {
      for (const name of entries) await rm(join(dir, name), { recursive: true, force: true });
    } else if (entries.length > 0) {
      throw new Error(
        `${dir} already holds ${describe(await readStatus(dir))}. Add --resume to continue it, --overwrite to replace it, or choose another --out.`,
      );
    }
  } catch (e) {
    await lock.release();
    throw e;
  }
  return { dir, id, lock, created: false };
}

/** Temp files of a writer that was killed mid-write (the run folder and its model folder). */
async function removeTempFiles(dir: string): Promise<void> {
  for (const sub of [dir, join(dir, 'model')]) {
    const names = await readdir(sub).catch(() => [] as string[]);
    for (const name of names) {
      if (/\.tmp(-[\w-]+)?$/.test(name)) await rm(join(sub, name), { force: true });
    }
  }
}

/** The settings a resumed run must share with its folder's config.json. */
async function checkSameConfig(dir: string, config: Record<string, unknown>): Promise<void> {
  const path = join(dir, 'config.json');
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) throw new Error(`${path} is missing; the run cannot be resumed.`);
  let saved: Record<string, unknown>;
  try {
    saved = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${path} is not valid JSON; the run cannot be resumed.`);
  }
  for (const [k, v] of Object.entries(config)) {
    if (JSON.stringify(saved[k]) !== JSON.stringify(v)) {
      throw new Error(
        `${path} says ${k} ${JSON.stringify(saved[k])}, this run ${JSON.stringify(v)}: resume a run with its own settings (mnist-lab train --resume DIR, no other flags).`,
      );
    }
  }
}

/** The settings of the run in `dir` (its config.json), for `train --resume`. */
export async function readRunConfig(dir: string): Promise<{
  spec: TrainSpec;
  backend: string | undefined;
  trainSamples: number | undefined;
  testSamples: number | undefined;
}> {
  const path = join(resolve(dir), 'config.json');
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new Error(
      e.code === 'ENOENT'
        ? `--resume: ${path} is missing; ${resolve(dir)} is not a run folder.`
        : `--resume: cannot read ${path} (${e.code}).`,
    );
  });
  if (text.length > 1 << 20) throw new Error(`${path} is too large to be a run's config.`);
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${path} is not valid JSON.`);
  }
  const { backend, trainSamples, testSamples, ...spec } = c;
  if (typeof spec['model'] !== 'string' || typeof spec['epochs'] !== 'number') {
    throw new Error(`${path} does not describe a run (no model or epochs).`);
  }
  const count = (v: unknown): number | undefined =>
    typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
  return {
    spec: spec as unknown as TrainSpec,
    backend: typeof backend === 'string' ? backend : undefined,
    trainSamples: count(trainSamples),
    testSamples: count(testSamples),
  };
}

/**
 * One training run end to end: data, model, compile, fit, test evaluation, and the run folder:
 * config.json, status.json (kept current), checkpoint/ (every N epochs), history.json, model/,
 * and metrics.json last, once the model is safely saved.
 */
export async function trainRun(
  spec: TrainSpec,
  options: TrainRunOptions = {},
): Promise<TrainRunResult> {
  const print = options.print ?? ((l: string) => console.log(l));
  const every = options.checkpointEvery ?? 1;
  if (!Number.isInteger(every) || every < 1) {
    throw new RangeError(`checkpointEvery must be a whole number >= 1, got ${every}.`);
  }
  if (options.resume && options.overwrite) {
    throw new Error('--resume continues a run and --overwrite replaces it: choose one.');
  }
  const fitState = new FitState();
  let signal: string | null = null;
  const onSignal = (name: NodeJS.Signals): void => {
    if (signal !== null) process.exit(130); // a second Ctrl-C: leave now (the last checkpoint stays)
    signal = name;
    fitState.stopRequested = true;
    process.stderr.write(`\n${name}: stopping after this batch (again to quit at once)...\n`);
  };
  if (options.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const { dir, id, lock, created } = await claimFolder(spec, options);
  const startedAt = new Date().toISOString();
  let epochsDone = 0;
  const status = (state: RunStatus['state'], extra: Partial<RunStatus> = {}): Promise<void> =>
    writeStatus(dir, { state, epoch: epochsDone, epochs: spec.epochs, startedAt, ...extra });
  let trainingStarted = false;
  try {
    setSeed(spec.seed);
    const ds = await loadDataset(spec.dataset, options.data ?? {});
    const classes = ds.spec.classNames.length;
    const cnn = isConvolutional(spec.model);
    const sparse = /sparse/i.test(spec.loss);
    const nTrain = Math.min(options.trainSamples ?? Infinity, ds.train.labels.data.length);
    const nTest = Math.min(options.testSamples ?? Infinity, ds.test.labels.data.length);
    let xTrain = toInputs(ds.train.images, nTrain, cnn);
    let yTrain = toTargets(ds.train.labels.data, nTrain, classes, sparse);
    let validationData: [Tensor, Tensor] | undefined;
    if (spec.holdout) {
      const split = splitHoldout(xTrain, yTrain, spec.holdout);
      [xTrain, yTrain, validationData] = [split.x, split.y, split.validationData];
    }
    const xTest = toInputs(ds.test.images, nTest, cnn);
    const yTest = toTargets(ds.test.labels.data, nTest, classes, sparse);

    const inputShape = cnn
      ? [ds.train.images.shape[1], ds.train.images.shape[2], 1]
      : [xTrain.shape[1]!];
    const model = buildModel(spec, inputShape, classes);
    const fitSamples =
      validationData || spec.validationSplit === 0
        ? xTrain.shape[0]!
        : Math.floor(nTrain * (1 - spec.validationSplit));
    const optimizer = optimizerFromSpec(spec, Math.ceil(fitSamples / spec.batchSize));
    model.compile({ optimizer, loss: lossFromSpec(spec), metrics: ['accuracy'] });

    const config = { ...spec, backend: backendName(), trainSamples: nTrain, testSamples: nTest };
    const timer = new EpochRecorder();
    let early: EarlyStopping | undefined;
    if (spec.earlyStopping !== undefined) {
      early = new EarlyStopping({
        monitor: 'val_loss',
        patience: spec.earlyStopping,
        restoreBestWeights: true,
      });
    }
    const plateau = spec.reduceLrOnPlateau
      ? new ReduceLROnPlateau({
          monitor: validationData !== undefined || spec.validationSplit > 0 ? 'val_loss' : 'loss',
          verbose: 1,
          log: print,
          ...spec.reduceLrOnPlateau,
        })
      : undefined;
    let ckpt: Checkpoint | null = null;
    if (options.resume) {
      await checkSameConfig(dir, config);
      ckpt = await readCheckpoint(dir);
      restoreCheckpoint(ckpt, model, join(dir, CHECKPOINT_DIR));
      Object.assign(fitState, ckpt.fit);
      timer.epochs = [...ckpt.history.epoch];
      timer.history = structuredClone(ckpt.history.history);
      timer.seconds = [...ckpt.history.epochSeconds];
      epochsDone = ckpt.fit.epoch;
      await removeTempFiles(dir);
      print(`Resuming ${dir} at epoch ${ckpt.fit.epoch + 1}, batch ${ckpt.fit.batch + 1}.`);
    }
    model.summary(undefined, print);
    const held = validationData
      ? `   validation ${spec.holdout!.where} ${spec.holdout!.count}`
      : '';
    print(
      `Backend: ${backendName()}   train ${xTrain.shape[0]}${held}   test ${nTest}   dataset ${spec.dataset}`,
    );
    if (!options.resume) await writeJson(join(dir, 'config.json'), config);
    await status('running');

    const history = () => ({
      epoch: timer.epochs,
      history: timer.history,
      epochSeconds: timer.seconds,
    });
    const saveHistory = (): Promise<void> => writeJson(join(dir, 'history.json'), history());
    const checkpoint = async (): Promise<void> => {
      await writeCheckpoint(dir, {
        model,
        fit: fitState,
        history: history(),
        ...(early ? { earlyStopping: early } : {}),
        ...(plateau ? { reduceLrOnPlateau: plateau } : {}),
      });
    };
    const keeper = new RunKeeper(
      async (epoch) => {
        epochsDone = epoch + 1;
        if (epochsDone % every === 0 && epochsDone < spec.epochs) await checkpoint();
        await saveHistory();
        await status('running', { checkpoint: await hasCheckpoint(dir) });
      },
      async () => {
        // Let a pending signal in: kernels run synchronously, so this is where it lands.
        if (options.handleSignals) await new Promise((r) => setImmediate(r));
      },
    );
    const callbacks: Callback[] = [];
    if (plateau) {
      // Before the recorder, so the history holds each epoch's learning_rate.
      callbacks.push(plateau);
      if (ckpt) {
        const saved = ckpt;
        callbacks.push(new CallbackStateRestorer(() => restoreReduceLrOnPlateau(saved, plateau)));
      }
    }
    callbacks.push(
      timer,
      // The live stream `serve` follows: begin, batch losses, epoch logs, end.
      new ProgressLog(join(dir, PROGRESS_FILE), ckpt?.fit.epoch ?? 0),
      ...(options.callbacks ?? []),
    );
    if (early) {
      callbacks.push(early);
      if (ckpt) {
        const saved = ckpt;
        const es = early;
        callbacks.push(new CallbackStateRestorer(() => restoreEarlyStopping(saved, es)));
      }
    }
    callbacks.push(keeper);

    const t0 = performance.now();
    trainingStarted = true;
    try {
      await model.fit(xTrain, yTrain, {
        epochs: spec.epochs,
        batchSize: spec.batchSize,
        ...(validationData ? { validationData } : {}),
        ...(spec.validationSplit > 0 ? { validationSplit: spec.validationSplit } : {}),
        callbacks,
        verbose: options.verbose ?? 1,
        state: fitState,
      });
    } catch (e) {
      // Keep the epochs that finished and say why the run ended.
      await saveHistory();
      await status('failed', {
        reason: (e as Error).message,
        checkpoint: await hasCheckpoint(dir),
      });
      throw e;
    }
    if (signal !== null && (fitState.stoppedMidEpoch || epochsDone < spec.epochs)) {
      const started = fitState.started;
      if (started) await checkpoint();
      await saveHistory();
      const err = new TrainInterruptedError(dir, signal, started);
      await status('interrupted', {
        reason: signal,
        checkpoint: started,
        ...(started ? { resume: `mnist-lab train --resume ${dir}` } : {}),
      });
      throw err;
    }
    const trainSeconds = (performance.now() - t0) / 1000;
    const evaluated = model.evaluate(xTest, yTest, { batchSize: 512, verbose: 0 });
    const [testLoss, testAcc] = Array.isArray(evaluated) ? evaluated : [evaluated];
    const test = { loss: testLoss!.item(), accuracy: testAcc?.item() ?? NaN };
    const stoppedEpoch = early && early.stoppedEpoch > 0 ? early.stoppedEpoch + 1 : undefined;

    print(
      `Epoch times: ${timer.seconds.map((s) => `${s.toFixed(2)}s`).join(', ')}  (total ${trainSeconds.toFixed(1)}s)`,
    );
    if (stoppedEpoch !== undefined) print(`Early stopping after epoch ${stoppedEpoch}.`);
    print(
      `Test loss: ${test.loss.toFixed(4)}   Test accuracy: ${(100 * test.accuracy).toFixed(2)}%`,
    );

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
    await saveModel(model, join(dir, 'model'));
    // The test set's per-class scores, confusion matrix and worst mistakes, beside the model.
    const [, imgH, imgW] = ds.test.images.shape;
    const testImages = {
      data: ds.test.images.data.subarray(0, nTest * imgH * imgW),
      shape: [nTest, imgH, imgW] as [number, number, number],
    };
    const evaluation = scoreModel(model, testImages, ds.test.labels.data, classes, {
      dataset: spec.dataset,
      split: 'test',
      classNames: ds.spec.classNames,
    });
    await writeEvaluation(dir, evaluation, testImages, { heading: `Run ${id}` });
    // Only now: metrics.json says the run succeeded, so the model must already be there.
    await writeJson(join(dir, 'metrics.json'), {
      test,
      trainSeconds,
      stoppedEpoch: stoppedEpoch ?? null,
      backend: result.backend,
    });
    await rm(join(dir, CHECKPOINT_DIR), { recursive: true, force: true });
    await status('finished', { epoch: timer.epochs.length });
    print(`Run saved to ${dir}`);
    return result;
  } catch (e) {
    if (!trainingStarted) {
      if (created) {
        // Nothing trained: leave no half-made run behind.
        await lock.release();
        await rm(dir, { recursive: true, force: true });
      } else if (options.resume) {
        await status('interrupted', { reason: (e as Error).message, checkpoint: true }).catch(
          () => {},
        );
      } else {
        await status('failed', { reason: (e as Error).message }).catch(() => {});
      }
    }
    throw e;
  } finally {
    await lock.release();
    if (options.handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
