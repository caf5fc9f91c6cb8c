// Keras's JSON topology (`class_name` / `config` with snake_case keys), as TF.js Layers, Keras 2
// (tf.keras, and the tensorflowjs converter's `tfjs_layers_model`) and Keras 3 write it, to and
// from this library's own topology (`model.toJSON()`: camelCase, `className`). Every key a
// layer's config may carry is listed here: one we do not support is an error naming it.

/** Our topology: `{ className, config }` as `model.toJSON()` gives and `modelFromJSON` takes. */
export interface Topology {
  className: string;
  config: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** A topology that cannot be read; `field` is the JSON path of the bad value. */
export class TopologyError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'TopologyError';
  }
}

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Names that would resolve on Object.prototype in a plain-object registry. */
export function isPrototypeName(name: string): boolean {
  return name in Object.prototype || name === '__proto__' || name === 'prototype';
}

/** A name read from a file: a plain, non-empty string that is not an Object.prototype key. */
export function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 256) {
    throw new TopologyError(field, `must be a name (a non-empty string), got ${short(value)}.`);
  }
  if (isPrototypeName(value)) {
    throw new TopologyError(field, `'${value}' is not a valid name.`);
  }
  return value;
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export const snakeCase = (key: string): string =>
  key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const camelCase = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

// ------------------------------------------------------------------ what each layer accepts

/** Keys every layer takes (camelCase). */
const COMMON = [
  'name',
  'trainable',
  'dtype',
  'batchInputShape',
  'batchSize',
  'inputShape',
  'inputDim',
];
const INIT_REG = ['kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer'];

/** Keys of the augmentation layers that warp (Keras 3's RandomTranslation and friends). */
const WARP_KEYS = ['seed', 'dataFormat', 'fillMode', 'interpolation', 'fillValue'];

/** Keys each class understands, besides COMMON. */
const LAYER_KEYS: Record<string, readonly string[]> = {
  InputLayer: ['batchShape', 'sparse', 'ragged', 'optional'],
  Dense: ['units', 'activation', 'useBias', ...INIT_REG],
  Conv2D: [
    'filters',
    'kernelSize',
    'strides',
    'padding',
    'dataFormat',
    'dilationRate',
    'activation',
    'useBias',
    ...INIT_REG,
  ],
  BatchNormalization: [
    'axis',
    'momentum',
    'epsilon',
    'center',
    'scale',
    'betaInitializer',
    'gammaInitializer',
    'movingMeanInitializer',
    'movingVarianceInitializer',
    'betaRegularizer',
    'gammaRegularizer',
  ],
  MaxPooling2D: ['poolSize', 'strides', 'padding', 'dataFormat'],
  AveragePooling2D: ['poolSize', 'strides', 'padding', 'dataFormat'],
  GlobalAveragePooling2D: ['dataFormat', 'keepdims'],
  Flatten: ['dataFormat'],
  Dropout: ['rate', 'seed'],
  Reshape: ['targetShape'],
  Concatenate: ['axis'],
  Add: [],
  Activation: ['activation'],
  LeakyReLU: ['alpha', 'negativeSlope'],
  ELU: ['alpha'],
  Softmax: ['axis'],
  DepthwiseConv2D: [
    'kernelSize',
    'strides',
    'padding',
    'depthMultiplier',
    'dataFormat',
    'dilationRate',
    'activation',
    'useBias',
    'depthwiseInitializer',
    'biasInitializer',
    'depthwiseRegularizer',
    'biasRegularizer',
  ],
  SeparableConv2D: [
    'filters',
    'kernelSize',
    'strides',
    'padding',
    'depthMultiplier',
    'dataFormat',
    'dilationRate',
    'activation',
    'useBias',
    'depthwiseInitializer',
    'pointwiseInitializer',
    'biasInitializer',
    'depthwiseRegularizer',
    'pointwiseRegularizer',
    'biasRegularizer',
  ],
  RandomTranslation: [...WARP_KEYS, 'heightFactor', 'widthFactor'],
  RandomRotation: [...WARP_KEYS, 'factor'],
  RandomZoom: [...WARP_KEYS, 'heightFactor', 'widthFactor'],
  RandomFlip: ['seed', 'dataFormat', 'mode'],
  RandomContrast: ['seed', 'dataFormat', 'factor', 'valueRange'],
};

