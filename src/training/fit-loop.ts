import type { Callback, CallbackParams, Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { toCallbacks } from '../callbacks/lambda-callback.js';
import type { Metric } from '../metrics/metric.js';
import { add } from '../ops/binary.js';
import { Random } from '../tensor/random.js';
import { nextSeed } from '../tensor/seed.js';
import { formatShape } from '../tensor/shape.js';
import { backward, noGrad } from '../tensor/tape.js';
import { Tensor } from '../tensor/tensor.js';
import { BufferPool, usePool } from '../tensor/buffer-pool.js';
import { allocateUninitialized } from '../tensor/dtype.js';
import { BatchBuffers, gatherInputs, gatherRows, sampleCount, splitAt } from './batching.js';
import { NonFiniteLossError } from './non-finite-loss-error.js';
import type { CompiledModel, FitArgs, TrainingTarget, YieldEvery } from './types.js';

/** Models inside a fit: a second concurrent fit would interleave steps on the same weights. */
const fitting = new WeakSet<object>();

function checkPositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1)
    throw new RangeError(`${name} must be a whole number >= 1, got ${v}.`);
}

/** TF.js's 'auto' yields at this interval. */
const AUTO_YIELD_MS = 125;

function defaultYieldEvery(): YieldEvery {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return proc?.versions?.node !== undefined ? 'never' : 'auto';
}

/** A macrotask boundary: timers, input and painting get their turn. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Returns a function fit calls after each batch and epoch; it yields as `every` asks. */
function yielder(every: YieldEvery): (atEpochEnd: boolean) => Promise<void> {
  if (typeof every === 'number' && !(every >= 0)) {
    throw new RangeError(`yieldEvery must be a number of milliseconds >= 0, got ${every}.`);
  }
  const ms = every === 'auto' ? AUTO_YIELD_MS : typeof every === 'number' ? every : null;
  let last = performance.now();
  return async (atEpochEnd) => {
    if (every === 'never') return;
    if (every === 'batch' || (every === 'epoch' && atEpochEnd)) return nextTask();
    if (ms !== null && performance.now() - last >= ms) {
      await nextTask();
      last = performance.now();
    }
  };
}

/** Runs the callbacks' hook in order, awaiting async ones. */
async function each(
  callbacks: readonly Callback[],
  fn: (c: Callback) => void | Promise<void>,
): Promise<void> {
  for (const c of callbacks) await fn(c);
}

/**
 * Keras's fit: per-epoch seeded shuffling, mini-batches, one optimizer step per batch, running
 * averages of loss and metrics weighted by batch size, validation at epoch end, callbacks.
 */
export async function fitLoop(
  target: TrainingTarget,
  compiled: CompiledModel,
  x: Tensor | Tensor[],
  y: Tensor,
  args: FitArgs = {},
): Promise<History> {
  if (fitting.has(target)) {
    throw new Error('fit() is already running on this model; await it before starting another.');
  }
  fitting.add(target);
  try {
    return await fitChecked(target, compiled, x, y, args);
  } finally {
    fitting.delete(target);
  }
}

