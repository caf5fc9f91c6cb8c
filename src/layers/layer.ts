import {
  getInitializer,
  type FloatDType,
  type InitializerIdentifier,
} from '../initializers/index.js';
import * as ops from '../ops/index.js';
import {
  getRegularizer,
  type Regularizer,
  type RegularizerIdentifier,
} from '../regularizers/index.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import {
  formatKerasShape,
  isShapeList,
  shapeList,
  withNullBatch,
  type LayerShape,
  type ShapeN,
} from './layer-shape.js';
import { toSnakeCase, uniqueName } from './naming.js';
import { Node } from './node.js';
import { SymbolicTensor } from './symbolic-tensor.js';

let shapesOnly = 0;

/**
 * Runs `build` (which makes a model) with layer weights left unallocated: every weight is an
 * empty stand-in, so a model of any size can be built to draw or inspect its shapes (plot-model)
 * without its memory. The result is for drawing only; it cannot run.
 */
export function withoutWeights<T>(build: () => T): T {
  shapesOnly++;
  try {
    return build();
  } finally {
    shapesOnly--;
  }
}

/** Constructor arguments every layer accepts (Keras / TF.js names). */
export interface LayerArgs {
  /** Default: the snake_case class name made unique ('dense', 'dense_1', ...). */
  name?: string;
  /** Default true. False freezes the layer's weights (and puts BatchNormalization in inference). */
  trainable?: boolean;
  /** Weight and compute dtype. Default 'float32'; 'float64' is for gradient checks. */
  dtype?: FloatDType;
  /** Shape of one sample (no batch dimension); lets a Sequential model build at once. */
  inputShape?: readonly (number | null)[];
  /** Full input shape including the batch dimension (usually null). */
  batchInputShape?: readonly (number | null)[];
  /** Batch size to go with `inputShape`. */
  batchSize?: number;
  /** Shorthand for `inputShape: [inputDim]` (TF.js / Keras 2). */
  inputDim?: number;
}

/** What `call` receives besides the inputs. */
export interface CallArgs {
  /** True inside fit: Dropout drops, BatchNormalization uses batch statistics. */
  training: boolean;
}

export interface ApplyArgs {
  /** Default false (inference). */
  training?: boolean;
}

/** Keras's InputSpec: what a built layer accepts. */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  /** Known sizes of some axes (negative axes count from the end). */
  axes?: Record<number, number>;
}

/** A layer's config: its constructor arguments, JSON-safe. */
export type LayerConfig = Record<string, unknown> & { name: string };

interface WeightEntry {
  variable: Variable;
  /** Trainable by design (BatchNormalization's moving statistics are not). */
  trainable: boolean;
  regularizer: Regularizer | null;
}

type AnyInputs = Tensor | SymbolicTensor | readonly (Tensor | SymbolicTensor)[];

/** Bytes of weights layers may still create, while a saved model is being rebuilt. */
let weightBudget: { remaining: number; what: string } | null = null;

/**
 * Runs `fn` with a cap on the bytes of weights that layers may create (4 per value), so a
 * model rebuilt from an untrusted file cannot allocate more than its weight files hold. `what`
 * names the limit in the error.
 */
export function withWeightBudget<T>(bytes: number, what: string, fn: () => T): T {
  const outer = weightBudget;
  weightBudget = { remaining: bytes, what };
  try {
    return fn();
  } finally {
    weightBudget = outer;
  }
}

/**
 * The base of every layer (Keras 3's shape): `build(inputShape)` makes the weights with
 * `addWeight`, `call(inputs, { training })` computes the outputs, `computeOutputShape` says
 * what shape they have, and `getConfig` returns the constructor arguments.
 *
 * `apply` runs the layer: on concrete Tensors it builds the layer if needed and computes; on
 * SymbolicTensors (functional API) it builds, records the call as a Node and returns
 * SymbolicTensors of the output shape.
 */
export abstract class Layer {
  /** Registry name; subclasses set their own (a class without one uses its JS name). */
  static readonly className: string = 'Layer';