/** Keys other writers emit with a value that means "feature off": accepted only with that value. */
const OFF_VALUES: Record<string, (v: unknown) => boolean> = {
  activityRegularizer: (v) => v === null,
  kernelConstraint: (v) => v === null,
  biasConstraint: (v) => v === null,
  betaConstraint: (v) => v === null,
  depthwiseConstraint: (v) => v === null,
  pointwiseConstraint: (v) => v === null,
  gammaConstraint: (v) => v === null,
  noiseShape: (v) => v === null,
  sparse: (v) => v === false,
  ragged: (v) => v === false,
  optional: (v) => v === false,
  renorm: (v) => v === false,
  renormClipping: (v) => v === null,
  renormMomentum: () => true,
  fused: (v) => v === null || typeof v === 'boolean',
  virtualBatchSize: (v) => v === null,
  adjustment: (v) => v === null,
  synchronized: (v) => v === false,
  groups: (v) => v === 1,
  loraRank: (v) => v === null,
  loraAlpha: (v) => v === null,
  autocast: () => true,
};

const MODEL_CLASSES = ['Sequential', 'Model', 'Functional'];

/** Layer classes this library reads from Keras JSON. */
export const KERAS_LAYER_CLASSES = Object.keys(LAYER_KEYS);

// ------------------------------------------------------------------ reading

/** A Keras 3 dtype policy object or a plain dtype string; float32 only. */
function readDtype(v: unknown, field: string): string {
  const name = isObject(v) && isObject(v['config']) ? v['config']['name'] : v;
  if (name !== 'float32' && name !== 'float64') {
    throw new TopologyError(field, `dtype ${short(name)} is not supported (float32 only).`);
  }
  return name;
}

/** `{ class_name, config }` (initializer, regularizer) into ours. */
function readObject(v: unknown, field: string, kind: 'initializer' | 'regularizer'): unknown {
  if (v === null || typeof v === 'string') {
    if (typeof v === 'string') checkName(v, field);
    return v;
  }
  if (!isObject(v)) throw new TopologyError(field, `must be an ${kind} object, got ${short(v)}.`);
  const className = checkName(v['class_name'] ?? v['className'], `${field}.class_name`);
  const raw = v['config'] ?? {};
  if (!isObject(raw)) throw new TopologyError(`${field}.config`, 'must be an object.');
  const config: Json = {};
  for (const [k, value] of Object.entries(raw)) {
    checkName(k, `${field}.config`);
    config[camelCase(k)] = value;
  }
  // Keras 2 and TF.js spell the truncated normal 'normal'.
  if (className === 'VarianceScaling' && config['distribution'] === 'normal') {
    config['distribution'] = 'truncated_normal';
  }
  if (className === 'VarianceScaling' && config['distribution'] === 'truncatedNormal') {
    config['distribution'] = 'truncated_normal';
  }
  return { className, config };
}

function readLayerConfig(className: string, raw: unknown, field: string): Json {
  if (!isObject(raw)) throw new TopologyError(field, 'must be an object.');
  const allowed = LAYER_KEYS[className]!;
  const out: Json = {};
  for (const [key, value] of Object.entries(raw)) {
    checkName(key, field);
    const k = camelCase(key);
    const f = `${field}.${key}`;
    if (COMMON.includes(k) || allowed.includes(k)) {
      if (k === 'dtype') out[k] = readDtype(value, f);
      else if (/Initializer$/.test(k)) out[k] = readObject(value, f, 'initializer');
      else if (/Regularizer$/.test(k)) out[k] = readObject(value, f, 'regularizer');
      else if (k === 'activation' || k === 'name') out[k] = checkName(value, f);
      else if (k === 'dataFormat') {
        if (value !== 'channels_last' && value !== 'channelsLast' && value !== null) {
          throw new TopologyError(f, `${short(value)} is not supported (channels_last only).`);
        }
      } else if (k === 'axis' && Array.isArray(value) && value.length === 1) {
        out[k] = value[0]; // Keras 2 writes BatchNormalization's axis as a list
      } else if (k === 'batchShape') {
        out['batchInputShape'] = value;
      } else if (k === 'sparse' || k === 'ragged' || k === 'optional') {
        if (!OFF_VALUES[k]!(value)) throw new TopologyError(f, `${short(value)} is not supported.`);
      } else out[k] = value;
    } else if (Object.hasOwn(OFF_VALUES, k)) {
      if (!OFF_VALUES[k]!(value)) {
        throw new TopologyError(f, `${short(value)} is not supported by mnist-lab's ${className}.`);
      }
    } else {
      throw new TopologyError(f, `'${key}' is not a ${className} option mnist-lab supports.`);
    }
  }
  return out;
}

