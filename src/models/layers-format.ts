// TF.js's Layers model format (model.json + binary weight shards), the format `model.save`
// writes, and the checks that make a model.json from a stranger safe to load: everything is
// validated against limits before a byte of weights is allocated. Browser-safe: the Node entry
// adds files and URLs around it (node/models).
import { withWeightBudget } from '../layers/layer.js';
import { getLoss } from '../losses/index.js';
import { getMetric } from '../metrics/index.js';
import type { NamedTensor } from '../optimizers/optimizer.js';
import { getOptimizer } from '../optimizers/index.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { TrainingConfig } from './compile-args.js';
import {
  checkName,
  isPrototypeName,
  topologyFromKeras,
  topologyToKeras,
  TopologyError,
  type Topology,
} from './keras-json.js';
import type { Model } from './model.js';

export { TopologyError } from './keras-json.js';

export const LAYERS_MODEL_FORMAT = 'layers-model';
/** TF.js's converter writes 4 MB shards; so do we (a page fetches them in parallel). */
export const SHARD_BYTES = 4 * 1024 * 1024;
/** The version-1 format of mnist-lab 0.1 (read-only now). */
export const LEGACY_FORMAT = 'mnist-lab-model';
/** Default cap on a model's weights (all shards together). */
export const DEFAULT_MAX_WEIGHT_BYTES = 1024 * 1024 * 1024;

export interface Quantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
}

/** One weight of a manifest group, as TF.js writes it. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  /** 'optimizer' for optimizer state (TF.js's `includeOptimizer`). */
  group?: string;
  quantization?: Quantization;
}

export interface WeightsGroup {
  /** Shard files, relative to model.json; their bytes concatenated hold `weights` in order. */
  paths: string[];
  weights: WeightSpec[];
}

/** What only mnist-lab reads: the exact training config and a checksum per shard. */
export interface MnistLabExtra {
  formatVersion: 2;
  trainingConfig: TrainingConfig | null;
  /** CRC-32 (IEEE) of each shard, in manifest order. */
  weightsCrc32: number[];
}

export interface LayersModelJson {
  format: typeof LAYERS_MODEL_FORMAT;
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: Record<string, unknown> | null;
  weightsManifest: WeightsGroup[];
  /** TF.js's spelling of compile()'s arguments; TF.js compiles the model with it on load. */
  trainingConfig?: Record<string, unknown>;
  mnistLab: MnistLabExtra;
}

export interface ModelLimits {
  /** Largest total of weight bytes accepted (default 1 GiB). */
  maxWeightBytes?: number;
}

/** A weight as checked: where its bytes are in its group and how to decode them. */
export interface CheckedWeight extends WeightSpec {
  offset: number;
  byteLength: number;
  size: number;
}

/** A model.json that passed every check: the files to read and the bytes each must hold. */
export interface CheckedModelJson {
  /** 'layers-model' (TF.js, Keras converter, this library) or 'legacy' (version 1). */
  kind: 'layers-model' | 'legacy';
  topology: Topology | null;
  groups: { paths: string[]; byteLength: number; weights: CheckedWeight[] }[];
  trainingConfig: TrainingConfig | null;
  /** CRC-32 per path (all groups, in order) when the writer recorded them. */
  crc32: number[] | null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

function checkShape(v: unknown, field: string): number[] {
  if (!Array.isArray(v) || v.length > 8) {
    throw new TopologyError(
      field,
      `must be a list of at most 8 sizes, got ${JSON.stringify(v)?.slice(0, 60)}.`,
    );
  }
  return v.map((d, i) => {
    if (!Number.isSafeInteger(d) || (d as number) < 0 || (d as number) > 2 ** 31) {
      throw new TopologyError(
        `${field}[${i}]`,
        `must be a non-negative integer, got ${JSON.stringify(d)}.`,
      );
    }
    return d as number;
  });
}

/** A weight-file path: relative, inside the model's folder, nothing that could point elsewhere. */
export function checkWeightPath(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 1024) {
    throw new TopologyError(field, 'must be a file name relative to model.json.');
  }
  const p = v.startsWith('./') ? v.slice(2) : v;
  if (
    p.startsWith('/') ||
    p.includes('\\') ||
    p.includes('\0') ||
    /^[a-z][a-z0-9+.-]*:/i.test(p) ||
    p.split('/').some((s) => s === '..' || s === '.' || s === '')
  ) {
    throw new TopologyError(
      field,
      `'${v}' is not allowed: weight files must be named relative to model.json, inside its folder (no '..', no absolute path, no URL).`,
    );
  }
  return p;
}

