/**
 * The training step in its steady state: after warm-up, fit allocates no typed-array memory per
 * step (the step's tensors come from the fit loop's buffer pool, batches are gathered into
 * reused buffers), and pooling changes nothing: fit's weights equal those of the same batches
 * taken one `trainOnBatch` (unpooled) at a time, bit for bit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Sequential } from '../src/models/sequential.js';
import { buildModel } from '../src/experiments/build-model.js';
import { defaultSpec, type TrainSpec } from '../src/experiments/model-spec.js';
import { normalize, toCategorical } from '../src/data/preprocess.js';
import { getBackend, setBackend } from '../src/kernels/registry.js';
import { setSeed } from '../src/tensor/seed.js';
import { Tensor } from '../src/tensor/tensor.js';
import { loadDataset } from '../node/data/load-dataset.js';
import { loadNativeBackend } from '../node/native/load.js';
import '../node/backend-setup.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const native = loadNativeBackend();
const backends = native ? ['native', 'js'] : ['js'];

async function mnistSlice(n: number): Promise<{ x: Tensor; y: Tensor }> {
  const ds = await loadDataset('mnist', {});
  return {
    x: new Tensor(normalize(ds.train.images.data.subarray(0, n * 784)), [n, 784]),
    y: new Tensor(toCategorical(ds.train.labels.data.subarray(0, n), 10).values, [n, 10]),
  };
}

function model(spec: Partial<TrainSpec>): Sequential {
  const s = { ...defaultSpec('mlp'), ...spec };
  setSeed(s.seed);
  const m = buildModel(s, [784], 10);
  m.compile({ optimizer: s.optimizer, loss: s.loss, metrics: ['accuracy'] });
  return m;
}

/** Typed-array bytes fit allocates per step after `warm` steps, over `steps` steps. */
async function bytesPerStep(m: Sequential, x: Tensor, y: Tensor, warm: number, steps: number) {
  let last = 0;
  let grown = 0;
  let heap = 0;
  let lastHeap = 0;
  await m.fit(x, y, {
    epochs: 1,
    batchSize: 32,
    verbose: 0,
    callbacks: {
      onBatchEnd: (b) => {
        const u = process.memoryUsage();
        if (b === warm - 1) {
          gc();
          last = process.memoryUsage().arrayBuffers;
          lastHeap = process.memoryUsage().heapUsed;
          return;
        }
        if (b < warm) return;
        // Only growth counts: a collection inside the window can only hide allocation, so
        // summing the rises step by step still sees what each step took.
        grown += Math.max(0, u.arrayBuffers - last);
        heap += Math.max(0, u.heapUsed - lastHeap);
        last = u.arrayBuffers;
        lastHeap = u.heapUsed;
        if (b + 1 === warm + steps) m.stopTraining = true;
      },
    },
  });
  return { arrays: grown / steps, heap: heap / steps };
}

for (const name of backends) {
  test(`fit allocates no typed arrays per step after warm-up (${name})`, async () => {
    const before = getBackend().name;
    setBackend(name);
    try {
      const { x, y } = await mnistSlice(32 * 24);
      // The seed MLP, and one with Dropout and BatchNormalization (masks, batch statistics).
      for (const spec of [{}, { dropout: 0.2, batchnorm: true, optimizer: 'rmsprop' }]) {
        const m = model(spec as Partial<TrainSpec>);
        const { arrays, heap } = await bytesPerStep(m, x, y, 4, 16);
        // Before the pool a step of the seed MLP at batch 32 took ~2 MB of typed arrays.
        assert.ok(
          arrays < 1024,
          `${JSON.stringify(spec)}: ${arrays.toFixed(0)} bytes of typed arrays per step (JS heap ${(heap / 1024).toFixed(0)} KiB)`,
        );
      }
    } finally {
      setBackend(before);
    }
  });
}

test('pooled fit steps give the weights of unpooled trainOnBatch steps, bit for bit', async () => {
  const before = getBackend().name;
  setBackend(native ? 'native' : 'js');
  try {
    const { x, y } = await mnistSlice(32 * 6);
    for (const spec of [{}, { dropout: 0.2, batchnorm: true, hidden: [64, 32] }]) {
      const a = model(spec as Partial<TrainSpec>);
      await a.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0, shuffle: false });
      const b = model(spec as Partial<TrainSpec>);
      for (let epoch = 0; epoch < 2; epoch++) {
        for (let s = 0; s < 6; s++) {
          b.trainOnBatch(x.slice([s * 32, 0], [32, 784]), y.slice([s * 32, 0], [32, 10]));
        }
      }
      a.weights.forEach((w, i) => {
        assert.deepEqual(w.values, b.weights[i]!.values, `${JSON.stringify(spec)}: ${w.name}`);
      });
    }
  } finally {
    setBackend(before);
  }
});
