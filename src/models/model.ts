import type { History } from '../callbacks/history.js';
import { Layer, type CallArgs, type LayerConfig } from '../layers/layer.js';
import { isShapeList, shapeList, type LayerShape, type ShapeN } from '../layers/layer-shape.js';
import type { SymbolicTensor } from '../layers/symbolic-tensor.js';
import * as ops from '../ops/index.js';
import { formatShape } from '../tensor/shape.js';
import { noGrad } from '../tensor/tape.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import type { Logs } from '../callbacks/callback.js';
import { scalar, Tensor, zeros } from '../tensor/tensor.js';
import { readOptions } from '../util/options.js';
import {
  evaluateLoop,
  fitLoop,
  predictBatches,
  predictLoop,
  trainStep,
} from '../training/fit-loop.js';
import type { CompiledModel, FitArgs, TrainingTarget } from '../training/types.js';
import { resolveCompileArgs, type CompileArgs, type TrainingConfig } from './compile-args.js';
import { FunctionalGraph, type GraphConfig } from './functional-graph.js';
import type { SaveOptions } from './layers-format.js';
import { requireModelSaver } from './model-saver.js';
import { summaryLines, type PrintFn, type SummaryRow, type SummarySource } from './summary.js';

export interface ModelArgs {
  /** Symbolic inputs from `input()`; with `outputs`, makes a functional model. */
  inputs?: SymbolicTensor | readonly SymbolicTensor[];
  outputs?: SymbolicTensor | readonly SymbolicTensor[];
  name?: string;
  trainable?: boolean;
}

export interface EvaluateArgs {
  /** Default 32. */
  batchSize?: number;
  /** 0 silent, 1 a progress bar (a plain line when not a terminal), 2 one line. Default 1. */
  verbose?: 0 | 1 | 2;
}

export interface PredictArgs {
  /** Default 32. */
  batchSize?: number;
}

// Every option key of each method, checked against its interface (a key added to FitArgs
// without a line here fails to compile), so a misspelt option is an error, never ignored.
const FIT_KEYS = Object.keys({
  epochs: 1,
  batchSize: 1,
  validationSplit: 1,
  validationData: 1,
  shuffle: 1,
  callbacks: 1,
  verbose: 1,
  initialEpoch: 1,
  validationFreq: 1,
  state: 1,
  yieldEvery: 1,
} satisfies Record<keyof FitArgs, 1>);
const EVALUATE_KEYS = Object.keys({ batchSize: 1, verbose: 1 } satisfies Record<
  keyof EvaluateArgs,
  1
>);
const PREDICT_KEYS = Object.keys({ batchSize: 1 } satisfies Record<keyof PredictArgs, 1>);
const COMPILE_KEYS = Object.keys({ optimizer: 1, loss: 1, metrics: 1 } satisfies Record<
  keyof CompileArgs,
  1
>);

/** Throws a clear error when a data argument is not a Tensor (or a list of them). */
function checkTensors(what: string, name: string, v: unknown): void {
  const ok = (t: unknown): boolean => t instanceof Tensor;
  if (Array.isArray(v) ? v.length > 0 && v.every(ok) : ok(v)) return;
  throw new TypeError(
    `${what}: ${name} must be a Tensor${name === 'x' ? ' (or an array of Tensors for several inputs)' : ''}, got ${Array.isArray(v) ? 'an array of numbers or other values' : typeof v}. Make one with tensor(values, shape).`,
  );
}

function asList<T>(v: T | readonly T[]): T[] {
  return Array.isArray(v) ? [...(v as readonly T[])] : [v as T];
}

/**
 * A model: layers plus training (Keras 3's Model). Three ways to make one:
 *
 * - functional: `model({ inputs, outputs })` from symbolic tensors (`input()`, `layer.apply`);
 *   multiple inputs and shared layers are fine;
 * - `sequential({ layers })` (the Sequential subclass);
 * - subclassing: extend Model, create layers in the constructor as fields, and override
 *   `call(inputs, { training })`. Layer-valued fields (and arrays of layers) are tracked
 *   automatically; `trackLayer()` registers others.
 *
 * A model is a Layer too, so it can be used inside another model.
 */