function checkTrainingConfig(v: unknown, field: string): TrainingConfig | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) throw new TopologyError(field, 'must be an object.');
  const opt = v['optimizer'];
  if (!isObject(opt)) throw new TopologyError(`${field}.optimizer`, 'must be an object.');
  checkName(opt['className'], `${field}.optimizer.className`);
  if (opt['config'] !== undefined && !isObject(opt['config'])) {
    throw new TopologyError(`${field}.optimizer.config`, 'must be an object.');
  }
  const loss = v['loss'];
  if (typeof loss === 'string') checkName(loss, `${field}.loss`);
  else if (isObject(loss)) checkName(loss['className'], `${field}.loss.className`);
  else throw new TopologyError(`${field}.loss`, 'must be a loss name.');
  const metrics = v['metrics'] ?? [];
  if (!Array.isArray(metrics)) throw new TopologyError(`${field}.metrics`, 'must be a list.');
  metrics.forEach((m, i) => checkName(m, `${field}.metrics[${i}]`));
  return v as unknown as TrainingConfig;
}

// TF.js / Keras optimizer classes and config keys that differ from ours.
const FROM_TFJS_OPTIMIZER: Record<
  string,
  (c: Record<string, unknown>) => [string, Record<string, unknown>]
> = {
  Momentum: (c) => [
    'SGD',
    {
      learningRate: c['learningRate'] ?? c['learning_rate'],
      momentum: c['momentum'],
      nesterov: c['useNesterov'] ?? c['use_nesterov'] ?? false,
    },
  ],
  RMSProp: (c) => {
    const { decay, ...rest } = c;
    return ['RMSprop', { ...rest, ...(decay !== undefined ? { rho: decay } : {}) }];
  },
};

/** TF.js's / Keras's `training_config` in ours; null when it names something we lack. */
function trainingConfigFromKeras(v: unknown, field: string): TrainingConfig | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) throw new TopologyError(field, 'must be an object.');
  const oc = v['optimizer_config'];
  if (!isObject(oc)) throw new TopologyError(`${field}.optimizer_config`, 'must be an object.');
  let className = checkName(oc['class_name'], `${field}.optimizer_config.class_name`);
  const raw = isObject(oc['config']) ? oc['config'] : {};
  let config: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(raw)) {
    checkName(k, `${field}.optimizer_config.config`);
    // TF.js writes epsilon null for "the backend's"; Keras 2 writes decay 0 (no decay).
    if (value === null || (k === 'decay' && value === 0 && className !== 'RMSProp')) continue;
    config[k] = value;
  }
  if (Object.hasOwn(FROM_TFJS_OPTIMIZER, className))
    [className, config] = FROM_TFJS_OPTIMIZER[className]!(config);
  const loss = v['loss'];
  if (typeof loss !== 'string') return null; // per-output losses: multi-output models only
  const metrics = Array.isArray(v['metrics']) ? v['metrics'] : [];
  metrics.forEach((m, i) => checkName(m, `${field}.metrics[${i}]`));
  return {
    optimizer: { className, config: config as TrainingConfig['optimizer']['config'] & object },
    loss: checkName(loss, `${field}.loss`),
    metrics: metrics as string[],
  };
}