  name: string;
  readonly dtype: FloatDType;
  built = false;
  /** The input shape given to the constructor, batch dimension included, if any. */
  readonly batchInputShape: ShapeN | undefined;
  /** The shape the layer was built for (batch dimension null). */
  buildInputShape: LayerShape | undefined;
  /** Calls on symbolic tensors, in order. */
  readonly inboundNodes: Node[] = [];
  /** Checked on every call once built. */
  protected inputSpec: InputSpec | null = null;
  /** Whether inputs are cast to the layer's dtype before `call` (models pass them through). */
  protected autocast = true;

  private _trainable: boolean;
  private readonly weightEntries: WeightEntry[] = [];

  constructor(args: LayerArgs = {}) {
    this.name = args.name ?? uniqueName(toSnakeCase(this.className));
    this._trainable = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    if (this.dtype !== 'float32' && this.dtype !== 'float64') {
      throw new Error(`Layer dtype must be 'float32' or 'float64', got '${String(this.dtype)}'.`);
    }
    if (args.batchInputShape) {
      this.batchInputShape = [...args.batchInputShape];
    } else if (args.inputShape || args.inputDim !== undefined) {
      const shape = args.inputShape ?? [args.inputDim!];
      this.batchInputShape = [args.batchSize ?? null, ...shape];
    }
    if (this.batchInputShape) {
      for (const d of this.batchInputShape) {
        if (d !== null && !(Number.isInteger(d) && d >= 0)) {
          throw new Error(
            `Layer '${this.name}': input shape ${formatKerasShape(this.batchInputShape)} must hold non-negative integers or null.`,
          );
        }
      }
    }
  }

  /** The class name used for serialisation ('Dense', 'Conv2D', or a subclass's JS name). */
  get className(): string {
    const ctor = this.constructor as { className?: string; name: string };
    return Object.hasOwn(ctor, 'className') ? ctor.className! : ctor.name;
  }

  get trainable(): boolean {
    return this._trainable;
  }

  /** Freezes or unfreezes the layer's weights (and, as in Keras, those of its sublayers). */
  set trainable(value: boolean) {
    this._trainable = value;
    for (const e of this.weightEntries) e.variable.requiresGrad = e.trainable && value;
    for (const layer of this.sublayers()) layer.trainable = value;
  }

  // ---------------------------------------------------------------- to override

  /**
   * Creates the weights for inputs of `inputShape` (batch dimension null). Overrides call
   * `super.build(inputShape)` last, which marks the layer built.
   */
  build(inputShape: LayerShape): void {
    this.buildInputShape = isShapeList(inputShape)
      ? inputShape.map((s) => withNullBatch(s))
      : withNullBatch(inputShape as ShapeN);
    this.built = true;
  }

  /** The forward computation on concrete tensors. */
  abstract call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[];

  /** The output shape for an input shape (default: unchanged). */
  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  /** Constructor arguments, JSON-safe; `fromConfig` / the registry rebuild the layer from it. */
  getConfig(): LayerConfig {
    const config: LayerConfig = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config['batchInputShape'] = [...this.batchInputShape];
    return config;
  }

  /** Layers whose weights this one owns too (models return their layers). */
  protected sublayers(): Layer[] {
    return [];
  }

  // ---------------------------------------------------------------- calling

