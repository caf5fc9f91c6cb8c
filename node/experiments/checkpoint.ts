import { createHash } from 'node:crypto';
import { lstat, mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EarlyStopping } from '../../src/callbacks/early-stopping.js';
import type { ReduceLROnPlateau } from '../../src/callbacks/reduce-lr-on-plateau.js';
import type { Layer } from '../../src/layers/index.js';
import type { Model } from '../../src/models/index.js';
import type { NamedTensor } from '../../src/optimizers/index.js';
import type { DType } from '../../src/tensor/dtype.js';
import { shapesEqual } from '../../src/tensor/shape.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { FitState, type FitPosition } from '../../src/training/fit-state.js';
import { writeFileAtomic } from '../fs/write-atomic.js';

/**
 * A run's checkpoint: checkpoint/state.json (where training is: fit position, history, RNG and
 * callback state, and a table of tensors) and checkpoint/tensors-<epoch>-<batch>.bin (model
 * weights, optimizer slots and step count, EarlyStopping's best weights, back to back). The
 * tensors file is written first under a new name, then state.json replaces the old one: a kill
 * at any moment leaves a state.json whose tensors file is complete.
 */
export const CHECKPOINT_DIR = 'checkpoint';
const STATE_JSON = 'state.json';
const FORMAT = 'mnist-lab-checkpoint';
const VERSION = 1;
const TENSORS_FILE = /^tensors-\d{1,9}-\d{1,9}\.bin$/;
/** Bounds checked before reading: no run of this project comes near them. */
const MAX_STATE_BYTES = 16 << 20;
const MAX_TENSORS_BYTES = 4 * 2 ** 30;
const MAX_TENSORS = 100_000;
const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };

export interface CheckpointHistory {
  epoch: number[];
  history: Record<string, number[]>;
  epochSeconds: number[];
}

interface EarlyStoppingState {
  wait: number;
  stoppedEpoch: number;
  bestEpoch: number;
  /** JSON has no infinities: ±Infinity as strings. */
  best: number | 'Infinity' | '-Infinity' | null;
  bestWeights: number;
}

/** ReduceLROnPlateau's counters and the rate it has set (the optimizer's, which it owns). */
interface ReduceLrState {
  wait: number;
  cooldownCounter: number;
  best: number | 'Infinity' | '-Infinity';
  learningRate: number;
}

interface TensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
  offset: number;
  byteLength: number;
}

interface CheckpointFile {
  format: typeof FORMAT;
  version: typeof VERSION;
  savedAt: string;
  fit: FitPosition;
  history: CheckpointHistory;
  /** Every random layer's stream (Dropout, augmentation layers), by layer name. */
  dropout: Record<string, number[]>;
  earlyStopping: EarlyStoppingState | null;
  /** Absent in checkpoints written before it was kept: read as null. */
  reduceLrOnPlateau?: ReduceLrState | null;
  tensorsFile: string;
  tensorsBytes: number;
  sha256: string;
  tensors: TensorEntry[];
}

export interface CheckpointParts {
  model: Model;
  fit: FitState;
  history: CheckpointHistory;
  earlyStopping?: EarlyStopping;
  reduceLrOnPlateau?: ReduceLROnPlateau;
}

/** A layer that draws random numbers in training: Dropout, the augmentation layers. */
interface RandomLayer {
  name: string;
  getRandomState(): number[];
  setRandomState(state: readonly number[]): void;
}

/** The model's layers that own a random stream (resumed, they must draw what they would have). */
function randomLayers(model: Model): RandomLayer[] {
  return (model.layers as Layer[]).filter(
    (l): l is Layer & RandomLayer =>
      typeof (l as Partial<RandomLayer>).getRandomState === 'function' &&
      typeof (l as Partial<RandomLayer>).setRandomState === 'function',
  );
}

/** JSON has no infinities: ±Infinity as strings. */
function finiteOrName(x: number): number | 'Infinity' | '-Infinity' {
  return x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : x;
}

function fromFiniteOrName(x: number | 'Infinity' | '-Infinity'): number {
  return x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : x;
}