/** Checks one manifest and lays out its groups; sums are checked against `limit` as they grow. */
function checkManifest(
  manifest: unknown,
  field: string,
  limit: number,
): CheckedModelJson['groups'] {
  if (!Array.isArray(manifest)) throw new TopologyError(field, 'must be a list of weight groups.');
  if (manifest.length > 10_000) throw new TopologyError(field, 'has too many groups.');
  const names = new Set<string>();
  let total = 0;
  return manifest.map((g, gi) => {
    const gf = `${field}[${gi}]`;
    if (!isObject(g)) throw new TopologyError(gf, 'must be an object with paths and weights.');
    if (!Array.isArray(g['paths']) || g['paths'].length > 10_000)
      throw new TopologyError(`${gf}.paths`, 'must be a list of file names.');
    if (!Array.isArray(g['weights']) || g['weights'].length > 100_000)
      throw new TopologyError(`${gf}.weights`, 'must be a list.');
    const paths = g['paths'].map((p, i) => checkWeightPath(p, `${gf}.paths[${i}]`));
    let offset = 0;
    const weights = g['weights'].map((w, wi): CheckedWeight => {
      const wf = `${gf}.weights[${wi}]`;
      if (!isObject(w))
        throw new TopologyError(wf, 'must be an object with name, shape and dtype.');
      const name = checkName(w['name'], `${wf}.name`);
      if (names.has(name)) throw new TopologyError(`${wf}.name`, `'${name}' appears twice.`);
      names.add(name);
      const shape = checkShape(w['shape'], `${wf}.shape`);
      const dtype = w['dtype'];
      if (dtype !== 'float32' && dtype !== 'int32') {
        throw new TopologyError(
          `${wf}.dtype`,
          `${JSON.stringify(dtype)} is not supported (float32, or int32 for a step count).`,
        );
      }
      const group = w['group'];
      if (group !== undefined && group !== null && typeof group !== 'string')
        throw new TopologyError(`${wf}.group`, 'must be a string.');
      let quantization: Quantization | undefined;
      let bytesPer = 4;
      if (w['quantization'] !== undefined && w['quantization'] !== null) {
        const q = w['quantization'];
        if (!isObject(q) || !['uint8', 'uint16', 'float16'].includes(q['dtype'] as string)) {
          throw new TopologyError(
            `${wf}.quantization`,
            'must be { dtype: uint8 | uint16 | float16, scale, min }.',
          );
        }
        if (
          q['dtype'] !== 'float16' &&
          !(Number.isFinite(q['scale']) && Number.isFinite(q['min']))
        ) {
          throw new TopologyError(`${wf}.quantization`, 'needs finite scale and min.');
        }
        quantization = q as unknown as Quantization;
        bytesPer = BYTES[quantization.dtype]!;
      }
      const size = shape.reduce((a, b) => a * b, 1);
      const byteLength = size * bytesPer;
      total += byteLength;
      if (total > limit) {
        throw new TopologyError(
          `${wf}.shape`,
          `${formatShape(shape)} takes the weights past the limit of ${limit} bytes (maxWeightBytes).`,
        );
      }
      const spec: CheckedWeight = { name, shape, dtype, offset, byteLength, size };
      if (typeof group === 'string') spec.group = group;
      if (quantization) spec.quantization = quantization;
      offset += byteLength;
      return spec;
    });
    if (weights.length > 0 && paths.length === 0)
      throw new TopologyError(`${gf}.paths`, 'is empty, but the group has weights.');
    return { paths, byteLength: offset, weights };
  });
}

/** Version 1 (mnist-lab 0.1): one weights file, manifest entries with offsets. */
function checkLegacy(json: Record<string, unknown>, limit: number): CheckedModelJson {
  if (json['version'] !== 1) {
    throw new TopologyError(
      'version',
      `format version ${String(json['version'])} is not supported (this mnist-lab reads version 1 and TF.js's layers-model).`,
    );
  }
  const file = checkWeightPath(json['weightsFile'], 'weightsFile');
  const manifest = json['weightsManifest'];
  if (!Array.isArray(manifest)) throw new TopologyError('weightsManifest', 'must be a list.');
  const [group] = checkManifest(
    [
      {
        paths: [file],
        weights: manifest.map((w) =>
          isObject(w) ? { ...w, offset: undefined, byteLength: undefined } : w,
        ),
      },
    ],
    'weightsManifest',
    limit,
  );
  manifest.forEach((w, i) => {
    const c = group!.weights[i]!;
    if (w.offset !== c.offset || w.byteLength !== c.byteLength) {
      throw new TopologyError(
        `weightsManifest[${i}]`,
        `offset ${String(w.offset)} / byteLength ${String(w.byteLength)} disagree with the shapes (expected ${c.offset} / ${c.byteLength}).`,
      );
    }
  });
  if (json['weightsByteLength'] !== group!.byteLength) {
    throw new TopologyError(
      'weightsByteLength',
      `${String(json['weightsByteLength'])} does not match the manifest's ${group!.byteLength} bytes.`,
    );
  }
  const topo = json['modelTopology'];
  if (
    topo !== null &&
    !(isObject(topo) && typeof topo['className'] === 'string' && isObject(topo['config']))
  ) {
    throw new TopologyError('modelTopology', 'must be { className, config } or null.');
  }
  if (isObject(topo)) checkOwnTopologyNames(topo, 'modelTopology');
  const crc = json['weightsCrc32'];
  return {
    kind: 'legacy',
    topology: (topo as Topology | null) ?? null,
    groups: [group!],
    trainingConfig: checkTrainingConfig(json['trainingConfig'], 'trainingConfig'),
    crc32: typeof crc === 'number' ? [crc >>> 0] : null,
  };
}

