import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { Dense, input, layers, type CallArgs } from '../layers/index.js';
import { Model, model, sequential } from '../models/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { escapeHtmlLabel, modelGraph, modelToDot } from './model-graph.js';

function twoBranch(): Model {
  const x = input({ shape: [784], name: 'pixels' });
  const wide = layers.dense({ units: 256, name: 'wide' }).apply(x);
  const deep1 = layers.dense({ units: 64, name: 'deep_1' }).apply(x);
  const deep2 = layers.dense({ units: 32, name: 'deep_2' }).apply(deep1);
  const merged = layers.concatenate({ name: 'merge' }).apply([wide, deep2]);
  const out = layers.dense({ units: 10, activation: 'softmax', name: 'probs' }).apply(merged);
  return model({ inputs: x, outputs: out, name: 'wide_and_deep' });
}

test('a Sequential model is a chain of its layers, without the input layer (as Keras 3)', () => {
  const m = sequential({
    name: 'mlp',
    layers: [
      layers.dense({ units: 512, activation: 'relu', inputShape: [784], name: 'hidden' }),
      layers.dropout({ rate: 0.2, name: 'drop' }),
      layers.dense({ units: 10, activation: 'softmax', name: 'out' }),
    ],
  });
  const g = modelGraph(m);
  assert.equal(g.name, 'mlp');
  assert.equal(g.className, 'Sequential');
  assert.deepEqual(
    g.nodes.map((n) => [n.id, n.name, n.className, n.inputShape, n.outputShape]),
    [
      ['layer0', 'hidden', 'Dense', [null, 784], [null, 512]],
      ['layer1', 'drop', 'Dropout', [null, 512], [null, 512]],
      ['layer2', 'out', 'Dense', [null, 512], [null, 10]],
    ],
  );
  assert.deepEqual(g.edges, [
    { from: 'layer0', to: 'layer1' },
    { from: 'layer1', to: 'layer2' },
  ]);
});

test('a functional model shows its input layer, branches and a merge with a list of inputs', () => {
  const g = modelGraph(twoBranch());
  const byName = new Map(g.nodes.map((n) => [n.name, n]));
  assert.deepEqual(
    g.nodes.map((n) => `${n.name}:${n.className}`),
    [
      'pixels:InputLayer',
      'wide:Dense',
      'deep_1:Dense',
      'deep_2:Dense',
      'merge:Concatenate',
      'probs:Dense',
    ],
  );
  assert.deepEqual(byName.get('pixels')!.inputShape, [null, 784]);
  assert.deepEqual(byName.get('merge')!.inputShape, [
    [null, 256],
    [null, 32],
  ]);
  assert.deepEqual(byName.get('merge')!.outputShape, [null, 288]);
  const id = (name: string): string => byName.get(name)!.id;
  const edges = g.edges.map((e) => `${e.from}->${e.to}`).sort();
  const expected = [
    ['pixels', 'wide'],
    ['pixels', 'deep_1'],
    ['deep_1', 'deep_2'],
    ['wide', 'merge'],
    ['deep_2', 'merge'],
    ['merge', 'probs'],
  ].map(([a, b]) => `${id(a!)}->${id(b!)}`);
  assert.deepEqual(edges, expected.sort());
});

test('two inputs into Add, and a shared layer: one box per layer, one arrow per input', () => {
  const a = input({ shape: [3], name: 'a' });
  const b = input({ shape: [3], name: 'b' });
  const shared = new Dense({ units: 2, name: 'shared' });
  const sum = layers.add({ name: 'sum' }).apply([shared.apply(a), shared.apply(b)]);
  const g = modelGraph(model({ inputs: [a, b], outputs: sum }));
  assert.deepEqual(
    g.nodes.map((n) => n.name),
    ['a', 'b', 'shared', 'sum'],
  );
  const sumNode = g.nodes.find((n) => n.name === 'sum')!;
  assert.deepEqual(sumNode.inputShape, [
    [null, 2],
    [null, 2],
  ]);
  assert.deepEqual(
    g.edges.map((e) => `${e.from}->${e.to}`),
    ['layer0->layer2', 'layer1->layer2', 'layer2->layer3', 'layer2->layer3'],
  );
});

test('the DOT text has one labelled node per layer and the arrows, in the chosen direction', () => {
  const m = twoBranch();
  const dot = modelToDot(m);
  assert.match(dot, /^digraph "wide_and_deep" \{\n/);
  assert.match(dot, /rankdir=TB/);
  assert.match(dot, /fontname="DejaVu Sans"/);
  assert.doesNotMatch(dot, /dpi=/);
  assert.equal(dot.match(/^ {2}layer\d+ \[label=</gm)?.length, 6);
  assert.equal(dot.match(/^ {2}layer\d+ -> layer\d+;$/gm)?.length, 6);
  assert.match(dot, /<b>merge<\/b> \(Concatenate\)/);
  assert.match(dot, /Input shape.*\[\(None, 256\), \(None, 32\)\].*Output shape.*\(None, 288\)/);

  const bare = modelToDot(m, { showShapes: false, showLayerNames: false, rankdir: 'LR', dpi: 96 });
  assert.match(bare, /rankdir=LR/);
  assert.match(bare, /dpi=96/);
  assert.doesNotMatch(bare, /Input shape|None|<b>wide/);
  assert.match(bare, /<b>Concatenate<\/b>/);
  assert.throws(() => modelToDot(m, { rankdir: 'BT' as 'TB' }), /rankdir must be 'TB' or 'LR'/);
  assert.throws(() => modelToDot(m, { dpi: 0 }), /dpi must be a positive number/);
});

test('names are escaped: markup characters become entities, control characters visible', () => {
  assert.equal(escapeHtmlLabel('a<b>&"c\'d'), 'a&lt;b&gt;&amp;&quot;c&#39;d');
  assert.equal(escapeHtmlLabel('x\ny\t\u0001'), 'x\\ny\\t\\u0001');
  const x = input({ shape: [2], name: 'in</td>' });
  const y = layers.dense({ units: 1, name: 'a&b <i>"c"\\' }).apply(x);
  const dot = modelToDot(model({ inputs: x, outputs: y, name: 'say "hi"\\' }));
  assert.match(dot, /^digraph "say \\"hi\\"\\\\" \{/);
  assert.match(dot, /<b>in&lt;\/td&gt;<\/b>/);
  assert.match(dot, /<b>a&amp;b &lt;i&gt;&quot;c&quot;\\<\/b>/);
});

test('an unbuilt Sequential model is refused; a subclassed model is one box', () => {
  const unbuilt = sequential({ layers: [layers.dense({ units: 3 })] });
  assert.throws(() => modelGraph(unbuilt), /is not built.*inputShape/);

  class Net extends Model {
    readonly hidden = new Dense({ units: 4 });
    override call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
      return this.hidden.apply(inputs as Tensor, args);
    }
  }
  const net = new Net({ name: 'net' });
  assert.throws(() => modelGraph(net), /is not built/);
  net.build([null, 3]);
  const g = modelGraph(net);
  assert.deepEqual(g.nodes, [
    { id: 'layer0', name: 'net', className: 'Net', inputShape: [null, 3], outputShape: [null, 4] },
  ]);
  assert.deepEqual(g.edges, []);
});
