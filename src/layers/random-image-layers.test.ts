import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { layers } from './factories.js';
import { input } from './input-layer.js';
import type { Layer } from './layer.js';
import { deserializeLayer } from './layer-registry.js';
import type { SymbolicTensor } from './symbolic-tensor.js';
import './index.js';

/** n images h x w x c of distinct values. */
function images(n: number, h: number, w: number, c = 1, seed = 5): Tensor {
  const r = new Random(seed);
  return new Tensor(
    Float32Array.from({ length: n * h * w * c }, () => r.uniform(0, 1)),
    [n, h, w, c],
  );
}

/** Image b, channel 0, as rows. */
function rows(t: Tensor, b: number): number[][] {
  const [, h, w, c] = t.shape as [number, number, number, number];
  return Array.from({ length: h }, (_, r) =>
    Array.from({ length: w }, (_, q) => t.values[((b * h + r) * w + q) * c]!),
  );
}

const close = (a: number[][], b: number[][], tol = 1e-6): boolean =>
  a.flat().every((v, i) => Math.abs(v - b.flat()[i]!) <= tol);

const ALL = (): Layer[] => [
  layers.randomTranslation(0.2, 0.1, { seed: 3 }),
  layers.randomRotation(0.1, { seed: 3, fillMode: 'constant', fillValue: 0.5 }),
  layers.randomZoom([0.3, 0.6], { widthFactor: 0.1, seed: 3, interpolation: 'nearest' }),
  layers.randomFlip('horizontal', { seed: 3 }),
  layers.randomContrast(0.4, { seed: 3, valueRange: [0, 1] }),
];

test('augmentation layers are the identity at inference, and change images in training', () => {
  const x = images(4, 6, 5, 2);
  for (const layer of ALL()) {
    assert.equal(layer.apply(x), x, `${layer.className}: inference returns its input`);
    const y = layer.apply(x, { training: true }) as Tensor;
    assert.deepEqual(y.shape, x.shape);
    assert.ok(
      y.values.some((v, i) => v !== x.values[i]),
      `${layer.className}: training changes the batch`,
    );
  }
});

test('augmentation is seeded: the same seed repeats, another seed differs, each image draws its own', () => {
  const x = images(6, 8, 8);
  const run = (make: () => Layer): number[] => {
    const l = make();
    return [
      ...(l.apply(x, { training: true }) as Tensor).values,
      ...(l.apply(x, { training: true }) as Tensor).values,
    ];
  };
  for (const [i, layer] of ALL().entries()) {
    const again = ALL()[i]!;
    const a = run(() => layer);
    assert.deepEqual(
      run(() => again),
      a,
      `${layer.className} repeats with its seed`,
    );
    const other = deserializeLayer({
      className: layer.className,
      config: { ...layer.getConfig(), seed: 99 },
    });
    assert.notDeepEqual(
      run(() => other),
      a,
      `${layer.className} differs with another seed`,
    );
  }
  // Per-image parameters: a batch of identical images comes out with different images.
  const same = new Tensor(
    new Float32Array(4 * 8 * 8).fill(0).map((_, i) => (i % 64) / 64),
    [4, 8, 8, 1],
  );
  const t = layers
    .randomTranslation(0.3, 0.3, { seed: 1 })
    .apply(same, { training: true }) as Tensor;
  assert.notDeepEqual(rows(t, 0), rows(t, 1));
});

test('RandomTranslation by exactly one pixel is a shift (reflect fills the edge)', () => {
  const x = images(3, 4, 4);
  // width 4, factor [0.25, 0.25]: every image moves right by exactly 1 pixel.
  const layer = layers.randomTranslation([0, 0], [0.25, 0.25], { seed: 7 });
  const y = layer.apply(x, { training: true }) as Tensor;
  for (let b = 0; b < 3; b++) {
    const src = rows(x, b);
    assert.deepEqual(
      rows(y, b),
      src.map((r) => [r[0]!, r[0]!, r[1]!, r[2]!]),
    );
  }
});

test('RandomRotation by a quarter turn is numpy rot90 (counter-clockwise)', () => {
  const x = images(2, 5, 5);
  const y = layers.randomRotation([0.25, 0.25], { seed: 1 }).apply(x, { training: true }) as Tensor;
  for (let b = 0; b < 2; b++) {
    const src = rows(x, b);
    const rot90 = src.map((_, i) => src.map((row) => row[4 - i]!));
    assert.ok(close(rows(y, b), rot90), `image ${b}`);
  }
});