/** Class names in our own (version 1) topology must not be prototype keys either. */
function checkOwnTopologyNames(v: unknown, field: string): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => checkOwnTopologyNames(x, `${field}[${i}]`));
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (isPrototypeName(k)) throw new TopologyError(field, `key '${k}' is not allowed.`);
      if ((k === 'className' || k === 'activation' || k === 'name') && typeof x === 'string')
        checkName(x, `${field}.${k}`);
      checkOwnTopologyNames(x, `${field}.${k}`);
    }
  }
}

/**
 * Checks a parsed model.json (TF.js Layers format, the Keras converter's, or our version 1)
 * without allocating weights: structure, names, shapes and byte totals within `limits`.
 */
export function checkModelJson(json: unknown, limits: ModelLimits = {}): CheckedModelJson {
  const limit = limits.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  if (!isObject(json)) throw new TopologyError('(top level)', 'must be a JSON object.');
  for (const k of Object.keys(json))
    if (isPrototypeName(k)) throw new TopologyError('(top level)', `key '${k}' is not allowed.`);
  if (json['format'] === LEGACY_FORMAT) return checkLegacy(json, limit);
  const format = json['format'];
  if (format === 'graph-model') {
    throw new TopologyError(
      'format',
      "'graph-model' is a TF.js graph model (converted from a SavedModel); mnist-lab loads Layers models ('layers-model').",
    );
  }
  if (format !== undefined && format !== LAYERS_MODEL_FORMAT) {
    throw new TopologyError(
      'format',
      `${JSON.stringify(format)} is not a model format mnist-lab reads ('layers-model').`,
    );
  }
  const topology =
    json['modelTopology'] === null
      ? null
      : topologyFromKeras(json['modelTopology'], 'modelTopology');
  const groups = checkManifest(json['weightsManifest'] ?? [], 'weightsManifest', limit);
  const extra = json['mnistLab'];
  let trainingConfig: TrainingConfig | null = null;
  let crc32: number[] | null = null;
  if (isObject(extra)) {
    trainingConfig = checkTrainingConfig(extra['trainingConfig'], 'mnistLab.trainingConfig');
    const c = extra['weightsCrc32'];
    const count = groups.reduce((n, g) => n + g.paths.length, 0);
    if (c !== undefined) {
      if (!Array.isArray(c) || c.length !== count || !c.every((x) => Number.isSafeInteger(x))) {
        throw new TopologyError(
          'mnistLab.weightsCrc32',
          `must list one CRC-32 per weight file (${count}).`,
        );
      }
      crc32 = c.map((x: number) => x >>> 0);
    }
  }
  if (!trainingConfig) {
    const topo = (json['modelTopology'] ?? {}) as Record<string, unknown>;
    trainingConfig = trainingConfigFromKeras(
      json['trainingConfig'] ?? topo['training_config'],
      json['trainingConfig'] ? 'trainingConfig' : 'modelTopology.training_config',
    );
  }
  return { kind: 'layers-model', topology, groups, trainingConfig, crc32 };
}

