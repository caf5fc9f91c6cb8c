// The shared layer test (Keras's run_layer_test), imported by every layer's test file. It holds
// no tests itself; it is named *.test.ts so it may use node:assert and stays out of the library.
import assert from 'node:assert/strict';
import { gradCheck, randomTensor } from '../../test/helpers/gradcheck.js';
import type { FloatDType } from '../initializers/index.js';
import * as ops from '../ops/index.js';
import { Random } from '../tensor/random.js';
import { setSeed } from '../tensor/seed.js';
import { backward, noGrad } from '../tensor/tape.js';
import { Tensor } from '../tensor/tensor.js';
import { input } from './input-layer.js';
import type { Layer } from './layer.js';
import { isShapeList, type ShapeN } from './layer-shape.js';
import { deserializeLayer } from './layer-registry.js';
import type { SymbolicTensor } from './symbolic-tensor.js';
import './index.js';

export interface LayerTestCase {
  /** Makes a fresh layer computing in `dtype`. */
  make: (dtype: FloatDType) => Layer;
  /** Input shape including a concrete batch size; a list for multi-input layers. */
  inputShape: number[] | number[][];
  /** Expected output shape, batch dimension null. */
  expectedOutputShape: ShapeN;
  expectedTrainable?: number;
  expectedNonTrainable?: number;
  /** Input values are uniform in this range (default [-1, 1]). */
  inputRange?: [number, number];
  /** `training` values to gradient-check the forward pass in (default [false, true]). */
  gradCheckTraining?: boolean[];
  /** Skip the float64 gradient check (e.g. a random layer checked separately). */
  skipGradCheck?: boolean;
  gradCheckTolerance?: { atol?: number; rtol?: number };
}

function float32Input(shape: number[], seed: number, range: [number, number]): Tensor {
  const r = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    Float32Array.from({ length: n }, () => r.uniform(range[0], range[1])),
    shape,
  );
}

function shapesOf(c: LayerTestCase): number[][] {
  return Array.isArray(c.inputShape[0]) ? (c.inputShape as number[][]) : [c.inputShape as number[]];
}

const multi = (c: LayerTestCase): boolean => Array.isArray(c.inputShape[0]);

/**
 * Builds the layer symbolically and eagerly and checks: output shapes agree with
 * computeOutputShape and the expectation; weight counts; one SGD step lowers a loss (or, for
 * layers without weights, the gradient reaches the input); getConfig / deserialise round trip
 * computes the same outputs; float64 gradients of the forward pass match central differences
 * for the inputs and every trainable weight.
 */
export function runLayerTest(c: LayerTestCase): void {
  setSeed(1234);
  const range = c.inputRange ?? [-1, 1];
  const shapes = shapesOf(c);

  // Symbolic build: the recorded output shape is computeOutputShape's.
  const symLayer = c.make('float32');
  const symIn = shapes.map((s) => input({ shape: s.slice(1) }));
  const symOut = symLayer.apply(multi(c) ? symIn : symIn[0]!) as SymbolicTensor;
  assert.deepEqual(symOut.shape, c.expectedOutputShape, 'symbolic output shape');
  assert.ok(symLayer.built, 'built by a symbolic call');

  // Eager call: the concrete output has the computed shape with the batch filled in.
  const layer = c.make('float32');
  const xs = shapes.map((s, i) => float32Input(s, 100 + i, range));
  const x = multi(c) ? xs : xs[0]!;
  const y = layer.apply(x, { training: false }) as Tensor;
  const computed = layer.computeOutputShape(
    multi(c) ? shapes.map((s) => [null, ...s.slice(1)]) : [null, ...shapes[0]!.slice(1)],
  );
  assert.ok(!isShapeList(computed), 'one output');
  assert.deepEqual(
    y.shape,
    [shapes[0]![0], ...(computed as ShapeN).slice(1)],
    'eager output shape',
  );
  assert.ok(
    y.values.every((v) => Number.isFinite(v)),
    'finite outputs',
  );
  assert.equal(layer.trainableWeights().length, c.expectedTrainable ?? 0, 'trainable weights');
  assert.equal(
    layer.nonTrainableWeights().length,
    c.expectedNonTrainable ?? 0,
    'non-trainable weights',
  );
  assert.equal(
    layer.countParams(),
    layer.weights.reduce((n, w) => n + w.size, 0),
  );

  // Config round trip: same config, and the same outputs given the same weights.
  const config = layer.getConfig();
  const copy = deserializeLayer({
    className: layer.className,
    config: JSON.parse(JSON.stringify(config)),
  });
  assert.deepEqual(
    JSON.parse(JSON.stringify(copy.getConfig())),
    JSON.parse(JSON.stringify(config)),
  );
  copy.apply(x, { training: false });
  copy.setWeights(layer.getWeights());
  const y2 = copy.apply(x, { training: false }) as Tensor;
  assert.deepEqual(
    Array.from(y2.values),
    Array.from(y.values),
    'round-tripped layer computes the same',
  );

  // One training step lowers a loss (or, with no weights, the gradient reaches the input).
  const target = float32Input([...y.shape], 7, [-1, 1]);
  const lossOf = (): Tensor =>
    ops.mean(ops.square(ops.sub(layer.apply(x, { training: true }) as Tensor, target)));
  const weights = layer.trainableWeights();
  if (weights.length > 0) {
    const before = lossOf();
    backward(before);
    noGrad(() => {
      for (const w of weights) {
        assert.ok(w.grad, `gradient reaches ${w.name}`);
        const d = w.values;
        const g = w.grad.values;
        for (let i = 0; i < d.length; i++) d[i] = d[i]! - 1e-3 * g[i]!;
        w.grad = null;
      }
    });
    const after = noGrad(lossOf);
    assert.ok(after.item() < before.item(), `loss ${before.item()} -> ${after.item()} should fall`);
  } else {
    for (const t of xs) t.requiresGrad = true;
    backward(lossOf());
    for (const t of xs) assert.ok(t.grad, 'gradient reaches the input');
  }

  // Float64 gradient check of the forward pass w.r.t. inputs and trainable weights.
  if (c.skipGradCheck) return;
  for (const training of c.gradCheckTraining ?? [false, true]) {
    const l64 = c.make('float64');
    const x64 = shapes.map((s, i) => randomTensor(s, 200 + i, range[0], range[1]));
    l64.apply(multi(c) ? x64 : x64[0]!, { training });
    const ws = l64.trainableWeights();
    // Move weights off their initial values (zero biases, unit gammas) for a general check.
    const r = new Random(3);
    for (const w of ws)
      for (let i = 0; i < w.size; i++) w.values[i] = w.values[i]! + r.uniform(-0.3, 0.3);
    const n = x64.length;
    gradCheck(
      `${l64.className} training=${training}`,
      (...ts: Tensor[]) => l64.apply(multi(c) ? ts.slice(0, n) : ts[0]!, { training }) as Tensor,
      [...x64, ...ws],
      c.gradCheckTolerance ?? {},
    );
  }
}