export class Model extends Layer implements TrainingTarget {
  static override readonly className: string = 'Functional';

  /** Set to true (e.g. by a callback) to end fit() after the current batch. */
  stopTraining = false;
  /** The graph of a functional (or built Sequential) model. */
  protected graph: FunctionalGraph | null = null;
  private compiledModel: CompiledModel | null = null;
  private compileConfig: TrainingConfig | null = null;
  private readonly tracked: Layer[] = [];
  /** Whether the functional outputs were given as a list (then call returns a list). */
  private outputsAsList = false;

  constructor(args: ModelArgs = {}) {
    super({
      ...(args.name !== undefined ? { name: args.name } : {}),
      ...(args.trainable !== undefined ? { trainable: args.trainable } : {}),
    });
    this.autocast = false;
    if (args.inputs !== undefined || args.outputs !== undefined) {
      if (args.inputs === undefined || args.outputs === undefined) {
        throw new Error(
          'A functional model needs both inputs and outputs: model({ inputs, outputs }).',
        );
      }
      this.outputsAsList = Array.isArray(args.outputs);
      this.setGraph(new FunctionalGraph(asList(args.inputs), asList(args.outputs)));
    }
  }

  protected setGraph(graph: FunctionalGraph | null): void {
    this.graph = graph;
    if (graph) {
      const shapes = graph.inputs.map((t) => t.shape);
      this.buildInputShape = shapes.length === 1 ? shapes[0]! : shapes;
      this.built = true;
    }
  }

  /** Whether this is a subclassed model (no graph of its own; `call` is user code). */
  get isSubclassed(): boolean {
    return this.graph === null && this.constructor !== Model;
  }

  // ---------------------------------------------------------------- layers

  /**
   * The model's layers: a functional model's in graph order (input layers included, as in
   * Keras); a subclassed model's layer-valued fields in assignment order.
   */
  get layers(): Layer[] {
    if (this.graph) return [...this.graph.layers];
    const found: Layer[] = [...this.tracked];
    for (const value of Object.values(this)) {
      const candidates: unknown[] = Array.isArray(value) ? value : [value];
      for (const c of candidates)
        if (c instanceof Layer && c !== this && !found.includes(c)) found.push(c);
    }
    return found;
  }

  /** Registers a layer a subclassed model keeps somewhere field discovery cannot see. */
  trackLayer<T extends Layer>(layer: T): T {
    if (!this.tracked.includes(layer)) this.tracked.push(layer);
    return layer;
  }

  protected override sublayers(): Layer[] {
    return this.layers;
  }

  /** A layer by name or index (Keras `get_layer`). */
  getLayer(nameOrIndex: string | number): Layer {
    const ls = this.layers;
    if (typeof nameOrIndex === 'number') {
      const l = ls[nameOrIndex];
      if (!l)
        throw new RangeError(
          `Model '${this.name}' has ${ls.length} layers; index ${nameOrIndex} is out of range.`,
        );
      return l;
    }
    const l = ls.find((x) => x.name === nameOrIndex);
    if (!l) {
      throw new Error(
        `No such layer: ${nameOrIndex}. Existing layers are: [${ls.map((x) => `'${x.name}'`).join(', ')}].`,
      );
    }
    return l;
  }

  /** Symbolic inputs of a functional (or built Sequential) model. */
  get inputs(): SymbolicTensor[] {
    return this.graph ? [...this.graph.inputs] : [];
  }

  get outputs(): SymbolicTensor[] {
    return this.graph ? [...this.graph.outputs] : [];
  }