// ------------------------------------------------------------------ weights

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function float16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** The values of one weight from its group's bytes. */
function decodeWeight(bytes: Uint8Array, w: CheckedWeight): Float32Array | Int32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + w.offset, w.byteLength);
  const q = w.quantization;
  if (w.dtype === 'int32' && !q) {
    const out = new Int32Array(w.size);
    for (let i = 0; i < w.size; i++) out[i] = view.getInt32(i * 4, true);
    return out;
  }
  const out = new Float32Array(w.size);
  if (!q) for (let i = 0; i < w.size; i++) out[i] = view.getFloat32(i * 4, true);
  else if (q.dtype === 'uint8')
    for (let i = 0; i < w.size; i++) out[i] = view.getUint8(i) * q.scale! + q.min!;
  else if (q.dtype === 'uint16')
    for (let i = 0; i < w.size; i++) out[i] = view.getUint16(i * 2, true) * q.scale! + q.min!;
  else for (let i = 0; i < w.size; i++) out[i] = float16(view.getUint16(i * 2, true));
  return out;
}

/** Model and optimizer weights by name; non-finite values are refused naming the weight. */
export function decodeWeights(
  checked: CheckedModelJson,
  groupBytes: readonly Uint8Array[],
): { model: Map<string, { shape: number[]; values: Float32Array }>; optimizer: NamedTensor[] } {
  const model = new Map<string, { shape: number[]; values: Float32Array }>();
  const optimizer: NamedTensor[] = [];
  checked.groups.forEach((g, gi) => {
    const bytes = groupBytes[gi]!;
    if (bytes.byteLength !== g.byteLength) {
      throw new TopologyError(
        `weightsManifest[${gi}]`,
        `describes ${g.byteLength} bytes, the weight files hold ${bytes.byteLength}.`,
      );
    }
    for (const w of g.weights) {
      const values = decodeWeight(bytes, w);
      if (values instanceof Float32Array) {
        const bad = values.findIndex((v) => !Number.isFinite(v));
        if (bad >= 0) {
          throw new TopologyError(
            `weight '${w.name}'`,
            `value ${bad} is ${values[bad]}: weights must be finite numbers.`,
          );
        }
      }
      if (w.group === 'optimizer')
        optimizer.push({ name: w.name, tensor: new Tensor(values, w.shape) });
      else if (values instanceof Float32Array) model.set(w.name, { shape: w.shape, values });
      else throw new TopologyError(`weight '${w.name}'`, 'int32 model weights are not supported.');
    }
  });
  return { model, optimizer };
}

/**
 * Sets `model`'s weights from `saved`, matched by name (as TF.js does), each with its shape.
 * `byPosition` is the fallback `loadWeights` uses when the names differ (a model rebuilt in
 * code gets fresh automatic names): the saved order must then be the model's.
 */
export function assignWeights(
  model: Model,
  saved: Map<string, { shape: number[]; values: Float32Array }>,
  options: { byPosition?: boolean } = {},
): void {
  const weights = model.weights;
  const byName = weights.every((w) => saved.has(w.name)) && saved.size === weights.length;
  if (!byName && !(options.byPosition && saved.size === weights.length)) {
    const missing = weights.filter((w) => !saved.has(w.name)).map((w) => w.name);
    const extra = [...saved.keys()].filter((n) => !weights.some((w) => w.name === n));
    throw new TopologyError(
      'weightsManifest',
      `does not match model '${model.name}' (${weights.length} weights${model.built ? '' : ', not built: call it on data or build(inputShape) first'}): ` +
        [
          missing.length
            ? `missing ${missing
                .slice(0, 5)
                .map((n) => `'${n}'`)
                .join(', ')}${missing.length > 5 ? ', ...' : ''}`
            : '',
          extra.length
            ? `unexpected ${extra
                .slice(0, 5)
                .map((n) => `'${n}'`)
                .join(', ')}${extra.length > 5 ? ', ...' : ''}`
            : '',
        ]
          .filter(Boolean)
          .join('; ') +
        '.',
    );
  }
  const entries = [...saved];
  const values = weights.map((w, i) => {
    const [name, s] = byName ? [w.name, saved.get(w.name)!] : entries[i]!;
    if (s.shape.length !== w.shape.length || s.shape.some((d, j) => d !== w.shape[j])) {
      throw new TopologyError(
        `weight '${name}'`,
        `has shape ${formatShape(s.shape)}, but the model's '${w.name}' has shape ${formatShape(w.shape)}.`,
      );
    }
    return s.values;
  });
  model.setWeights(values);
}

