import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, slice, tempDir } from './helpers/cli.js';

/** The text runs of a graphviz SVG, in document order. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

/** Checks `wanted` appear in `items` in this order (others may come between). */
function assertInOrder(items: readonly string[], wanted: readonly string[]): void {
  let at = 0;
  for (const w of wanted) {
    const i = items.indexOf(w, at);
    assert.ok(i >= 0, `'${w}' missing after position ${at} in ${JSON.stringify(items)}`);
    at = i + 1;
  }
}

test('plot-model draws the default MLP as a PNG and prints the path', async () => {
  const out = join(await tempDir('plot'), 'model.png');
  const r = await runCli(['plot-model', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), out);
  const png = await readFile(out);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  // Two boxes, one above the other, at 200 dpi: about 500 x 480 px.
  assert.ok(w > 300 && w < 1000 && h > 300 && h < 1000, `${w} x ${h}`);
});

test('plot-model --model cnn --out x.svg shows every layer with its shapes, in order', async () => {
  const out = join(await tempDir('plot'), 'cnn.svg');
  const r = await runCli(['plot-model', '--model', 'cnn', '--hidden', '64', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const texts = svgTexts(await readFile(out, 'utf8'));
  const names = [
    'conv2d',
    'max_pooling2d',
    'conv2d_1',
    'max_pooling2d_1',
    'flatten',
    'dense',
    'dense_1',
  ];
  assertInOrder(texts, names);
  for (const cls of ['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']) {
    assert.ok(texts.includes(` (${cls})`), `class ${cls} in ${JSON.stringify(texts)}`);
  }
  // Each box reads input shape then output shape, so the chain's shapes come in flow order.
  assertInOrder(texts, [
    '(None, 28, 28, 1)',
    '(None, 26, 26, 32)',
    '(None, 26, 26, 32)',
    '(None, 13, 13, 32)',
    '(None, 13, 13, 32)',
    '(None, 11, 11, 64)',
    '(None, 11, 11, 64)',
    '(None, 5, 5, 64)',
    '(None, 5, 5, 64)',
    '(None, 1600)',
    '(None, 1600)',
    '(None, 64)',
    '(None, 64)',
    '(None, 10)',
  ]);
});

test('plot-model --run draws the model a train run saved', async () => {
  const dir = await tempDir('plot-run');
  const run = join(dir, 'run');
  const trained = await runCli([
    'train',
    '--hidden',
    '32',
    '--dropout',
    '0.1',
    ...slice(256, 128),
    '--epochs',
    '1',
    '--verbose',
    '0',
    '--out',
    run,
  ]);
  assert.equal(trained.code, 0, trained.stderr);
  for (const [target, file] of [
    [run, 'run.svg'],
    [join(run, 'model'), 'model-dir.svg'],
  ] as const) {
    const out = join(dir, file);
    const r = await runCli(['plot-model', '--run', target, '--out', out, '--rankdir', 'LR']);
    assert.equal(r.code, 0, r.stderr);
    const texts = svgTexts(await readFile(out, 'utf8'));
    assertInOrder(texts, [
      'dense',
      '(None, 784)',
      '(None, 32)',
      'dropout',
      'dense_1',
      '(None, 10)',
    ]);
  }
  const bare = join(dir, 'bare.svg');
  const r = await runCli(['plot-model', '--run', run, '--out', bare, '--no-shapes']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(await readFile(bare, 'utf8'), /None|Input shape/);
  // Only the topology is read: with its weight files gone, the model still draws.
  const model = join(run, 'model');
  for (const f of await readdir(model)) if (f.endsWith('.bin')) await rm(join(model, f));
  const topologyOnly = join(dir, 'no-weights.svg');
  const again = await runCli(['plot-model', '--run', run, '--out', topologyOnly]);
  assert.equal(again.code, 0, again.stderr);
  assertInOrder(svgTexts(await readFile(topologyOnly, 'utf8')), ['dense', 'dropout', 'dense_1']);
});

test('plot-model refuses a bad file name or run folder with a clear message', async () => {
  const dir = await tempDir('plot-bad');
  await mkdir(join(dir, 'empty'));
  // A wrong command line exits 2; a run folder that is missing or holds no model, 1.
  const cases: [string[], RegExp, 1 | 2][] = [
    [['--out', join(dir, 'model.jpg')], /must end in \.svg or \.png, not \.jpg/, 2],
    [
      ['--run', join(dir, 'missing')],
      /--run .*missing: no such folder; expected a run folder written by `mnist-lab train` \(holding model\/model\.json\)/,
      1,
    ],
    [['--run', join(dir, 'empty')], /neither model\/model\.json nor model\.json is there/, 1],
    [
      ['--run', join(dir, 'empty'), '--hidden', '64'],
      /--run draws the saved model; drop --hidden/,
      2,
    ],
    [['--rankdir', 'BT'], /--rankdir must be one of TB, LR/, 2],
  ];
  for (const [flags, pattern, code] of cases) {
    const r = await runCli([
      'plot-model',
      ...flags,
      ...(flags.includes('--out') ? [] : ['--out', join(dir, 'x.svg')]),
    ]);
    assert.equal(r.code, code, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern, `${flags.join(' ')}: ${r.stderr}`);
  }
  assert.deepEqual(await readdir(dir), ['empty']);
});