/** Writes the checkpoint of a run folder (see CHECKPOINT_DIR). */
export async function writeCheckpoint(runDir: string, parts: CheckpointParts): Promise<void> {
  const dir = join(runDir, CHECKPOINT_DIR);
  await mkdir(dir, { recursive: true });
  const { model, fit, history, earlyStopping: early, reduceLrOnPlateau: plateau } = parts;
  const named: NamedTensor[] = [
    ...model.weights.map((w) => ({ name: `model/${w.name}`, tensor: w as Tensor })),
    ...model.optimizer.getWeights().map((w) => ({ name: `optimizer/${w.name}`, tensor: w.tensor })),
    ...(early?.bestWeights ?? []).map((data, i) => ({
      name: `best/${i}`,
      tensor: new Tensor(data, [data.length]),
    })),
  ];
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const { name, tensor } of named) {
    const byteLength = tensor.values.byteLength;
    tensors.push({ name, dtype: tensor.dtype, shape: [...tensor.shape], offset, byteLength });
    offset += byteLength;
  }
  const bin = new Uint8Array(offset);
  named.forEach(({ tensor }, i) => {
    const d = tensor.values;
    bin.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), tensors[i]!.offset);
  });
  const dropout: Record<string, number[]> = {};
  for (const layer of randomLayers(model)) dropout[layer.name] = layer.getRandomState();
  const tensorsFile = `tensors-${fit.epoch}-${fit.batch}.bin`;
  await writeFileAtomic(join(dir, tensorsFile), bin);
  const best = early?.best ?? null;
  const state: CheckpointFile = {
    format: FORMAT,
    version: VERSION,
    savedAt: new Date().toISOString(),
    fit: fit.toJSON(),
    history,
    dropout,
    earlyStopping: early
      ? {
          wait: early.wait,
          stoppedEpoch: early.stoppedEpoch,
          bestEpoch: early.bestEpoch,
          best: best === null ? null : finiteOrName(best),
          bestWeights: early.bestWeights?.length ?? 0,
        }
      : null,
    reduceLrOnPlateau: plateau
      ? {
          wait: plateau.wait,
          cooldownCounter: plateau.cooldownCounter,
          best: finiteOrName(plateau.best),
          learningRate: model.optimizer.learningRate,
        }
      : null,
    tensorsFile,
    tensorsBytes: bin.byteLength,
    sha256: createHash('sha256').update(bin).digest('hex'),
    tensors,
  };
  await writeFileAtomic(join(dir, STATE_JSON), `${JSON.stringify(state)}\n`);
  // Older tensors files (and temp files of a writer that was killed) are no longer referenced.
  for (const name of await readdir(dir)) {
    if (name !== STATE_JSON && name !== tensorsFile) await rm(join(dir, name), { force: true });
  }
}

/** A checkpoint read back and checked: ready to restore into a freshly built model. */
export interface Checkpoint {
  fit: FitState;
  history: CheckpointHistory;
  dropout: Record<string, number[]>;
  earlyStopping: EarlyStoppingState | null;
  reduceLrOnPlateau: ReduceLrState | null;
  tensors: Map<string, Tensor>;
}

export class CheckpointError extends Error {}

/** Whether the run folder has a checkpoint (state.json) at all. */
export async function hasCheckpoint(runDir: string): Promise<boolean> {
  return lstat(join(runDir, CHECKPOINT_DIR, STATE_JSON)).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Reads a regular file of at most `max` bytes, refusing links, FIFOs and devices. */
async function readBounded(path: string, max: number, expect?: number): Promise<Buffer> {
  const fail = (why: string): never => {
    throw new CheckpointError(`${path}: ${why}`);
  };
  const st = await lstat(path).catch(() => fail('is missing'));
  if (!st.isFile()) fail('is not a regular file');
  if (st.size > max) fail(`is ${st.size} bytes, more than the ${max} a checkpoint may hold`);
  if (expect !== undefined && st.size !== expect) {
    fail(`is ${st.size} bytes, but state.json says ${expect} (a partial or foreign file)`);
  }
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(st.size);
    const { bytesRead } = await handle.read(buf, 0, st.size, 0);
    if (bytesRead !== st.size) fail('changed while being read');
    return buf;
  } finally {
    await handle.close();
  }
}

