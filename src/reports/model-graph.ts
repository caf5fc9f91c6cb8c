// Keras's plot_model(model, show_shapes=True) as data and as DOT text: one box per layer with
// its name, class and shapes, arrows along the data flow. Rendering is left to graphviz
// (node/reports/model-diagram.ts), so this stays browser-safe.
import type { Layer } from '../layers/layer.js';
import type { LayerShape } from '../layers/layer-shape.js';
import type { Node } from '../layers/node.js';
import { FunctionalGraph } from '../models/functional-graph.js';
import type { Model } from '../models/model.js';
import { formatLayerShape } from '../models/summary.js';

/** One box of the diagram: a layer of the model. */
export interface ModelGraphNode {
  /** The DOT node id ('layer0', 'layer1', ...), in the order summary() lists the layers. */
  id: string;
  name: string;
  className: string;
  /** What the layer is called on: one shape, or a list for several inputs; undefined if unknown. */
  inputShape: LayerShape | undefined;
  /** What it returns, as summary() shows it. */
  outputShape: LayerShape | undefined;
}

/** An arrow: an output of `from` is an input of `to` (one per input of each call). */
export interface ModelGraphEdge {
  from: string;
  to: string;
}

export interface ModelGraph {
  name: string;
  className: string;
  nodes: ModelGraphNode[];
  edges: ModelGraphEdge[];
}

export interface ModelDotOptions {
  /** Input and output shapes in each box (default true, as plot_model's show_shapes=True). */
  showShapes?: boolean;
  /** Layer names in the boxes, else class names only (default true). */
  showLayerNames?: boolean;
  /** 'TB' top to bottom (default) or 'LR' left to right. */
  rankdir?: 'TB' | 'LR';
  /**
   * Resolution for raster output when graphviz itself renders the DOT (`dot -Tpng`). Left out
   * by default: graphviz scales SVG output by dpi / 72.
   */
  dpi?: number;
}

function callShapes(node: Node): { input: LayerShape | undefined; output: LayerShape } {
  const outs = node.outputs.map((t) => t.shape);
  const output = outs.length === 1 ? outs[0]! : outs;
  // An input layer has no inbound tensors: what it takes is what it gives.
  if (node.inputs.length === 0) return { input: output, output };
  const ins = node.inputs.map((t) => t.shape);
  return { input: ins.length === 1 && !node.inputsAsList ? ins[0]! : ins, output };
}

function notBuilt(model: Model): Error {
  return new Error(
    `Model '${model.name}' is not built, so its layers' shapes are unknown: give the first layer an inputShape, ` +
      'call model.build(inputShape), or call the model on data first.',
  );
}

/**
 * The diagram's boxes and arrows. Layers are those summary() lists (a Sequential model's
 * input layer is left out, as in Keras 3), and each shows its last call in the graph, as
 * summary() does. A subclassed model is one box: its topology is code.
 */
export function modelGraph(model: Model): ModelGraph {
  const head = { name: model.name, className: model.className };
  if (model.isSubclassed) {
    if (!model.built) throw notBuilt(model);
    return {
      ...head,
      nodes: [
        {
          id: 'layer0',
          name: model.name,
          className: model.className,
          inputShape: model.buildInputShape,
          outputShape: model.outputShape(),
        },
      ],
      edges: [],
    };
  }
  if (model.inputs.length === 0) throw notBuilt(model);
  // Rebuilt from the public inputs and outputs: the same calls in the same order.
  const graph = new FunctionalGraph(model.inputs, model.outputs);
  const shown: Layer[] = model.layers;
  const ids = new Map<Layer, string>(shown.map((l, i) => [l, `layer${i}`]));
  const nodes = shown.map((layer): ModelGraphNode => {
    const last = graph.nodesOf(layer).at(-1);
    const shapes = last ? callShapes(last) : undefined;
    return {
      id: ids.get(layer)!,
      name: layer.name,
      className: layer.className,
      inputShape: shapes?.input ?? layer.buildInputShape,
      outputShape: shapes?.output ?? layer.outputShape(),
    };
  });
  const edges: ModelGraphEdge[] = [];
  for (const call of graph.nodes) {
    const to = ids.get(call.layer);
    if (to === undefined) continue;
    for (const t of call.inputs) {
      const from = ids.get(t.sourceLayer);
      if (from !== undefined) edges.push({ from, to });
    }
  }
  return { ...head, nodes, edges };
}

