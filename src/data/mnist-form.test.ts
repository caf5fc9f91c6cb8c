import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toMnistForm, type DigitImage } from './mnist-form.js';

/** A ring ("0") with a tail, ink 1 on 0, drawn into a w x h plane at (x0, y0) with size s. */
function drawDigit(w: number, h: number, x0: number, y0: number, s: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = (x + 0.5 - x0) / s;
      const v = (y + 0.5 - y0) / s;
      const r = Math.hypot((u - 0.5) / 0.6, v - 0.5);
      const ring = r > 0.32 && r < 0.48;
      const tail = u > 0.6 && u < 0.7 && v > 0.5 && v < 1;
      if (ring || tail) out[y * w + x] = 1;
    }
  }
  return out;
}

function bounds(img: Float32Array): { w: number; h: number; cx: number; cy: number } {
  let [l, r, t, b, m, mx, my] = [28, -1, 28, -1, 0, 0, 0];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = img[y * 28 + x]!;
      if (v > 0) [l, r, t, b] = [Math.min(l, x), Math.max(r, x), Math.min(t, y), Math.max(b, y)];
      m += v;
      mx += v * x;
      my += v * y;
    }
  }
  return { w: r - l + 1, h: b - t + 1, cx: mx / m, cy: my / m };
}

const meanAbs = (a: Float32Array, b: Float32Array): number =>
  a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

const gray = (data: Float32Array, width: number, height: number): DigitImage => ({
  data,
  width,
  height,
  channels: 1,
});

test('fits the ink into 20x20 keeping the aspect ratio, centred by centre of mass', () => {
  const out = toMnistForm(gray(drawDigit(200, 150, 20, 10, 120), 200, 150));
  assert.equal(out.length, 784);
  assert.ok(out.every((v) => v >= 0 && v <= 1));
  const b = bounds(out);
  assert.equal(Math.max(b.w, b.h), 20);
  assert.ok(b.w < b.h, 'the digit is taller than wide, as drawn');
  assert.ok(Math.abs(b.cx - 13.5) <= 0.5 && Math.abs(b.cy - 13.5) <= 0.5, JSON.stringify(b));
});

test('black on white and white on black give the same MNIST form', () => {
  const ink = drawDigit(64, 64, 5, 9, 40);
  const light = ink.map((v) => 1 - v);
  assert.deepEqual(toMnistForm(gray(light, 64, 64)), toMnistForm(gray(ink, 64, 64)));
  // Forced, not auto-detected.
  assert.deepEqual(
    toMnistForm(gray(light, 64, 64), { invert: true }),
    toMnistForm(gray(ink, 64, 64), { invert: false }),
  );
});

test('size and position in the picture do not matter', () => {
  const reference = toMnistForm(gray(drawDigit(56, 56, 8, 8, 40), 56, 56));
  for (const [w, h, x0, y0, s] of [
    [300, 200, 170, 20, 160],
    [90, 120, 3, 60, 50],
    [40, 40, 4, 2, 30],
  ] as const) {
    const out = toMnistForm(gray(drawDigit(w, h, x0, y0, s), w, h));
    assert.ok(
      meanAbs(out, reference) < 0.05,
      `${w}x${h} at ${x0},${y0}: ${meanAbs(out, reference)}`,
    );
  }
  // The bound is tight: the reference moved by one pixel is already further away.
  const moved = new Float32Array(784);
  moved.set(reference.subarray(0, 783), 1);
  assert.ok(meanAbs(moved, reference) > 0.05);
});

test('uint8 RGB, RGBA with a transparent background, and grey paper', () => {
  const ink = drawDigit(60, 60, 10, 10, 40);
  const reference = toMnistForm(gray(ink, 60, 60));
  const rgb = new Uint8Array(60 * 60 * 3);
  const rgba = new Uint8ClampedArray(60 * 60 * 4);
  const paper = new Uint8Array(60 * 60);
  ink.forEach((v, i) => {
    rgb.fill(v ? 20 : 240, i * 3, i * 3 + 3); // dark ink on light paper
    rgba.set([0, 0, 0, v ? 255 : 0], i * 4); // black strokes on a transparent canvas
    paper[i] = v ? 30 : 180;
  });
  assert.ok(
    meanAbs(toMnistForm({ data: rgb, width: 60, height: 60, channels: 3 }), reference) < 1e-6,
  );
  assert.ok(
    meanAbs(toMnistForm({ data: rgba, width: 60, height: 60, channels: 4 }), reference) < 1e-6,
  );
  assert.ok(
    meanAbs(toMnistForm({ data: paper, width: 60, height: 60, channels: 1 }), reference) < 1e-6,
  );
  // White strokes on a transparent canvas too.
  const white = rgba.map((v, i) => (i % 4 === 3 ? v : 255));
  assert.ok(
    meanAbs(toMnistForm({ data: white, width: 60, height: 60, channels: 4 }), reference) < 1e-6,
  );
});

test('a blank picture is all zeros; faint noise does not widen the crop', () => {
  assert.ok(toMnistForm(gray(new Float32Array(100).fill(1), 10, 10)).every((v) => v === 0));
  const ink = drawDigit(80, 80, 30, 20, 40);
  const noisy = ink.map((v, i) => (v ? 1 : (i * 7919) % 13 === 0 ? 0.1 : 0));
  const a = bounds(toMnistForm(gray(noisy, 80, 80)));
  const b = bounds(toMnistForm(gray(ink, 80, 80)));
  assert.deepEqual([a.w, a.h], [b.w, b.h]);
});

test('bad images are clear errors', () => {
  assert.throws(() => toMnistForm(gray(new Float32Array(5), 2, 2)), /needs 4 values, got 5/);
  assert.throws(() => toMnistForm(gray(new Float32Array(0), 0, 0)), /positive integers/);
  assert.throws(
    () => toMnistForm({ data: new Uint8Array(4), width: 2, height: 1, channels: 2 as 1 }),
    /channels must be 1, 3 or 4/,
  );
});