  /** Runs the layer on one input; returns its single output (see `applyMulti` for several). */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], args?: ApplyArgs): SymbolicTensor;
  apply(inputs: Tensor | readonly Tensor[], args?: ApplyArgs): Tensor;
  apply(inputs: AnyInputs, args?: ApplyArgs): Tensor | SymbolicTensor;
  apply(inputs: AnyInputs, args: ApplyArgs = {}): Tensor | SymbolicTensor {
    const outs = this.applyMulti(inputs, args);
    if (outs.length !== 1) {
      throw new Error(
        `Layer '${this.name}' has ${outs.length} outputs; use applyMulti() to get all of them.`,
      );
    }
    return outs[0]!;
  }

  /** Runs the layer and returns all of its outputs. */
  applyMulti(
    inputs: SymbolicTensor | readonly SymbolicTensor[],
    args?: ApplyArgs,
  ): SymbolicTensor[];
  applyMulti(inputs: Tensor | readonly Tensor[], args?: ApplyArgs): Tensor[];
  applyMulti(inputs: AnyInputs, args?: ApplyArgs): Tensor[] | SymbolicTensor[];
  applyMulti(inputs: AnyInputs, args: ApplyArgs = {}): Tensor[] | SymbolicTensor[] {
    const asList = Array.isArray(inputs);
    const list = (asList ? inputs : [inputs]) as readonly (Tensor | SymbolicTensor)[];
    if (list.length === 0) throw new Error(`Layer '${this.name}' was called with no inputs.`);
    const symbolic = list.filter((t) => t instanceof SymbolicTensor).length;
    if (symbolic > 0 && symbolic < list.length) {
      throw new Error(
        `Layer '${this.name}' was called with a mix of symbolic and concrete tensors; use one kind.`,
      );
    }
    if (symbolic > 0) return this.applySymbolic(list as SymbolicTensor[], asList);
    return this.applyEager(list as Tensor[], asList, args.training ?? false);
  }

  private applySymbolic(list: SymbolicTensor[], asList: boolean): SymbolicTensor[] {
    const shapes = list.map((s) => s.shape);
    const shapeArg: LayerShape = asList ? shapes : shapes[0]!;
    this.ensureBuilt(shapeArg);
    this.assertInputCompatible(shapes);
    const out = this.computeOutputShape(shapeArg);
    const node = new Node(this, list, asList, shapeList(out), this.dtype);
    return [...node.outputs];
  }

  private applyEager(list: Tensor[], asList: boolean, training: boolean): Tensor[] {
    let xs = list;
    if (this.autocast) xs = xs.map((x) => (x.dtype === this.dtype ? x : ops.cast(x, this.dtype)));
    const shapes = xs.map((x) => x.shape);
    this.ensureBuilt(asList ? shapes : shapes[0]!);
    this.assertInputCompatible(shapes);
    const out = this.call(asList ? xs : xs[0]!, { training });
    return Array.isArray(out) ? out : [out];
  }

  /** Builds the layer for `inputShape` unless already built. */
  ensureBuilt(inputShape: LayerShape): void {
    if (this.built) return;
    const shape = isShapeList(inputShape)
      ? inputShape.map((s) => withNullBatch(s))
      : withNullBatch(inputShape as ShapeN);
    this.build(shape);
    this.buildInputShape ??= shape;
    this.built = true;
  }

  /** Throws, Keras-style, when an input does not match `inputSpec`. */
  protected assertInputCompatible(shapes: readonly ShapeN[]): void {
    const spec = this.inputSpec;
    if (!spec) return;
    const shape = shapes[0]!;
    const fail = (what: string): never => {
      throw new Error(
        `Input 0 of layer "${this.name}" is incompatible with the layer: ${what}, but received input with shape ${formatKerasShape(shape)}.`,
      );
    };
    if (spec.ndim !== undefined && shape.length !== spec.ndim) fail(`expected ndim=${spec.ndim}`);
    if (spec.minNdim !== undefined && shape.length < spec.minNdim)
      fail(`expected min_ndim=${spec.minNdim}`);
    for (const [axisText, size] of Object.entries(spec.axes ?? {})) {
      const axis = Number(axisText);
      const d = shape[axis < 0 ? shape.length + axis : axis];
      if (d !== null && d !== undefined && d !== size) {
        fail(`expected axis ${axis} of input shape to have value ${size}`);
      }
    }
  }

  // ---------------------------------------------------------------- weights

  /**
   * Creates a weight named `<layer>/<name>`. Trainable weights get gradients; the regulariser's
   * penalty joins the loss.
   */
  addWeight(
    name: string,
    shape: readonly number[],
    initializer: InitializerIdentifier,
    regularizer: RegularizerIdentifier | null = null,
    trainable = true,
  ): Variable {
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(
        `Layer '${this.name}': weight '${name}' needs a fully known shape, got ${formatShape(shape)}.`,
      );
    }
    if (weightBudget) {
      const bytes = sizeOf(shape) * 4;
      if (bytes > weightBudget.remaining) {
        throw new Error(
          `layer '${this.name}' would create weight '${name}' of shape ${formatShape(shape)} (${bytes} bytes), more than ${weightBudget.what} (${weightBudget.remaining} bytes left).`,
        );
      }
      weightBudget.remaining -= bytes;
    }
    const init = getInitializer(initializer);
    // Inside withoutWeights: an empty stand-in, so a model can be drawn from shapes alone.
    const value =
      shapesOnly > 0 ? new Tensor(new Float32Array(0), [0]) : init.apply(shape, this.dtype);
    const variable = new Variable(value, { name: `${this.name}/${name}`, trainable });
    variable.requiresGrad = trainable && this._trainable;
    this.weightEntries.push({
      variable,
      trainable,
      regularizer: regularizer === null ? null : getRegularizer(regularizer),
    });
    return variable;
  }

  /** All weights: this layer's trainable, then non-trainable, then its sublayers' (Keras order). */
  get weights(): Variable[] {
    const own = [
      ...this.weightEntries.filter((e) => e.trainable),
      ...this.weightEntries.filter((e) => !e.trainable),
    ].map((e) => e.variable);
    return unique([...own, ...this.sublayers().flatMap((l) => l.weights)]);
  }

  /** Weights the optimizer updates (none when the layer is frozen). */
  trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    const own = this.weightEntries.filter((e) => e.trainable).map((e) => e.variable);
    return unique([...own, ...this.sublayers().flatMap((l) => l.trainableWeights())]);
  }

  nonTrainableWeights(): Variable[] {
    if (!this.trainable) return this.weights;
    const own = this.weightEntries.filter((e) => !e.trainable).map((e) => e.variable);
    return unique([...own, ...this.sublayers().flatMap((l) => l.nonTrainableWeights())]);
  }

  /** Number of weight values. */
  countParams(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /** Copies of the weight values, in `weights` order. */
  getWeights(): Float32Array[] {
    return this.weights.map((v) => Float32Array.from(v.values));
  }

  /** Sets the weight values, in `weights` order. */
  setWeights(values: readonly (Float32Array | Float64Array)[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new Error(
        `Layer '${this.name}' has ${ws.length} weights, but setWeights() got ${values.length} arrays.`,
      );
    }
    ws.forEach((v, i) => {
      if (values[i]!.length !== v.size) {
        throw new Error(
          `setWeights(): weight '${v.name}' of shape ${formatShape(v.shape)} needs ${v.size} values, got ${values[i]!.length}.`,
        );
      }
    });
    ws.forEach((v, i) => v.assign(values[i]!));
  }

  /** Penalties of the trainable weights' regularizers (recorded for autograd). */
  regularizationLosses(): Tensor[] {
    const own = this.trainable
      ? this.weightEntries
          .filter((e) => e.trainable && e.regularizer)
          .map((e) => e.regularizer!.apply(e.variable))
      : [];
    return [...own, ...this.sublayers().flatMap((l) => l.regularizationLosses())];
  }

  /** The output shape recorded by the layer's first symbolic call, or computed from its build. */
  outputShape(): LayerShape | undefined {
    const node = this.inboundNodes[0];
    if (node) {
      const shapes = node.outputs.map((o) => o.shape);
      return shapes.length === 1 ? shapes[0]! : shapes;
    }
    if (this.buildInputShape) return this.computeOutputShape(this.buildInputShape);
    return undefined;
  }
}

function unique(vs: Variable[]): Variable[] {
  return [...new Set(vs)];
}

/** The one tensor of a single-input layer's call (a one-element list is accepted). */
export function singleInput(inputs: Tensor | Tensor[], layer: Layer): Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) {
    throw new Error(`Layer '${layer.name}' takes one input, got ${inputs.length}.`);
  }
  return inputs[0]!;
}

/** The one shape of a single-input layer. */
export function singleShape(shape: LayerShape, layer: Layer): ShapeN {
  if (!isShapeList(shape)) return shape as ShapeN;
  if (shape.length !== 1) {
    throw new Error(`Layer '${layer.name}' takes one input, got ${shape.length}.`);
  }
  return shape[0]!;
}

/** Total size of the known dimensions, or null if any is unknown. */
export function knownSize(dims: ShapeN): number | null {
  return dims.some((d) => d === null) ? null : sizeOf(dims as number[]);
}
