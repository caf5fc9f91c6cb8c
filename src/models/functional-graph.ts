import { fusedPair } from '../layers/fusion.js';
import { InputLayer } from '../layers/input-layer.js';
import type { Layer } from '../layers/layer.js';
import { formatKerasShape } from '../layers/layer-shape.js';
import { deserializeLayer } from '../layers/layer-registry.js';
import type { Node } from '../layers/node.js';
import { SymbolicTensor } from '../layers/symbolic-tensor.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** A reference to a tensor in a serialised graph: [layer name, node index, tensor index]. */
export type TensorRef = [string, number, number];

/** One layer of a serialised functional model, with the calls made of it. */
export interface SerializedGraphLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
  /** One entry per call of the layer in this graph, in order. */
  inboundNodes: { inputs: TensorRef[]; asList?: boolean }[];
}

export interface GraphConfig {
  layers: SerializedGraphLayer[];
  inputLayers: TensorRef[];
  outputLayers: TensorRef[];
}

/**
 * The graph of a functional model: the layer calls (nodes) between its symbolic inputs and
 * outputs, in an order where every node comes after the nodes it reads from. Running it feeds
 * concrete tensors through the same calls.
 */
export class FunctionalGraph {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Topologically ordered; the input layers' nodes first, in input order. */
  readonly nodes: readonly Node[];
  /** Each layer once, in order of first use. */
  readonly layers: readonly Layer[];
  private fusable: Map<Node, Node> | undefined;

