// predict and evaluate from the command line on a seed CNN trained on a small real slice.
import assert from 'node:assert/strict';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { loadDataset } from '../node/data/load-dataset.js';
import { readJson, runCli, slice, tempDir } from './helpers/cli.js';

const root = await tempDir('predict');
const run = join(root, 'run');
after(() => rm(root, { recursive: true, force: true }));

before(async () => {
  const r = await runCli([
    'train',
    '--model',
    'cnn',
    '--hidden',
    '64',
    '--epochs',
    '2',
    ...slice(4000, 500),
    '--out',
    run,
    '--verbose',
    '0',
  ]);
  assert.equal(r.code, 0, r.stderr);
});

/** A PNG of an MNIST digit: inverted or not, scaled, placed at (x0, y0) on a w x h canvas. */
function digitPng(
  pixels: Uint8Array,
  o: { invert: boolean; scale: number; w: number; h: number; x0: number; y0: number },
): Buffer {
  const png = new PNG({ width: o.w, height: o.h });
  for (let y = 0; y < o.h; y++) {
    for (let x = 0; x < o.w; x++) {
      const sx = Math.floor((x - o.x0) / o.scale);
      const sy = Math.floor((y - o.y0) / o.scale);
      const ink = sx >= 0 && sy >= 0 && sx < 28 && sy < 28 ? pixels[sy * 28 + sx]! : 0;
      const v = o.invert ? 255 - ink : ink;
      png.data.set([v, v, v, 255], 4 * (y * o.w + x));
    }
  }
  return PNG.sync.write(png);
}

interface Prediction {
  source: string;
  top: { class: string; probability: number }[];
}

test('predict: 10 test digits written as PNGs (both polarities, several sizes, off-centre) get the answers the dataset images get', async () => {
  const ds = await loadDataset('mnist');
  // The model's answers on the first 60 test images, given as an IDX file.
  const n = 60;
  const idx = new Uint8Array(16 + n * 784);
  new DataView(idx.buffer).setUint32(0, 0x803);
  [n, 28, 28].forEach((d, i) => new DataView(idx.buffer).setUint32(4 + 4 * i, d));
  idx.set(ds.test.images.data.subarray(0, n * 784), 16);
  const idxFile = join(root, 'first-60-idx3-ubyte');
  await writeFile(idxFile, idx);
  const all = await runCli(['predict', '--run', run, '--idx', idxFile, '--json']);
  assert.equal(all.code, 0, all.stderr);
  const chosen: { index: number; label: number }[] = [];
  (JSON.parse(all.stdout) as Prediction[]).forEach((p, i) => {
    const label = ds.test.labels.data[i]!;
    if (chosen.length < 10 && p.top[0]!.class === String(label) && p.top[0]!.probability > 0.9)
      chosen.push({ index: i, label });
  });
  // --dataset test --index N reads the same image.
  const one = await runCli([
    'predict',
    '--run',
    run,
    '--dataset',
    'test',
    '--index',
    String(chosen[0]!.index),
    '--json',
  ]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(
    (JSON.parse(one.stdout) as Prediction[])[0]!.top[0]!.class,
    String(chosen[0]!.label),
  );
  assert.equal(chosen.length, 10);
  const layouts = [
    { invert: false, scale: 1, w: 28, h: 28, x0: 0, y0: 0 },
    { invert: true, scale: 2, w: 90, h: 70, x0: 30, y0: 4 },
    { invert: true, scale: 5, w: 300, h: 200, x0: 150, y0: 50 },
    { invert: false, scale: 3, w: 120, h: 160, x0: 2, y0: 70 },
    { invert: true, scale: 4, w: 150, h: 150, x0: 0, y0: 38 },
  ];
  const files = [];
  for (const [k, c] of chosen.entries()) {
    const pixels = ds.test.images.data.subarray(c.index * 784, (c.index + 1) * 784);
    // Every third one as a JPEG (quality 90), the rest as PNGs.
    const layout = layouts[k % layouts.length]!;
    const png = PNG.sync.read(digitPng(pixels, layout));
    const file = join(root, k % 3 === 2 ? `digit-${k}.jpg` : `digit-${k}.png`);
    await writeFile(
      file,
      k % 3 === 2
        ? jpeg.encode({ data: png.data, width: png.width, height: png.height }, 90).data
        : digitPng(pixels, layout),
    );
    files.push(file);
  }
  const r = await runCli(['predict', '--run', run, '--json', ...files]);
  assert.equal(r.code, 0, r.stderr);
  const answers = (JSON.parse(r.stdout) as Prediction[]).map((p) => Number(p.top[0]!.class));
  assert.deepEqual(
    answers,
    chosen.map((c) => c.label),
  );
  // The plain form: one line per image, top 3 with probabilities.
  const plain = await runCli(['predict', '--run', run, files[0]!, files[1]!]);
  assert.equal(plain.code, 0, plain.stderr);
  const lines = plain.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /digit-0\.png +\d +\d+\.\d\d% +\d +\d+\.\d\d% +\d +\d+\.\d\d%$/);
});