  // ---------------------------------------------------------------- calling

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    if (!this.graph) {
      throw new Error(
        `Model '${this.name}' has no graph: subclass Model and override call(inputs, { training }), ` +
          'or make a functional model with model({ inputs, outputs }).',
      );
    }
    const outs = this.graph.run(Array.isArray(inputs) ? inputs : [inputs], args.training);
    return outs.length === 1 && !this.outputsAsList ? outs[0]! : outs;
  }

  /**
   * Functional models are built at construction. A subclassed model builds by running its
   * `call` once on zeros of the given shape (batch size 1, inference), which creates its
   * layers' weights.
   */
  override build(inputShape: LayerShape): void {
    if (!this.graph && !this.built) {
      const shapes = shapeList(inputShape);
      const values = shapes.map((s) => {
        if (s.slice(1).some((d) => d === null)) {
          throw new Error(
            `Model '${this.name}': cannot build for input shape ${JSON.stringify(s)} with unknown dimensions.`,
          );
        }
        return zeros([1, ...(s.slice(1) as number[])], this.dtype);
      });
      this.built = true;
      try {
        noGrad(() => this.call(isShapeList(inputShape) ? values : values[0]!, { training: false }));
      } catch (e) {
        this.built = false;
        throw e;
      }
    }
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    if (this.graph) {
      const shapes = this.graph.outputs.map((t) => t.shape);
      return shapes.length === 1 && !this.outputsAsList ? shapes[0]! : shapes;
    }
    this.ensureBuilt(inputShape);
    const shapes = shapeList(inputShape).map((s) =>
      zeros([1, ...s.slice(1).map((d) => d ?? 1)], this.dtype),
    );
    const out = noGrad(() =>
      this.call(isShapeList(inputShape) ? shapes : shapes[0]!, { training: false }),
    );
    const outs = Array.isArray(out) ? out : [out];
    const result: ShapeN[] = outs.map((t) => [null, ...t.shape.slice(1)]);
    return result.length === 1 ? result[0]! : result;
  }

  /** The forward pass the training loop uses (single-output models). */
  forward(x: Tensor | Tensor[], training: boolean): Tensor {
    const outs = this.applyMulti(x, { training });
    if (outs.length !== 1) {
      throw new Error(
        `Model '${this.name}' has ${outs.length} outputs; fit and evaluate support single-output models.`,
      );
    }
    return outs[0]!;
  }

  /** Sum of every layer's weight penalties, or null when no layer has a regularizer. */
  regularizationLoss(): Tensor | null {
    const losses = this.regularizationLosses();
    if (losses.length === 0) return null;
    return losses.slice(1).reduce((a, b) => ops.add(a, b), losses[0]!);
  }

  // ---------------------------------------------------------------- training

  /**
   * Configures training: optimizer (default 'rmsprop', as Keras), loss and metrics, given as
   * names ('adam', 'categorical_crossentropy', 'accuracy') or objects.
   */
  compile(args: CompileArgs): void {
    const { compiled, trainingConfig } = resolveCompileArgs(
      readOptions('compile()', args, COMPILE_KEYS),
    );
    this.compiledModel = compiled;
    this.compileConfig = trainingConfig;
  }

  /** Whether compile() has been called. */
  get compiled(): boolean {
    return this.compiledModel !== null;
  }

  /** The optimizer from compile(). */
  get optimizer(): CompiledModel['optimizer'] {
    return this.requireCompiled('optimizer').optimizer;
  }

  /** The names compile() was given (saved with the model). */
  get trainingConfig(): TrainingConfig | null {
    return this.compileConfig;
  }

  private requireCompiled(what: string): CompiledModel {
    if (!this.compiledModel) {
      throw new Error(
        `You must call compile() before ${what}: model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] }).`,
      );
    }
    return this.compiledModel;
  }

  /** Trains the model (Keras `fit`); resolves to the History of per-epoch logs. */
  async fit(x: Tensor | Tensor[], y: Tensor, options: FitArgs = {}): Promise<History> {
    const compiled = this.requireCompiled('fit()');
    const args = readOptions('fit()', options, FIT_KEYS);
    checkTensors('fit()', 'x', x);
    checkTensors('fit()', 'y', y);
    // The loop collects the trainable weights before its first step, so they must exist.
    if (!this.built) {
      this.ensureBuilt(Array.isArray(x) ? x.map((t) => t.shape) : (x as Tensor).shape);
    }
    return fitLoop(this, compiled, x, y, args);
  }

  /**
   * One optimizer step on one batch (Keras `train_on_batch`); returns the batch's loss
   * (regularisation included). A non-finite loss is returned without applying the step.
   */
  trainOnBatch(x: Tensor | Tensor[], y: Tensor): number {
    const compiled = this.requireCompiled('trainOnBatch()');
    if (!this.built) {
      this.ensureBuilt(Array.isArray(x) ? x.map((t) => t.shape) : (x as Tensor).shape);
    }
    return trainStep(this, compiled, x, y).loss;
  }

  /**
   * Loss and metrics over (x, y) in inference mode. As in Keras: the loss alone when no
   * metrics were compiled, else [loss, ...metrics] in compile order.
   */
  evaluate(x: Tensor | Tensor[], y: Tensor, options: EvaluateArgs = {}): Tensor | Tensor[] {
    const compiled = this.requireCompiled('evaluate()');
    const args = readOptions('evaluate()', options, EVALUATE_KEYS);
    checkTensors('evaluate()', 'x', x);
    checkTensors('evaluate()', 'y', y);
    const batchSize = args.batchSize ?? 32;
    const verbose = args.verbose ?? 1;
    const names = compiled.makeMetrics().map((m) => m.name);
    let bar: ProgbarLogger | null = null;
    if (verbose > 0) {
      const samples = Array.isArray(x) ? (x[0]?.shape[0] ?? 0) : x.shape[0]!;
      bar = new ProgbarLogger({ verbose, stage: 'evaluate' });
      bar.setParams({
        epochs: 1,
        steps: Math.ceil(samples / batchSize),
        samples,
        batchSize,
        verbose,
        metrics: ['loss', ...names],
      });
      bar.onEpochBegin(0);
    }
    const logs = evaluateLoop(this, compiled, x, y, {
      batchSize,
      ...(bar ? { onBatchEnd: (b: number, l: Logs) => bar.onBatchEnd(b, l) } : {}),
    });
    bar?.onEpochEnd(0, logs);
    if (names.length === 0) return scalar(logs['loss']!);
    return [scalar(logs['loss']!), ...names.map((n) => scalar(logs[n]!))];
  }

  /** Outputs for every sample, computed in batches in inference mode (single-output models). */
  predict(x: Tensor | Tensor[], options: PredictArgs = {}): Tensor {
    const args = readOptions('predict()', options, PREDICT_KEYS);
    checkTensors('predict()', 'x', x);
    return predictLoop(this, x, args);
  }

  /** Every output of a multi-output model for every sample, in batches. */
  predictMulti(x: Tensor | Tensor[], args: PredictArgs = {}): Tensor[] {
    const batchSize = args.batchSize ?? 32;
    const xs = Array.isArray(x) ? x : [x];
    const n = xs[0]?.shape[0] ?? 0;
    if (n === 0) throw new Error('predictMulti() needs at least one sample.');
    return predictBatches(x, n, batchSize, (xb) => this.applyMulti(xb, { training: false }));
  }

  // ---------------------------------------------------------------- inspection

  /**
   * Prints Keras 3's summary table: `summary()`, `summary(lineLength)`,
   * `summary(lineLength, positions)`, with a print function last (called once per line;
   * default console.log).
   */
  summary(lineLength?: number, positions?: readonly number[] | PrintFn, printFn?: PrintFn): void {
    const print =
      typeof positions === 'function' ? positions : (printFn ?? ((l: string) => console.log(l)));
    const pos = typeof positions === 'function' ? undefined : positions;
    for (const line of summaryLines(this.summarySource(), lineLength, pos)) print(line);
  }

  /** The summary's lines, for callers that want the text. */
  summaryText(lineLength?: number, positions?: readonly number[]): string {
    return summaryLines(this.summarySource(), lineLength, positions).join('\n');
  }

  protected summarySource(): SummarySource {
    const graph = this.graph;
    let rows: SummaryRow[];
    let sequentialLike = true;
    if (graph) {
      // Keras: chain-shaped functional graphs (one input per call, no shared layers) get the
      // 3-column layout.
      sequentialLike =
        graph.nodes.every((n) => n.inputs.length <= 1) &&
        graph.layers.every((l) => graph.nodesOf(l).length === 1) &&
        graph.inputs.length === 1;
      rows = this.summaryLayers().map((layer) => {
        const nodes = graph.nodesOf(layer);
        const last = nodes.at(-1);
        const shapes = last?.outputs.map((o) => o.shape);
        return {
          layer,
          outputShape: shapes ? (shapes.length === 1 ? shapes[0]! : shapes) : layer.outputShape(),
          connectedTo: nodes.flatMap((n) =>
            n.inputs.map(
              (t) => `${t.sourceLayer.name}[${graph.nodeIndex(t.node)}][${t.tensorIndex}]`,
            ),
          ),
        };
      });
    } else {
      rows = this.summaryLayers().map((layer) => ({ layer, outputShape: layer.outputShape() }));
    }
    return {
      name: this.name,
      sequentialLike,
      rows,
      trainable: this.trainableWeights(),
      nonTrainable: this.nonTrainableWeights(),
    };
  }

  /** Layers shown by summary(). */
  protected summaryLayers(): Layer[] {
    return this.layers;
  }

  // ---------------------------------------------------------------- serialisation

  /**
   * The topology: a functional model's layers and the calls between them. Subclassed models
   * are code, not data, so (as in Keras) they cannot be serialised unless they override this.
   */
  override getConfig(): LayerConfig {
    if (!this.graph) {
      throw new Error(
        `Model '${this.name}' is a subclassed model (${this.className}): its topology is code, so it cannot be serialised. ` +
          'Save its weights with saveWeights(dir) and rebuild the model in code, then loadWeights(dir); ' +
          'or override getConfig() and register the class with registerLayer().',
      );
    }
    const graph: GraphConfig = this.graph.toConfig();
    return { name: this.name, trainable: this.trainable, ...graph };
  }

  /** `{ className, config }`; JSON.stringify(model) gives the topology. */
  toJSON(): { className: string; config: LayerConfig } {
    return { className: this.className, config: this.getConfig() };
  }

  /** Rebuilds a functional model from its getConfig(). */
  static fromConfig(config: Record<string, unknown>): Model {
    const graph = FunctionalGraph.fromConfig(config as unknown as GraphConfig);
    const outputs = config['outputLayers'] as unknown[];
    const m = new Model({
      inputs: graph.inputs,
      outputs: outputs.length === 1 ? graph.outputs[0]! : graph.outputs,
      ...(typeof config['name'] === 'string' ? { name: config['name'] } : {}),
    });
    if (config['trainable'] === false) m.trainable = false;
    return m;
  }

  /**
   * Writes topology, weights and training config in TF.js's Layers format to a folder or URL
   * (Node; see node/models). `includeOptimizer` keeps the optimizer's state too.
   */
  save(dir: string, options: SaveOptions = {}): Promise<void> {
    return requireModelSaver('model.save()', dir).save(this, dir, options);
  }

  /** Writes the weights only (works for subclassed models too). */
  saveWeights(dir: string): Promise<void> {
    return requireModelSaver('model.saveWeights()', dir).saveWeights(this, dir);
  }

  /** Reads weights written by save() or saveWeights() into this (built) model. */
  loadWeights(dir: string): Promise<void> {
    return requireModelSaver('model.loadWeights()', dir).loadWeights(this, dir);
  }

  override toString(): string {
    const input = this.graph
      ? this.graph.inputs.map((t) => formatShape(t.shape.map((d) => d ?? -1))).join(', ')
      : '?';
    return `${this.className} '${this.name}' (inputs ${input}, ${this.countParams()} params)`;
  }
}