test('RandomZoom with factor 0 is the identity; RandomContrast with factor 0 too', () => {
  const x = images(3, 6, 6, 2);
  const z = layers.randomZoom(0, { seed: 1 }).apply(x, { training: true }) as Tensor;
  assert.deepEqual(Array.from(z.values), Array.from(x.values));
  const c = layers.randomContrast(0, { seed: 1 }).apply(x, { training: true }) as Tensor;
  x.values.forEach((v, i) => assert.ok(Math.abs(v - c.values[i]!) < 1e-6));
});

test('RandomFlip mirrors whole images, about half of them', () => {
  const x = images(64, 3, 4);
  const y = layers.randomFlip('horizontal', { seed: 2 }).apply(x, { training: true }) as Tensor;
  let flipped = 0;
  for (let b = 0; b < 64; b++) {
    const src = rows(x, b);
    const out = rows(y, b);
    const mirrored = src.map((r) => [...r].reverse());
    if (close(out, mirrored, 0)) flipped++;
    else assert.deepEqual(out, src, `image ${b} is either itself or its mirror`);
  }
  assert.ok(flipped > 16 && flipped < 48, `${flipped} of 64 flipped`);
  const v = layers.randomFlip('vertical', { seed: 2 }).apply(x, { training: true }) as Tensor;
  for (let b = 0; b < 64; b++) {
    const src = rows(x, b);
    const out = rows(v, b);
    assert.ok(close(out, src, 0) || close(out, [...src].reverse(), 0));
  }
});

test('RandomContrast keeps each channel mean and scales deviations by one factor per image', () => {
  const x = images(4, 5, 5, 3);
  const y = layers.randomContrast([0.5, 0.5], { seed: 4, valueRange: [-10, 10] }).apply(x, {
    training: true,
  }) as Tensor;
  for (let b = 0; b < 4; b++) {
    let factor: number | undefined;
    for (let ch = 0; ch < 3; ch++) {
      const at = (t: Tensor, p: number): number => t.values[(b * 25 + p) * 3 + ch]!;
      let mx = 0;
      let my = 0;
      for (let p = 0; p < 25; p++) {
        mx += at(x, p) / 25;
        my += at(y, p) / 25;
      }
      assert.ok(Math.abs(mx - my) < 1e-5, 'mean kept');
      const f = (at(y, 0) - my) / (at(x, 0) - mx);
      assert.ok(f >= 0.5 - 1e-4 && f <= 1.5 + 1e-4, `factor ${f} in [0.5, 1.5]`);
      if (factor !== undefined) assert.ok(Math.abs(f - factor) < 1e-3, 'one factor per image');
      factor = f;
    }
  }
  // Clipped to valueRange.
  const clipped = layers
    .randomContrast(1, { seed: 1, valueRange: [0.2, 0.8] })
    .apply(x, { training: true }) as Tensor;
  assert.ok(clipped.values.every((v) => v >= 0.2 - 1e-7 && v <= 0.8 + 1e-7));
});

test('augmentation layers: Keras config, round trip, symbolic shape, and clear errors', () => {
  for (const layer of ALL()) {
    const config = JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>;
    const copy = deserializeLayer({ className: layer.className, config });
    assert.deepEqual(JSON.parse(JSON.stringify(copy.getConfig())), config, layer.className);
    const sym = layer.apply(input({ shape: [28, 28, 1] })) as SymbolicTensor;
    assert.deepEqual(sym.shape, [null, 28, 28, 1]);
  }
  const t = layers.randomTranslation(0.1, [-0.2, 0.1], { name: 'shift' });
  assert.deepEqual(JSON.parse(JSON.stringify(t.getConfig())), {
    name: 'shift',
    trainable: true,
    dtype: 'float32',
    heightFactor: 0.1,
    widthFactor: [-0.2, 0.1],
    fillMode: 'reflect',
    interpolation: 'bilinear',
    fillValue: 0,
    seed: null,
    dataFormat: 'channels_last',
  });
  assert.throws(() => layers.randomTranslation(1.5, 0), /heightFactor must be/);
  assert.throws(() => layers.randomTranslation(0.1, [0.2, 0.1]), /widthFactor must be/);
  assert.throws(() => layers.randomRotation(0.1, { fillMode: 'mirror' as 'reflect' }), /fillMode/);
  assert.throws(
    () => layers.randomZoom(0.1, { interpolation: 'cubic' as 'nearest' }),
    /interpolation/,
  );
  assert.throws(() => layers.randomFlip('diagonal' as 'vertical'), /mode must be/);
  assert.throws(() => layers.randomContrast(1.5), /factor must be/);
  assert.throws(() => layers.randomZoom(0.1, { fillMod: 'constant' } as never), /fillMod/);
});