test('predict: a file that is not an image, a decompression bomb, and bad flag combinations, are one-line errors', async () => {
  // A PNG header claiming 100000 x 100000 pixels is refused before decoding.
  const bomb = PNG.sync.write(new PNG({ width: 1, height: 1 }));
  new DataView(bomb.buffer, bomb.byteOffset).setUint32(16, 100000);
  new DataView(bomb.buffer, bomb.byteOffset).setUint32(20, 100000);
  const bombFile = join(root, 'bomb.png');
  await writeFile(bombFile, bomb);
  const b = await runCli(['predict', '--run', run, bombFile]);
  assert.equal(b.code, 1);
  assert.equal(
    b.stderr.trim(),
    `mnist-lab: ${bombFile}: cannot be decoded (100000x100000 pixels is more than the limit of 40000000).`,
  );
  const bad = join(root, 'notes.png');
  await writeFile(bad, 'hello, not a picture');
  let r = await runCli(['predict', '--run', run, bad]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), `mnist-lab: ${bad}: is not a PNG or JPEG image.`);
  r = await runCli(['predict', '--run', run, join(root, 'missing.jpg')]);
  assert.match(r.stderr.trim(), /^mnist-lab: .*missing\.jpg: not found\.$/);
  r = await runCli(['predict', '--run', run]);
  assert.match(
    r.stderr.trim(),
    /^mnist-lab: give image files, or --idx FILE, or --dataset test --index N/,
  );
  r = await runCli(['predict', '--run', run, '--dataset', 'test', '--index', '99999']);
  assert.match(r.stderr.trim(), /--index 99999: mnist test has 10000 images/);
});

test('evaluate: loss, accuracy, per-class table, and the figures in the run folder', async () => {
  const out = join(root, 'eval');
  const r = await runCli(['evaluate', '--run', run, '--samples', '300', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /mnist test, 300 images: loss [\d.]+ +accuracy [\d.]+%/);
  assert.match(r.stdout, /\| class +\| precision \| +recall \| +F1 \| support \|/);
  assert.match(r.stdout, /\| macro avg \|/);
  assert.deepEqual((await readdir(out)).sort(), [
    'confusion-matrix.png',
    'confusion-matrix.svg',
    'evaluation.json',
    'misclassified.png',
    'misclassified.svg',
    'report.md',
  ]);
  const e = await readJson(out, 'evaluation.json');
  assert.equal(e.samples, 300);
  assert.equal(
    e.confusion.flat().reduce((a: number, b: number) => a + b, 0),
    300,
  );
  const wrong = 300 - Math.round(e.accuracy * 300);
  assert.equal(e.misclassified.length, Math.min(32, wrong));
  for (let i = 1; i < e.misclassified.length; i++) {
    assert.ok(e.misclassified[i - 1].confidence >= e.misclassified[i].confidence);
  }
  assert.match(await readFile(join(out, 'confusion-matrix.svg'), 'utf8'), /Confusion matrix/);
});