/** Reads and checks a run's checkpoint: sizes before reading, names, shapes and the checksum. */
export async function readCheckpoint(runDir: string): Promise<Checkpoint> {
  const dir = join(runDir, CHECKPOINT_DIR);
  const statePath = join(dir, STATE_JSON);
  const text = (await readBounded(statePath, MAX_STATE_BYTES)).toString('utf8');
  const bad = (field: string, want: string): never => {
    throw new CheckpointError(`${statePath}: '${field}' must be ${want}.`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`${statePath} is not valid JSON (${(e as Error).message}).`);
  }
  const s = (raw ?? {}) as Partial<CheckpointFile>;
  if (s.format !== FORMAT) bad('format', `'${FORMAT}'`);
  if (s.version !== VERSION) bad('version', String(VERSION));
  if (typeof s.tensorsFile !== 'string' || !TENSORS_FILE.test(s.tensorsFile)) {
    bad('tensorsFile', 'a file name like tensors-3-0.bin');
  }
  const size = s.tensorsBytes;
  if (
    typeof size !== 'number' ||
    !Number.isSafeInteger(size) ||
    size < 0 ||
    size > MAX_TENSORS_BYTES
  ) {
    bad('tensorsBytes', `a byte count up to ${MAX_TENSORS_BYTES}`);
  }
  if (!Array.isArray(s.tensors) || s.tensors.length > MAX_TENSORS) bad('tensors', 'a list');
  let offset = 0;
  const seen = new Set<string>();
  for (const [i, t] of (s.tensors as Partial<TensorEntry>[]).entries()) {
    const where = `tensors[${i}]`;
    if (typeof t?.name !== 'string' || t.name.length > 512 || seen.has(t.name)) {
      bad(`${where}.name`, 'a unique name');
    }
    seen.add(t.name!);
    if (typeof t.dtype !== 'string' || !Object.hasOwn(BYTES, t.dtype)) {
      bad(`${where}.dtype`, 'float32, float64 or int32');
    }
    if (
      !Array.isArray(t.shape) ||
      t.shape.length > 8 ||
      !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)
    ) {
      bad(`${where}.shape`, 'a list of whole numbers');
    }
    const count = t.shape!.reduce((a, b) => a * b, 1);
    if (t.offset !== offset || t.byteLength !== count * BYTES[t.dtype!]) {
      bad(`${where}`, `the next ${count * BYTES[t.dtype!]} bytes at offset ${offset}`);
    }
    offset += t.byteLength!;
  }
  if (offset !== size) bad('tensorsBytes', `the sum of the tensors' sizes (${offset})`);
  const fit = FitState.fromJSON(s.fit, `${statePath}: fit`);
  if (!fit.started) bad('fit.shuffle', 'set');
  const h = (s.history ?? {}) as Partial<CheckpointHistory>;
  const isNumbers = (x: unknown): x is number[] =>
    Array.isArray(x) && x.every((v) => typeof v === 'number');
  if (
    !isNumbers(h.epoch) ||
    !isNumbers(h.epochSeconds) ||
    typeof h.history !== 'object' ||
    h.history === null ||
    !Object.values(h.history).every(isNumbers)
  ) {
    bad('history', '{ epoch, history, epochSeconds } lists of numbers');
  }
  const dropout = s.dropout;
  if (typeof dropout !== 'object' || dropout === null || !Object.values(dropout).every(isNumbers)) {
    bad('dropout', 'layer names mapped to stream states');
  }
  const es = s.earlyStopping;
  if (es !== null && (typeof es !== 'object' || !Number.isSafeInteger(es?.bestWeights))) {
    bad('earlyStopping', 'null or its state');
  }
  const rl = s.reduceLrOnPlateau ?? null;
  const isCount = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;
  if (
    rl !== null &&
    (typeof rl !== 'object' ||
      !isCount(rl.wait) ||
      !isCount(rl.cooldownCounter) ||
      !(typeof rl.best === 'number' || rl.best === 'Infinity' || rl.best === '-Infinity') ||
      typeof rl.learningRate !== 'number' ||
      !(rl.learningRate > 0) ||
      !Number.isFinite(rl.learningRate))
  ) {
    bad('reduceLrOnPlateau', 'null or its state (wait, cooldownCounter, best, learningRate > 0)');
  }

  const bin = await readBounded(join(dir, s.tensorsFile!), MAX_TENSORS_BYTES, size);
  if (createHash('sha256').update(bin).digest('hex') !== s.sha256) {
    throw new CheckpointError(
      `${join(dir, s.tensorsFile!)} does not match the checksum in state.json (corrupted).`,
    );
  }
  const tensors = new Map<string, Tensor>();
  for (const t of s.tensors as TensorEntry[]) {
    // Copied out so every array is aligned for its element type.
    const bytes = bin.subarray(t.offset, t.offset + t.byteLength);
    const copy = new Uint8Array(bytes).buffer;
    const data =
      t.dtype === 'float64'
        ? new Float64Array(copy)
        : t.dtype === 'int32'
          ? new Int32Array(copy)
          : new Float32Array(copy);
    tensors.set(t.name, new Tensor(data, t.shape));
  }
  return {
    fit,
    history: h as CheckpointHistory,
    dropout: dropout as Record<string, number[]>,
    earlyStopping: es ?? null,
    reduceLrOnPlateau: rl,
    tensors,
  };
}