async function fitChecked(
  target: TrainingTarget,
  compiled: CompiledModel,
  x: Tensor | Tensor[],
  y: Tensor,
  args: FitArgs,
): Promise<History> {
  const epochs = args.epochs ?? 1;
  const batchSize = args.batchSize ?? 32;
  const initialEpoch = args.initialEpoch ?? 0;
  const validationFreq = args.validationFreq ?? 1;
  checkPositiveInt('epochs', epochs);
  checkPositiveInt('batchSize', batchSize);
  checkPositiveInt('validationFreq', validationFreq);
  let n = sampleCount(x);
  if (y.shape[0] !== n) {
    throw new Error(`x has ${n} samples but y has ${y.shape[0]} (shape ${formatShape(y.shape)}).`);
  }
  if (n === 0) throw new RangeError('fit() got 0 samples: there is nothing to train on.');
  if (
    args.validationSplit !== undefined &&
    !(args.validationSplit >= 0 && args.validationSplit < 1)
  ) {
    throw new RangeError(`validationSplit must be in [0, 1), got ${args.validationSplit}.`);
  }

  let trainX = x;
  let trainY = y;
  let valData: [Tensor | Tensor[], Tensor] | undefined = args.validationData;
  if (!valData && args.validationSplit !== undefined && args.validationSplit > 0) {
    const f = args.validationSplit;
    const keep = Math.floor(n * (1 - f));
    if (keep === 0 || keep === n) {
      throw new RangeError(
        `validationSplit ${f} of ${n} samples leaves an empty training or validation set.`,
      );
    }
    const split = (t: Tensor): [Tensor, Tensor] => splitAt(t, keep);
    const xs = Array.isArray(x) ? x.map(split) : [split(x as Tensor)];
    const [ty, vy] = split(y);
    trainX = Array.isArray(x) ? xs.map((p) => p[0]) : xs[0]![0];
    trainY = ty;
    valData = [Array.isArray(x) ? xs.map((p) => p[1]) : xs[0]![1], vy];
    n = keep;
  }
  if (valData) {
    const vn = sampleCount(valData[0]);
    if (valData[1].shape[0] !== vn)
      throw new Error(`validationData: x has ${vn} samples but y has ${valData[1].shape[0]}.`);
  }

  const steps = Math.ceil(n / batchSize);
  const verbose = args.verbose ?? 1;
  const metrics = compiled.makeMetrics();
  const history = new History();
  // The progress bar goes before user callbacks, so anything they print starts on a fresh line;
  // History goes last (as in Keras) so it records what callbacks add, e.g. learning_rate.
  const callbacks: Callback[] = [
    ...(verbose > 0 ? [new ProgbarLogger({ verbose: verbose as 1 | 2 })] : []),
    ...toCallbacks(args.callbacks),
    history,
  ];
  const params: CallbackParams = {
    epochs,
    steps,
    samples: n,
    batchSize,
    verbose,
    metrics: ['loss', ...metrics.map((m) => m.name)].flatMap((k) =>
      valData ? [k, `val_${k}`] : [k],
    ),
  };
  for (const c of callbacks) {
    c.setModel(target);
    c.setParams(params);
  }

  const yieldNow = yielder(args.yieldEvery ?? defaultYieldEvery());
  const shuffle = args.shuffle ?? true;
  const shuffler = new Random(nextSeed());
  const state = args.state;
  const resumed = state?.started === true;
  if (state && resumed) {
    if (state.batch > steps) {
      throw new RangeError(`fit state: batch ${state.batch} of an epoch of ${steps} batches.`);
    }
    if (state.batch > 0 && state.metrics.length !== metrics.length) {
      throw new RangeError(
        `fit state: ${state.metrics.length} metric states for ${metrics.length} metrics.`,
      );
    }
    shuffler.setState(state.shuffle!);
  }
  if (state) {
    state.stoppedMidEpoch = false;
    if (!resumed) state.epoch = initialEpoch;
  }
  const weights = target.trainableWeights();
  const pool = new BufferPool();
  const batchBuffers = new BatchBuffers();
  let stepsRun = 0;
  target.stopTraining = false;
  await each(callbacks, (c) => c.onTrainBegin({}));
  let epochLogs: Logs = {};
  try {
    const first = state ? state.epoch : initialEpoch;
    for (let epoch = first; epoch < epochs && !target.stopTraining; epoch++) {
      if (state?.stopRequested) break;
      await each(callbacks, (c) => c.onEpochBegin(epoch, {}));
      const epochStart = shuffler.getState();
      const order = shuffle ? shuffler.permutation(n) : null;
      // A resumed epoch continues from its saved batch with its saved running sums.
      const firstBatch = resumed && epoch === first ? state.batch : 0;
      let lossSum = 0;
      let seen = 0;
      if (firstBatch > 0) {
        metrics.forEach((m, i) => m.setState(state!.metrics[i]!));
        lossSum = state!.lossSum;
        seen = state!.seen;
      } else {
        for (const m of metrics) m.resetState();
      }
      let stoppedMid = false;
      for (let b = firstBatch; b < steps && !target.stopTraining; b++) {
        await each(callbacks, (c) => c.onBatchBegin(b, {}));
        const start = b * batchSize;
        const end = Math.min(n, start + batchSize);
        // Nothing made in the previous step is read any more: its arrays serve this one (as
        // TF.js's fit disposes a step's tensors). A fit's first step runs unpooled, so whatever
        // it builds lazily (weights, optimizer state) is never lent out.
        pool.recycle();
        const xb = gatherInputs(trainX, order, start, end, batchBuffers);
        const yb = gatherRows(trainY, order, start, end, batchBuffers);
        const step = (): number => {
          const { loss: value, yPred } = trainStep(target, compiled, xb, yb, weights);
          noGrad(() => {
            for (const m of metrics) m.updateState(yb, yPred);
          });
          return value;
        };
        const value = stepsRun++ > 0 ? usePool(pool, step) : step();
        const count = end - start;
        lossSum += value * count;
        seen += count;
        const batchLogs = collect(lossSum / seen, metrics);
        if (state) {
          Object.assign(state, { epoch, batch: b + 1, shuffle: epochStart, lossSum, seen });
          state.metrics = metrics.map((m) => m.getState());
        }
        await each(callbacks, (c) => c.onBatchEnd(b, batchLogs));
        // The step was not applied; unless a callback (TerminateOnNaN) ended training, fail.
        if (!Number.isFinite(value) && !target.stopTraining) {
          throw new NonFiniteLossError(epoch, b, value);
        }
        await yieldNow(false);
        if (state?.stopRequested && b + 1 < steps) {
          stoppedMid = true;
          break;
        }
      }
      if (stoppedMid) {
        state!.stoppedMidEpoch = true;
        break;
      }
      epochLogs = collect(lossSum / Math.max(1, seen), metrics);
      if (valData && (epoch + 1 - initialEpoch) % validationFreq === 0) {
        const val = evaluateLoop(target, compiled, valData[0], valData[1], { batchSize });
        for (const [k, v] of Object.entries(val)) epochLogs[`val_${k}`] = v;
      }
      if (state) {
        Object.assign(state, { epoch: epoch + 1, batch: 0, shuffle: shuffler.getState() });
        Object.assign(state, { lossSum: 0, seen: 0, metrics: [] });
      }
      await each(callbacks, (c) => c.onEpochEnd(epoch, epochLogs));
      await yieldNow(true);
    }
  } finally {
    for (const w of weights) w.grad = null;
    await each(callbacks, (c) => c.onTrainEnd(epochLogs));
  }
  return history;
}