/** Text for an HTML-like label: markup characters as entities, control characters spelled out. */
export function escapeHtmlLabel(text: string): string {
  return text.replace(/[&<>"'\p{Cc}]/gu, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&#39;';
      default:
        // Shown as a JSON escape (\n, \t, \u0001) rather than laid out or dropped.
        return JSON.stringify(c).slice(1, -1);
    }
  });
}

/** A DOT quoted string: only '"' is an escape there, so a backslash is doubled to stay literal. */
function quoteId(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const FONT = 'DejaVu Sans';
const HEADER_BG = '#263238';
const INPUT_HEADER_BG = '#546e7a';
const BORDER = '#90a4ae';
const CAPTION = '#607d8b';

function nodeLabel(node: ModelGraphNode, showShapes: boolean, showNames: boolean): string {
  const cls = escapeHtmlLabel(node.className);
  const title = showNames ? `<b>${escapeHtmlLabel(node.name)}</b> (${cls})` : `<b>${cls}</b>`;
  const bg = node.className === 'InputLayer' ? INPUT_HEADER_BG : HEADER_BG;
  const rows = [
    `<tr><td${showShapes ? ' colspan="2"' : ''} bgcolor="${bg}" cellpadding="6"><font color="white" point-size="12">${title}</font></td></tr>`,
  ];
  if (showShapes) {
    const cell = (caption: string, shape: LayerShape | undefined): string =>
      `<td bgcolor="white"><font point-size="9" color="${CAPTION}">${caption}</font><br/>` +
      `<font point-size="11">${escapeHtmlLabel(formatLayerShape(shape))}</font></td>`;
    rows.push(
      `<tr>${cell('Input shape', node.inputShape)}${cell('Output shape', node.outputShape)}</tr>`,
    );
  }
  return `<<table border="1" cellborder="1" cellspacing="0" cellpadding="5" color="${BORDER}">${rows.join('')}</table>>`;
}

/** The model as a graphviz DOT digraph (Keras's model_to_dot). */
export function modelToDot(model: Model, options: ModelDotOptions = {}): string {
  const showShapes = options.showShapes ?? true;
  const showNames = options.showLayerNames ?? true;
  const rankdir = options.rankdir ?? 'TB';
  if (rankdir !== 'TB' && rankdir !== 'LR') {
    throw new Error(`rankdir must be 'TB' or 'LR', got '${String(rankdir)}'.`);
  }
  if (options.dpi !== undefined && !(Number.isFinite(options.dpi) && options.dpi > 0)) {
    throw new Error(`dpi must be a positive number, got ${options.dpi}.`);
  }
  const g = modelGraph(model);
  const graphAttrs = [
    `rankdir=${rankdir}`,
    'nodesep=0.3',
    'ranksep=0.35',
    'pad=0.15',
    `fontname="${FONT}"`,
    ...(options.dpi !== undefined ? [`dpi=${options.dpi}`] : []),
  ];
  const lines = [
    `digraph ${quoteId(g.name)} {`,
    `  graph [${graphAttrs.join(', ')}];`,
    `  node [shape=plain, fontname="${FONT}"];`,
    `  edge [color="#455a64", arrowsize=0.7, penwidth=1.2];`,
  ];
  for (const n of g.nodes) lines.push(`  ${n.id} [label=${nodeLabel(n, showShapes, showNames)}];`);
  for (const e of g.edges) lines.push(`  ${e.from} -> ${e.to};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