  constructor(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]) {
    if (inputs.length === 0) throw new Error('A functional model needs at least one input.');
    if (outputs.length === 0) throw new Error('A functional model needs at least one output.');
    for (const t of [...inputs, ...outputs]) {
      if (!(t instanceof SymbolicTensor)) {
        throw new Error(
          'Model inputs and outputs must be symbolic tensors (from input() and layer.apply()), not concrete Tensors.',
        );
      }
    }
    inputs.forEach((t, i) => {
      if (!(t.sourceLayer instanceof InputLayer)) {
        throw new Error(
          `Model input ${i} must come from input() (an InputLayer); it is the output of layer '${t.sourceLayer.name}'.`,
        );
      }
    });
    if (new Set(inputs).size !== inputs.length) {
      throw new Error('The same input tensor is given to the model more than once.');
    }
    this.inputs = [...inputs];
    this.outputs = [...outputs];
    this.nodes = this.order();
    const layers: Layer[] = [];
    for (const n of this.nodes) if (!layers.includes(n.layer)) layers.push(n.layer);
    this.layers = layers;
    const names = new Map<string, number>();
    for (const l of layers) names.set(l.name, (names.get(l.name) ?? 0) + 1);
    for (const [name, count] of names) {
      if (count > 1) {
        throw new Error(
          `The name "${name}" is used ${count} times in the model. All layer names should be unique.`,
        );
      }
    }
  }

  /** Depth-first post-order from the outputs, with the input nodes placed first. */
  private order(): Node[] {
    const order: Node[] = this.inputs.map((t) => t.node);
    const done = new Set<Node>(order);
    const visiting = new Set<Node>();
    const accessed: string[] = [];
    const visit = (t: SymbolicTensor, consumer: string): void => {
      const node = t.node;
      if (done.has(node)) return;
      if (node.layer instanceof InputLayer) {
        throw new Error(
          `Graph disconnected: cannot obtain value for tensor ${t.toString()} at layer "${consumer}". ` +
            `The following previous layers were accessed without issue: [${accessed.map((a) => `'${a}'`).join(', ')}]. ` +
            'Pass every input the outputs depend on in model({ inputs }).',
        );
      }
      if (visiting.has(node)) throw new Error('The layer graph has a cycle.');
      visiting.add(node);
      for (const input of node.inputs) visit(input, node.layer.name);
      visiting.delete(node);
      done.add(node);
      order.push(node);
      accessed.push(node.layer.name);
    };
    for (const t of this.outputs) visit(t, t.sourceLayer.name);
    return order;
  }

  /** Index of `node` among the calls of its layer that belong to this graph. */
  nodeIndex(node: Node): number {
    return this.nodes.filter((n) => n.layer === node.layer).indexOf(node);
  }

  /** The calls of `layer` in this graph. */
  nodesOf(layer: Layer): Node[] {
    return this.nodes.filter((n) => n.layer === layer);
  }

  /** Feeds `values` (one per input) through the graph and returns the outputs. */
  run(values: readonly Tensor[], training: boolean): Tensor[] {
    if (values.length !== this.inputs.length) {
      throw new Error(
        `The model expects ${this.inputs.length} input(s), but it received ${values.length}.`,
      );
    }
    const computed = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((s, i) => {
      const v = values[i]!;
      const fits =
        v.rank === s.rank && s.shape.every((d, j) => d === null || j === 0 || d === v.shape[j]);
      if (!fits) {
        throw new Error(
          `Input ${i} ("${s.sourceLayer.name}") of the model expects shape ${formatKerasShape(s.shape)}, got ${formatShape(v.shape)}.`,
        );
      }
      computed.set(s, v);
    });
    const fusable = this.fusablePairs();
    for (const node of this.nodes) {
      if (node.inputs.length === 0 || computed.has(node.outputs[0]!)) continue;
      const args = node.inputs.map((s) => computed.get(s)!);
      const next = fusable.get(node);
      const fused = next && fusedPair(node.layer, next.layer, args[0]!);
      if (fused) {
        // The pair as one op: the next node's output, this node's never formed.
        computed.set(next.outputs[0]!, fused(args[0]!));
        continue;
      }
      const outs = node.layer.applyMulti(node.inputsAsList ? args : args[0]!, { training });
      node.outputs.forEach((s, i) => computed.set(s, outs[i]!));
    }
    return this.outputs.map((s) => computed.get(s)!);
  }

  /**
   * Nodes whose single output feeds exactly one other node of the graph (as its single input)
   * and is not a model output: the pairs `fusedPair` may run as one op.
   */
  private fusablePairs(): Map<Node, Node> {
    if (this.fusable) return this.fusable;
    const readers = new Map<SymbolicTensor, Node[]>();
    for (const node of this.nodes)
      for (const s of node.inputs) readers.set(s, [...(readers.get(s) ?? []), node]);
    this.fusable = new Map();
    for (const node of this.nodes) {
      if (node.outputs.length !== 1 || this.outputs.includes(node.outputs[0]!)) continue;
      const next = readers.get(node.outputs[0]!);
      if (next?.length === 1 && next[0]!.inputs.length === 1 && !next[0]!.inputsAsList) {
        this.fusable.set(node, next[0]!);
      }
    }
    return this.fusable;
  }

  private ref(t: SymbolicTensor): TensorRef {
    return [t.sourceLayer.name, this.nodeIndex(t.node), t.tensorIndex];
  }

  /** The graph as JSON-safe data (layer configs plus the calls between them). */
  toConfig(): GraphConfig {
    return {
      layers: this.layers.map((layer) => ({
        className: layer.className,
        name: layer.name,
        config: layer.getConfig(),
        inboundNodes: this.nodesOf(layer)
          .filter((n) => n.inputs.length > 0)
          .map((n) => ({
            inputs: n.inputs.map((t) => this.ref(t)),
            ...(n.inputsAsList ? { asList: true } : {}),
          })),
      })),
      inputLayers: this.inputs.map((t) => this.ref(t)),
      outputLayers: this.outputs.map((t) => this.ref(t)),
    };
  }

  /**
   * Rebuilds the layers of a serialised graph and replays their calls; returns the symbolic
   * inputs and outputs to make a model from.
   */
  static fromConfig(config: GraphConfig): {
    inputs: SymbolicTensor[];
    outputs: SymbolicTensor[];
  } {
    const layers = new Map<string, Layer>();
    for (const l of config.layers) {
      layers.set(
        l.name,
        deserializeLayer({ className: l.className, config: { ...l.config, name: l.name } }),
      );
    }
    // Outputs of each replayed call: `${layer}/${node index}`.
    const made = new Map<string, readonly SymbolicTensor[]>();
    for (const [name, layer] of layers) {
      if (layer instanceof InputLayer) made.set(`${name}/0`, [layer.output]);
    }
    const lookup = (r: TensorRef): SymbolicTensor | undefined =>
      made.get(`${r[0]}/${r[1]}`)?.[r[2]];
    const pending = config.layers
      .filter((l) => !(layers.get(l.name) instanceof InputLayer))
      .map((l) => ({ spec: l, next: 0 }));
    for (let progress = true; progress;) {
      progress = false;
      for (const p of pending) {
        while (p.next < p.spec.inboundNodes.length) {
          const call = p.spec.inboundNodes[p.next]!;
          const args = call.inputs.map(lookup);
          if (args.some((a) => a === undefined)) break;
          const layer = layers.get(p.spec.name)!;
          const outs = layer.applyMulti(call.asList ? (args as SymbolicTensor[]) : args[0]!);
          made.set(`${p.spec.name}/${p.next}`, outs);
          p.next++;
          progress = true;
        }
      }
    }
    const stuck = pending.find((p) => p.next < p.spec.inboundNodes.length);
    if (stuck) {
      throw new Error(
        `Cannot rebuild the model: the inputs of layer '${stuck.spec.name}' are never produced (references ${JSON.stringify(stuck.spec.inboundNodes[stuck.next]!.inputs)}).`,
      );
    }
    const resolve = (r: TensorRef): SymbolicTensor => {
      if (!layers.has(r[0]))
        throw new Error(`The model config refers to an unknown layer '${r[0]}'.`);
      const t = lookup(r);
      if (!t) throw new Error(`The model config refers to a missing tensor ${JSON.stringify(r)}.`);
      return t;
    };
    return {
      inputs: config.inputLayers.map(resolve),
      outputs: config.outputLayers.map(resolve),
    };
  }
}