/**
 * One optimizer step on one batch (Keras `train_on_batch`): forward in training mode, loss plus
 * regularisation, backward, update. A non-finite loss is returned without applying the step.
 */
export function trainStep(
  target: TrainingTarget,
  compiled: CompiledModel,
  xb: Tensor | Tensor[],
  yb: Tensor,
  weights = target.trainableWeights(),
): { loss: number; yPred: Tensor } {
  const yPred = target.forward(xb, true);
  let loss = compiled.loss(yb, yPred);
  const reg = target.regularizationLoss();
  if (reg) loss = add(loss, reg);
  const value = loss.item();
  if (!Number.isFinite(value)) return { loss: value, yPred };
  backward(loss);
  compiled.optimizer.applyGradients(weights);
  return { loss: value, yPred };
}

function collect(loss: number, metrics: readonly Metric[]): Logs {
  const logs: Logs = { loss };
  for (const m of metrics) logs[m.name] = m.result();
  return logs;
}

/**
 * Runs `step` on every batch of x's rows in order, in inference mode (no gradients), for evaluate
 * and predict: each batch's inputs are copied into arrays reused from batch to batch, and every
 * tensor a step makes comes from a buffer pool recycled at the next batch, so a pass over a
 * dataset allocates (and page-faults in) its working memory once instead of per batch. The first
 * batch runs unpooled, as a fit's first step does, so whatever a model builds lazily (weights,
 * caches) is never lent out. `step` must copy out what it keeps of the batch's tensors.
 */