/**
 * Puts a checkpoint into a model built and compiled from the run's config: weights (every one,
 * by name and shape), optimizer state, the random layers' streams (Dropout, augmentation). EarlyStopping's state is restored by
 * the callback `earlyStoppingRestorer` returns, after the fit has reset it.
 */
export function restoreCheckpoint(ckpt: Checkpoint, model: Model, where: string): void {
  const fail = (why: string): never => {
    throw new CheckpointError(`${where}: ${why}; it was not written for this model.`);
  };
  const names = new Set<string>();
  for (const w of model.weights) {
    const name = `model/${w.name}`;
    names.add(name);
    const t = ckpt.tensors.get(name) ?? fail(`weight '${w.name}' is missing`);
    if (!shapesEqual(t.shape, w.shape) || t.dtype !== w.dtype) {
      fail(
        `weight '${w.name}' has shape [${t.shape.join(', ')}], the model's is [${w.shape.join(', ')}]`,
      );
    }
  }
  for (const name of ckpt.tensors.keys()) {
    if (name.startsWith('model/') && !names.has(name))
      fail(`it holds an unknown weight '${name.slice(6)}'`);
  }
  const dropouts = randomLayers(model);
  if (dropouts.length !== Object.keys(ckpt.dropout).length) fail('its random layers differ');
  for (const d of dropouts) {
    if (!Object.hasOwn(ckpt.dropout, d.name)) fail(`random layer '${d.name}' is missing`);
  }
  const optimizer = [...ckpt.tensors]
    .filter(([name]) => name.startsWith('optimizer/'))
    .map(([name, tensor]) => ({ name: name.slice('optimizer/'.length), tensor }));
  try {
    model.optimizer.setWeights(optimizer);
    for (const d of dropouts) d.setRandomState(ckpt.dropout[d.name]!);
  } catch (e) {
    fail((e as Error).message);
  }
  for (const w of model.weights) w.assign(ckpt.tensors.get(`model/${w.name}`)!);
}

/** EarlyStopping's saved state, to apply after fit's onTrainBegin has reset it. */
export function restoreEarlyStopping(ckpt: Checkpoint, early: EarlyStopping): void {
  const es = ckpt.earlyStopping;
  if (!es) return;
  early.wait = es.wait;
  early.stoppedEpoch = es.stoppedEpoch;
  early.bestEpoch = es.bestEpoch;
  early.best = es.best === null ? null : fromFiniteOrName(es.best);
  early.bestWeights =
    es.bestWeights > 0
      ? Array.from({ length: es.bestWeights }, (_, i) => {
          const t = ckpt.tensors.get(`best/${i}`);
          if (!t || t.dtype !== 'float32') {
            throw new CheckpointError(`checkpoint: EarlyStopping's best weight ${i} is missing.`);
          }
          return t.values as Float32Array;
        })
      : null;
}

/**
 * ReduceLROnPlateau's saved counters and the learning rate it had set, to apply after fit's
 * onTrainBegin has reset it. A checkpoint without them (written by a run that did not use the
 * callback) cannot continue one that does.
 */
export function restoreReduceLrOnPlateau(ckpt: Checkpoint, plateau: ReduceLROnPlateau): void {
  const rl = ckpt.reduceLrOnPlateau;
  if (!rl) {
    throw new CheckpointError(
      "checkpoint: it holds no ReduceLROnPlateau state; it was not written by this run's settings.",
    );
  }
  plateau.wait = rl.wait;
  plateau.cooldownCounter = rl.cooldownCounter;
  plateau.best = fromFiniteOrName(rl.best);
  const opt = plateau.model?.optimizer;
  if (!opt)
    throw new CheckpointError('checkpoint: ReduceLROnPlateau has no model to restore into.');
  opt.learningRate = rl.learningRate;
}