function readClassName(v: Json, field: string): string {
  const className = checkName(v['class_name'] ?? v['className'], `${field}.class_name`);
  if (!Object.hasOwn(LAYER_KEYS, className)) {
    throw new TopologyError(
      `${field}.class_name`,
      `layer class '${className}' is not supported. Supported: ${KERAS_LAYER_CLASSES.join(', ')}.`,
    );
  }
  return className;
}

/** One input reference of a call: Keras 2 / TF.js `[name, node, tensor, kwargs]` or Keras 3's tensor. */
function readRef(v: unknown, field: string): [string, number, number] {
  let ref: unknown = v;
  if (isObject(v) && isObject(v['config'])) ref = v['config']['keras_history'];
  if (!Array.isArray(ref) || ref.length < 3) {
    throw new TopologyError(
      field,
      `must be a tensor reference [layer, node, tensor], got ${short(v)}.`,
    );
  }
  const [name, node, tensor] = ref as unknown[];
  if (
    !Number.isSafeInteger(node) ||
    (node as number) < 0 ||
    !Number.isSafeInteger(tensor) ||
    (tensor as number) < 0
  ) {
    throw new TopologyError(
      field,
      `node and tensor indices must be non-negative integers, got ${short(ref)}.`,
    );
  }
  return [checkName(name, field), node as number, tensor as number];
}

const MERGE_LAYERS = ['Concatenate', 'Add'];

/** The calls of one layer (`inbound_nodes`) in any of the three writers' forms. */
function readInboundNodes(
  v: unknown,
  className: string,
  field: string,
): { inputs: [string, number, number][]; asList?: boolean }[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new TopologyError(field, 'must be a list.');
  return v.map((call, i) => {
    const f = `${field}[${i}]`;
    let refs: unknown[];
    if (isObject(call)) {
      // Keras 3: { args: [tensor | [tensors]], kwargs }
      const args = call['args'];
      if (!Array.isArray(args) || args.length !== 1) {
        throw new TopologyError(`${f}.args`, 'must hold exactly one argument (the inputs).');
      }
      refs = Array.isArray(args[0]) ? (args[0] as unknown[]) : [args[0]];
    } else if (Array.isArray(call)) {
      refs = call;
    } else {
      throw new TopologyError(f, `must be a list of inputs, got ${short(call)}.`);
    }
    if (refs.length === 0) throw new TopologyError(f, 'has no inputs.');
    const inputs = refs.map((r, j) => readRef(r, `${f}[${j}]`));
    return MERGE_LAYERS.includes(className) || inputs.length > 1
      ? { inputs, asList: true }
      : { inputs };
  });
}

function readRefList(v: unknown, field: string): [string, number, number][] {
  if (!Array.isArray(v) || v.length === 0)
    throw new TopologyError(field, 'must be a non-empty list.');
  // A single reference may stand alone: ['input_1', 0, 0].
  if (typeof v[0] === 'string') return [readRef(v, field)];
  return v.map((r, i) => readRef(r, `${field}[${i}]`));
}

/**
 * Our topology from a Keras JSON model config (TF.js `modelTopology`, the converter's
 * `model_config`, Keras 2 or 3). Nothing is built here: names and keys are checked only.
 */
export function topologyFromKeras(json: unknown, field = 'modelTopology'): Topology {
  if (!isObject(json)) throw new TopologyError(field, 'must be an object.');
  if (isObject(json['model_config']))
    return topologyFromKeras(json['model_config'], `${field}.model_config`);
  const className = checkName(json['class_name'] ?? json['className'], `${field}.class_name`);
  if (!MODEL_CLASSES.includes(className)) {
    throw new TopologyError(
      `${field}.class_name`,
      `'${className}' is not a model class mnist-lab reads (Sequential, Model or Functional).`,
    );
  }
  const raw = json['config'];
  const f = `${field}.config`;
  // Keras < 2.2.3 wrote a Sequential's config as the bare list of layers.
  const config: Json = Array.isArray(raw) ? { layers: raw } : isObject(raw) ? raw : {};
  if (!isObject(raw) && !Array.isArray(raw)) throw new TopologyError(f, 'must be an object.');
  const layers = config['layers'];
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new TopologyError(`${f}.layers`, 'must be a non-empty list.');
  }
  if (layers.length > 100_000) throw new TopologyError(`${f}.layers`, 'has too many layers.');
  const name =
    config['name'] === undefined || config['name'] === null
      ? undefined
      : checkName(config['name'], `${f}.name`);
  const trainable = config['trainable'];
  const common = {
    ...(name !== undefined ? { name } : {}),
    ...(trainable === false ? { trainable: false } : {}),
  };
  // Each layer's class and config, checked; functional entries add their name and calls.
  const read = layers.map((l, i) => {
    const lf = `${f}.layers[${i}]`;
    if (!isObject(l)) throw new TopologyError(lf, 'must be an object.');
    const cls = readClassName(l, lf);
    return { l, lf, cls, config: readLayerConfig(cls, l['config'], `${lf}.config`) };
  });
  if (className === 'Sequential') {
    return {
      className,
      config: { ...common, layers: read.map((r) => ({ className: r.cls, config: r.config })) },
    };
  }
  const seen = new Set<string>();
  return {
    className: 'Functional',
    config: {
      ...common,
      layers: read.map(({ l, lf, cls, config: layerConfig }) => {
        const layerName = checkName(l['name'] ?? layerConfig['name'], `${lf}.name`);
        if (seen.has(layerName))
          throw new TopologyError(`${lf}.name`, `'${layerName}' is used twice.`);
        seen.add(layerName);
        return {
          className: cls,
          name: layerName,
          config: layerConfig,
          inboundNodes: readInboundNodes(
            l['inbound_nodes'] ?? l['inboundNodes'],
            cls,
            `${lf}.inbound_nodes`,
          ),
        };
      }),
      inputLayers: readRefList(
        config['input_layers'] ?? config['inputLayers'],
        `${f}.input_layers`,
      ),
      outputLayers: readRefList(
        config['output_layers'] ?? config['outputLayers'],
        `${f}.output_layers`,
      ),
    },
  };
}