/** Rebuilds the model of a checked model.json; layers may create no more weight bytes than the files hold. */
export function buildModel(
  checked: CheckedModelJson,
  modelFromJSON: (t: Topology) => Model,
): Model {
  if (!checked.topology) {
    throw new TopologyError(
      'modelTopology',
      'is null: the folder holds weights only (saved from a subclassed model); build the model in code and call model.loadWeights(dir).',
    );
  }
  const budget = checked.groups.reduce(
    (n, g) =>
      n + g.weights.filter((w) => w.group !== 'optimizer').reduce((m, w) => m + w.size * 4, 0),
    0,
  );
  try {
    return withWeightBudget(budget, 'the weights manifest holds', () =>
      modelFromJSON(checked.topology!),
    );
  } catch (e) {
    if (e instanceof TopologyError) throw e;
    throw new TopologyError('modelTopology', (e as Error).message);
  }
}

/** Compiles with the saved training config; resolves every name first so none escapes a registry. */
export function compileFromConfig(model: Model, tc: TrainingConfig): void {
  getOptimizer(tc.optimizer);
  getLoss(tc.loss as Parameters<typeof getLoss>[0]);
  for (const m of tc.metrics) getMetric(m);
  model.compile({
    optimizer: tc.optimizer,
    loss: tc.loss as Parameters<typeof getLoss>[0],
    metrics: tc.metrics,
  });
}

// ------------------------------------------------------------------ writing

// Our optimizers under TF.js's names (TF.js compiles the model with them when it loads).
function tfjsOptimizer(o: TrainingConfig['optimizer']): Record<string, unknown> | null {
  const c = (o.config ?? {}) as Record<string, unknown>;
  const lr = c['learningRate'];
  switch (o.className) {
    case 'SGD':
      return c['momentum']
        ? {
            class_name: 'Momentum',
            config: {
              learning_rate: lr,
              momentum: c['momentum'],
              use_nesterov: c['nesterov'] ?? false,
            },
          }
        : { class_name: 'SGD', config: { learning_rate: lr } };
    case 'Adam':
      return {
        class_name: 'Adam',
        config: { learning_rate: lr, beta1: c['beta1'], beta2: c['beta2'], epsilon: c['epsilon'] },
      };
    case 'RMSprop':
      return {
        class_name: 'RMSProp',
        config: {
          learning_rate: lr,
          decay: c['rho'],
          momentum: c['momentum'],
          epsilon: c['epsilon'],
          centered: c['centered'],
        },
      };
    case 'Adagrad':
      return {
        class_name: 'Adagrad',
        config: { learning_rate: lr, initial_accumulator_value: c['initialAccumulatorValue'] },
      };
    case 'Adadelta':
      return {
        class_name: 'Adadelta',
        config: { learning_rate: lr, rho: c['rho'], epsilon: c['epsilon'] },
      };
    default:
      return null;
  }
}

// Losses and metrics TF.js resolves by name (it camel-cases what it reads).
const TFJS_LOSSES: Record<string, string> = {
  categoricalcrossentropy: 'categorical_crossentropy',
  sparsecategoricalcrossentropy: 'sparse_categorical_crossentropy',
  binarycrossentropy: 'binary_crossentropy',
  meansquarederror: 'mean_squared_error',
  mse: 'mean_squared_error',
  meanabsoluteerror: 'mean_absolute_error',
  mae: 'mean_absolute_error',
  poisson: 'poisson',
};
const TFJS_METRICS = [
  'accuracy',
  'acc',
  'categorical_accuracy',
  'binary_accuracy',
  'sparse_categorical_accuracy',
];

/** compile()'s arguments as TF.js's `trainingConfig`, or null when TF.js could not compile them. */
function tfjsTrainingConfig(tc: TrainingConfig): Record<string, unknown> | null {
  const optimizer = tfjsOptimizer(tc.optimizer);
  const key = typeof tc.loss === 'string' ? tc.loss.replace(/_/g, '').toLowerCase() : '';
  const loss = Object.hasOwn(TFJS_LOSSES, key) ? TFJS_LOSSES[key] : undefined;
  if (!optimizer || !loss) return null;
  const metrics = tc.metrics
    .map((m) => m.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase())
    .filter((m) => TFJS_METRICS.includes(m));
  return { loss, metrics, optimizer_config: optimizer };
}