export function forEachBatch(
  x: Tensor | Tensor[],
  n: number,
  batchSize: number,
  step: (xb: Tensor | Tensor[], start: number, end: number) => void,
): void {
  const pool = new BufferPool();
  const buffers = new BatchBuffers();
  noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      pool.recycle();
      const xb = gatherInputs(x, null, start, end, buffers);
      if (start === 0) step(xb, start, end);
      else usePool(pool, () => step(xb, start, end));
    }
  });
}

/** Keras's evaluate: loss and metrics over all samples, in batches, without gradients. */
export function evaluateLoop(
  target: TrainingTarget,
  compiled: CompiledModel,
  x: Tensor | Tensor[],
  y: Tensor,
  args: { batchSize?: number; onBatchEnd?: (batch: number, logs: Logs) => void } = {},
): Logs {
  const batchSize = args.batchSize ?? 32;
  checkPositiveInt('batchSize', batchSize);
  const n = sampleCount(x);
  if (y.shape[0] !== n) throw new Error(`x has ${n} samples but y has ${y.shape[0]}.`);
  const metrics = compiled.makeMetrics();
  const yBuffers = new BatchBuffers();
  let lossSum = 0;
  forEachBatch(x, n, batchSize, (xb, start, end) => {
    const yb = gatherRows(y, null, start, end, yBuffers);
    const yPred = target.forward(xb, false);
    let loss = compiled.loss(yb, yPred);
    const reg = target.regularizationLoss();
    if (reg) loss = add(loss, reg);
    lossSum += loss.item() * (end - start);
    for (const m of metrics) m.updateState(yb, yPred);
    args.onBatchEnd?.(start / batchSize, collect(lossSum / end, metrics));
  });
  return collect(lossSum / Math.max(1, n), metrics);
}

/** Keras's predict: the outputs for all samples, computed in batches, concatenated. */
export function predictLoop(
  target: TrainingTarget,
  x: Tensor | Tensor[],
  args: { batchSize?: number } = {},
): Tensor {
  const n = sampleCount(x);
  return predictBatches(x, n, args.batchSize ?? 32, (xb) => [target.forward(xb, false)])[0]!;
}

/**
 * The outputs of `forward` over every batch of x, each output's batches copied into one tensor
 * of n rows as they come (see forEachBatch).
 */
export function predictBatches(
  x: Tensor | Tensor[],
  n: number,
  batchSize: number,
  forward: (xb: Tensor | Tensor[]) => Tensor[],
): Tensor[] {
  checkPositiveInt('batchSize', batchSize);
  let outs: Tensor[] | null = null;
  forEachBatch(x, n, batchSize, (xb, start, end) => {
    const ys = forward(xb);
    // Made on the first (unpooled) batch, so the result arrays are the caller's own.
    outs ??= ys.map((t) => {
      const row = t.shape[0]! === 0 ? 0 : t.size / t.shape[0]!;
      return new Tensor(allocateUninitialized(t.dtype, n * row), [n, ...t.shape.slice(1)]);
    });
    ys.forEach((t, k) => {
      const out = outs![k]!;
      const row = out.size / n;
      if (t.shape[0] !== end - start || t.size !== (end - start) * row) {
        throw new Error(
          `predict(): the model gave an output of shape ${formatShape(t.shape)} for a batch of ${end - start} samples; outputs need one row per sample, of ${row} values.`,
        );
      }
      out.values.set(t.values, start * row);
    });
  });
  if (!outs) throw new Error('predict() needs at least one sample.');
  return outs;
}