// ------------------------------------------------------------------ writing

function writeObject(v: unknown): unknown {
  if (!isObject(v) || typeof v['className'] !== 'string') return v ?? null;
  const className = v['className'];
  const config = isObject(v['config']) ? v['config'] : {};
  // TF.js knows L1L2 only; Keras reads it too.
  if (className === 'L1' || className === 'L2' || className === 'L1L2') {
    return { class_name: 'L1L2', config: { l1: config['l1'] ?? 0, l2: config['l2'] ?? 0 } };
  }
  const out: Json = {};
  for (const [k, value] of Object.entries(config)) out[snakeCase(k)] = value;
  return { class_name: className, config: out };
}

function writeLayerConfig(className: string, config: Json): Json {
  const out: Json = {};
  for (const [k, value] of Object.entries(config)) {
    if (k === 'keepdims' && value === false) continue; // not in TF.js's GlobalAveragePooling2D
    if (className === 'LeakyReLU' && k === 'negativeSlope') {
      out['alpha'] = value; // TF.js and Keras 2 spelling; Keras 3 accepts it too
      continue;
    }
    out[snakeCase(k)] = /Initializer$|Regularizer$/.test(k) ? writeObject(value) : value;
  }
  return out;
}

/** Keras JSON (TF.js's spelling) of our topology, as TF.js's `model.toJSON()` writes it. */
export function topologyToKeras(topology: Topology): Json {
  const { className, config } = topology;
  const layers = (config['layers'] ?? []) as Json[];
  if (className === 'Sequential') {
    const out: Json[] = [];
    let pendingInput: Json | null = null;
    for (const l of layers) {
      const cls = l['className'] as string;
      const c = l['config'] as Json;
      if (cls === 'InputLayer') {
        pendingInput = c;
        continue;
      }
      const written = writeLayerConfig(cls, c);
      // TF.js puts the input shape on the first layer instead of an InputLayer.
      if (pendingInput) {
        written['batch_input_shape'] = pendingInput['batchInputShape'];
        written['dtype'] = pendingInput['dtype'] ?? 'float32';
        pendingInput = null;
      }
      out.push({ class_name: cls, config: written });
    }
    return { class_name: 'Sequential', config: { name: config['name'], layers: out } };
  }
  return {
    class_name: 'Model',
    config: {
      name: config['name'],
      layers: layers.map((l) => {
        const cls = l['className'] as string;
        const c = l['config'] as Json;
        const written =
          cls === 'InputLayer'
            ? {
                batch_input_shape: c['batchInputShape'],
                dtype: c['dtype'] ?? 'float32',
                sparse: false,
                name: c['name'],
              }
            : writeLayerConfig(cls, c);
        const nodes = (l['inboundNodes'] ?? []) as { inputs: [string, number, number][] }[];
        return {
          name: l['name'],
          class_name: cls,
          config: written,
          inbound_nodes: nodes.map((n) =>
            n.inputs.map(([name, node, tensor]) => [name, node, tensor, {}]),
          ),
        };
      }),
      input_layers: config['inputLayers'],
      output_layers: config['outputLayers'],
    },
  };
}