function encode(
  values: readonly { data: ArrayLike<number>; int: boolean }[],
  total: number,
): Uint8Array {
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const { data, int } of values) {
    if (!int && littleEndian && data instanceof Float32Array) {
      bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
      offset += data.byteLength;
      continue;
    }
    for (let i = 0; i < data.length; i++, offset += 4) {
      if (int) view.setInt32(offset, data[i]!, true);
      else view.setFloat32(offset, data[i]!, true);
    }
  }
  return bytes;
}

export interface SaveOptions {
  /** Save the optimizer's state too (TF.js's `includeOptimizer`), so fit continues exactly. */
  includeOptimizer?: boolean;
}

/**
 * The model.json and weight bytes of `model` in TF.js's Layers format. `topology` null saves
 * weights only (subclassed models). Shard names are TF.js converter's: group1-shardXofN.bin.
 */
export function modelArtifacts(
  model: Model,
  topology: Topology | null,
  crc32: (b: Uint8Array) => number,
  options: SaveOptions = {},
  generatedBy = 'mnist-lab',
): { json: LayersModelJson; shards: { path: string; bytes: Uint8Array }[] } {
  const specs: WeightSpec[] = [];
  const values: { data: ArrayLike<number>; int: boolean }[] = [];
  let total = 0;
  for (const w of model.weights) {
    specs.push({ name: w.name, shape: [...w.shape], dtype: 'float32' });
    values.push({ data: w.values, int: false });
    total += w.size * 4;
  }
  if (options.includeOptimizer) {
    if (!model.compiled)
      throw new Error(
        `save(): includeOptimizer needs a compiled model; '${model.name}' is not compiled.`,
      );
    for (const { name, tensor } of model.optimizer.getWeights()) {
      const int = tensor.dtype === 'int32';
      specs.push({
        name,
        shape: [...tensor.shape],
        dtype: int ? 'int32' : 'float32',
        group: 'optimizer',
      });
      values.push({ data: tensor.values, int });
      total += tensor.size * 4;
    }
  }
  const data = encode(values, total);
  const count = Math.max(1, Math.ceil(total / SHARD_BYTES));
  const shards = Array.from({ length: count }, (_, i) => ({
    path: `group1-shard${i + 1}of${count}.bin`,
    bytes: data.subarray(i * SHARD_BYTES, Math.min(total, (i + 1) * SHARD_BYTES)),
  }));
  const tc = model.trainingConfig;
  const tfjsTc = tc ? tfjsTrainingConfig(tc) : null;
  const json: LayersModelJson = {
    format: LAYERS_MODEL_FORMAT,
    generatedBy,
    convertedBy: null,
    modelTopology: topology
      ? {
          ...topologyToKeras(topology),
          keras_version: 'tfjs-layers 4.22.0',
          backend: 'tensor_flow.js',
        }
      : null,
    weightsManifest: [{ paths: shards.map((s) => `./${s.path}`), weights: specs }],
    ...(tfjsTc ? { trainingConfig: tfjsTc } : {}),
    mnistLab: {
      formatVersion: 2,
      trainingConfig: tc,
      weightsCrc32: shards.map((s) => crc32(s.bytes)),
    },
  };
  return { json, shards };
}

/** A model from checked JSON and its groups' bytes; compiled (and optimizer restored) when asked. */
export function modelFromArtifacts(
  checked: CheckedModelJson,
  groupBytes: readonly Uint8Array[],
  modelFromJSON: (t: Topology) => Model,
  options: { compile?: boolean } = {},
): { model: Model; warning: string | null } {
  const { model: saved, optimizer } = decodeWeights(checked, groupBytes);
  const model = buildModel(checked, modelFromJSON);
  assignWeights(model, saved);
  let warning: string | null = null;
  if (checked.trainingConfig && options.compile !== false) {
    try {
      compileFromConfig(model, checked.trainingConfig);
    } catch (e) {
      // Keras's load_model also warns and returns the model uncompiled.
      warning = `the model was loaded but not compiled (${(e as Error).message}); call compile() yourself.`;
    }
    if (model.compiled && optimizer.length > 0) {
      try {
        model.optimizer.setWeights(optimizer);
      } catch (e) {
        throw new TopologyError('weightsManifest (optimizer)', (e as Error).message);
      }
    }
  }
  return { model, warning };
}
