import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { input, layers, resetLayerNames } from '../layers/index.js';
import { model, sequential } from './index.js';
import { columnWidths, readableMemorySize } from './summary.js';

function capture(f: (print: (l: string) => void) => void): string[] {
  const lines: string[] = [];
  f((l) => lines.push(l));
  return lines;
}

test('the 784-512-10 MLP summary matches Keras 3 (line length 88)', () => {
  resetLayerNames();
  const m = sequential({
    layers: [
      layers.dense({ units: 512, activation: 'relu', inputShape: [784] }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const lines = capture((p) => m.summary(88, p));
  assert.deepEqual(lines, [
    'Model: "sequential"',
    '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓',
    '┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃',
    '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩',
    '│ dense (Dense)                        │ (None, 512)                 │         401,920 │',
    '├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤',
    '│ dense_1 (Dense)                      │ (None, 10)                  │           5,130 │',
    '└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘',
    ' Total params: 407,050 (1.55 MB)',
    ' Trainable params: 407,050 (1.55 MB)',
    ' Non-trainable params: 0 (0.00 B)',
  ]);
  for (const l of lines.slice(1, 8)) assert.equal([...l].length, 88);
});

test('the seed CNN summary: shapes and parameter counts as Keras reports them', () => {
  resetLayerNames();
  const m = sequential({
    layers: [
      layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 64, activation: 'relu' }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const text = m.summaryText(88);
  const rows = text.split('\n').filter((l) => l.startsWith('│'));
  const cells = rows.map((r) =>
    r
      .split('│')
      .slice(1, 4)
      .map((c) => c.trim()),
  );
  assert.deepEqual(cells, [
    ['conv2d (Conv2D)', '(None, 26, 26, 32)', '320'],
    ['max_pooling2d (MaxPooling2D)', '(None, 13, 13, 32)', '0'],
    ['conv2d_1 (Conv2D)', '(None, 11, 11, 64)', '18,496'],
    ['max_pooling2d_1 (MaxPooling2D)', '(None, 5, 5, 64)', '0'],
    ['flatten (Flatten)', '(None, 1600)', '0'],
    ['dense (Dense)', '(None, 64)', '102,464'],
    ['dense_1 (Dense)', '(None, 10)', '650'],
  ]);
  assert.match(
    text,
    / Total params: 121,930 \(476\.29 KB\)\n Trainable params: 121,930 \(476\.29 KB\)\n Non-trainable params: 0 \(0\.00 B\)$/,
  );
});

test('functional summary: input layers, the Connected to column, wrapped cells, non-trainable params', () => {
  resetLayerNames();
  const a = input({ shape: [784] });
  const b = input({ shape: [10] });
  const h = layers.batchNormalization().apply(layers.dense({ units: 32 }).apply(a));
  const out = layers.dense({ units: 10 }).apply(layers.concatenate().apply([h, b]));
  const lines = capture((p) => model({ inputs: [a, b], outputs: out }).summary(108, p));
  assert.equal(lines[0], 'Model: "functional"');
  assert.equal(
    lines[2],
    '┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃',
  );
  assert.ok(
    lines.includes(
      '│ input_layer (InputLayer)      │ (None, 784)               │               0 │ -                          │',
    ),
  );
  assert.ok(
    lines.includes(
      '│ dense (Dense)                 │ (None, 32)                │          25,120 │ input_layer[0][0]          │',
    ),
  );
  assert.ok(
    lines.includes(
      '│ batch_normalization           │ (None, 32)                │             128 │ dense[0][0]                │',
    ),
  );
  assert.ok(
    lines.includes(
      '│ (BatchNormalization)          │                           │                 │                            │',
    ),
  );
  assert.ok(
    lines.includes(
      '│ concatenate (Concatenate)     │ (None, 42)                │               0 │ batch_normalization[0][0], │',
    ),
  );
  assert.deepEqual(lines.slice(-3), [
    ' Total params: 25,678 (100.30 KB)',
    ' Trainable params: 25,614 (100.05 KB)',
    ' Non-trainable params: 64 (256.00 B)',
  ]);
});

test('an unbuilt Sequential shows ? and 0 (unbuilt); building fills them in', () => {
  resetLayerNames();
  const m = sequential({ layers: [layers.dense({ units: 3 }), layers.dense({ units: 2 })] });
  const before = m.summaryText(88);
  assert.match(before, /│ dense \(Dense\) +│ \? +│ +0 \(unbuilt\) │/);
  m.build([null, 5]);
  assert.match(m.summaryText(88), /│ dense \(Dense\) +│ \(None, 3\) +│ +18 │/);
});

test('column widths follow rich; memory sizes follow Keras', () => {
  assert.deepEqual(columnWidths(88, [0.45, 0.8, 1]), [38, 29, 17]);
  assert.deepEqual(columnWidths(76, [0.45, 0.8, 1]), [33, 24, 15]);
  assert.deepEqual(columnWidths(108, [0.3, 0.56, 0.74, 1]), [31, 27, 17, 28]);
  assert.equal(readableMemorySize(0), '0.00 B');
  assert.equal(readableMemorySize(1628200), '1.55 MB');
  assert.equal(readableMemorySize(1152), '1.12 KB');
});
