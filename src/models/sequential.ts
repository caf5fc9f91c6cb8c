import { InputLayer } from '../layers/input-layer.js';
import { fusedPair } from '../layers/fusion.js';
import { Layer, type CallArgs, type LayerConfig } from '../layers/layer.js';
import { deserializeLayer } from '../layers/layer-registry.js';
import { shapeList, type LayerShape } from '../layers/layer-shape.js';
import { SymbolicTensor } from '../layers/symbolic-tensor.js';
import type { SerializedObject } from '../initializers/initializer.js';
import type { Tensor } from '../tensor/tensor.js';
import { FunctionalGraph } from './functional-graph.js';
import { Model } from './model.js';

export interface SequentialArgs {
  layers?: readonly Layer[];
  name?: string;
  trainable?: boolean;
}

/**
 * A plain stack of single-input layers. Builds as soon as its input shape is known (the first
 * layer's `inputShape`, an `input()` added first, or `build(shape)`), else on the first call.
 */
export class Sequential extends Model {
  static override readonly className: string = 'Sequential';
  /** The layers, with an InputLayer first once the input shape is known. */
  private readonly stack: Layer[] = [];

  constructor(args: SequentialArgs = {}) {
    super({
      ...(args.name !== undefined ? { name: args.name } : {}),
      ...(args.trainable !== undefined ? { trainable: args.trainable } : {}),
    });
    for (const layer of args.layers ?? []) this.add(layer);
  }

  override get isSubclassed(): boolean {
    return false;
  }

  /** The layers, without the InputLayer (as in Keras). */
  override get layers(): Layer[] {
    return this.stack.filter((l) => !(l instanceof InputLayer));
  }

  /** Appends a layer (or an `input()` tensor, to fix the input shape). */
  add(layer: Layer | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) {
      if (!(layer.sourceLayer instanceof InputLayer)) {
        throw new Error('Sequential.add() takes layers, or a tensor from input().');
      }
      layer = layer.sourceLayer;
    }
    if (!(layer instanceof Layer)) {
      throw new TypeError(
        `Sequential.add() takes a layer, such as layers.dense({ units: 10 }); got ${typeof layer === 'function' ? 'a function (call it to make the layer)' : String(layer)}.`,
      );
    }
    if (layer instanceof InputLayer) {
      if (this.stack.length > 0) {
        throw new Error(`Sequential '${this.name}': an input layer can only come first.`);
      }
    } else if (this.stack.length === 0 && layer.batchInputShape) {
      this.stack.push(new InputLayer({ batchInputShape: layer.batchInputShape }));
    }
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new Error(
        `All layers added to a Sequential model should have unique names. Name "${layer.name}" is already the name of a layer in this model.`,
      );
    }
    if (this.graph) {
      // Extend the built graph by one call (this also builds the new layer).
      const out = layer.apply(this.graph.outputs[0]!);
      this.stack.push(layer);
      this.setGraph(new FunctionalGraph(this.graph.inputs, [out]));
      return;
    }
    const before = this.stack.length;
    this.stack.push(layer);
    if (this.stack[0] instanceof InputLayer) {
      try {
        this.rebuild();
      } catch (e) {
        this.stack.splice(before);
        this.rebuild();
        throw e;
      }
    }
  }

  /** Removes the last layer. */
  pop(): Layer {
    const last = this.layers.at(-1);
    if (!last) throw new Error(`Sequential '${this.name}' has no layers to pop.`);
    this.stack.splice(this.stack.indexOf(last), 1);
    this.rebuild();
    return last;
  }

  private rebuild(): void {
    const first = this.stack[0];
    if (!(first instanceof InputLayer)) {
      this.graph = null;
      this.built = false;
      return;
    }
    let out = first.output;
    for (const layer of this.stack.slice(1)) out = layer.apply(out);
    this.setGraph(new FunctionalGraph([first.output], [out]));
  }

  /** Builds for inputs of `inputShape` (batch dimension included, usually null). */
  override build(inputShape: LayerShape): void {
    if (!this.graph) {
      const shapes = shapeList(inputShape);
      if (shapes.length !== 1) {
        throw new Error(`Sequential '${this.name}' takes one input, got ${shapes.length}.`);
      }
      if (!(this.stack[0] instanceof InputLayer)) {
        this.stack.unshift(new InputLayer({ batchInputShape: [null, ...shapes[0]!.slice(1)] }));
      }
      this.rebuild();
    }
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    let x = Array.isArray(inputs) ? inputs : [inputs];
    if (x.length !== 1)
      throw new Error(`Sequential '${this.name}' takes one input, got ${x.length}.`);
    const layers = this.layers;
    for (let i = 0; i < layers.length; i++) {
      const fused = fusedPair(layers[i]!, layers[i + 1], x[0]!);
      if (fused) {
        x = [fused(x[0]!)];
        i++;
      } else {
        x = layers[i]!.applyMulti(x[0]!, args);
      }
    }
    return x[0]!;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.ensureBuilt(inputShape);
    return this.graph!.outputs[0]!.shape;
  }

  protected override summaryLayers(): Layer[] {
    return this.layers;
  }

  override getConfig(): LayerConfig {
    return {
      name: this.name,
      trainable: this.trainable,
      layers: this.stack.map((l) => ({ className: l.className, config: l.getConfig() })),
    };
  }

  static override fromConfig(config: Record<string, unknown>): Sequential {
    const specs = (config['layers'] ?? []) as SerializedObject[];
    if (!Array.isArray(specs)) throw new Error('A Sequential config needs a layers list.');
    return new Sequential({
      layers: specs.map((s) => deserializeLayer(s)),
      ...(typeof config['name'] === 'string' ? { name: config['name'] } : {}),
      ...(config['trainable'] === false ? { trainable: false } : {}),
    });
  }
}
