// The first 20 losses of the 784-512-10 MLP against a PyTorch reference
// (test/golden/make_mlp_goldens.py wrote test/golden/mlp-losses.json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropoutUniform } from '../src/kernels/backend.js';
import { layers } from '../src/layers/index.js';
import { sequential } from '../src/models/index.js';
import { getOptimizer } from '../src/optimizers/index.js';
import { Tensor } from '../src/tensor/tensor.js';
import { loadDataset } from '../node/data/load-dataset.js';
import { normalize, toCategorical } from '../src/data/preprocess.js';
import { ROOT } from './helpers/cli.js';
import { withEachBackend } from './helpers/backends.js';

interface Golden {
  batchSize: number;
  runs: Record<
    string,
    { optimizer: { name: string; learningRate: number; momentum?: number }; losses: number[] }
  >;
}

const golden = JSON.parse(
  readFileSync(join(ROOT, 'test', 'golden', 'mlp-losses.json'), 'utf8'),
) as Golden;

/** Glorot-uniform-range weights from the same counter-based hash the Python script uses. */
function glorot(seed: number, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from(
    { length: fanIn * fanOut },
    (_, i) => (2 * dropoutUniform(seed, i) - 1) * limit,
  );
}

const RTOL = 1e-4;

withEachBackend('golden MLP losses match PyTorch', async (t) => {
  const ds = await loadDataset('mnist', { download: false });
  const b = golden.batchSize;
  for (const [name, run] of Object.entries(golden.runs)) {
    const steps = run.losses.length;
    const model = sequential({
      layers: [
        layers.dense({ units: 512, activation: 'relu', inputShape: [784] }),
        layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    model.setWeights([
      glorot(1, 784, 512),
      new Float32Array(512),
      glorot(2, 512, 10),
      new Float32Array(10),
    ]);
    const { name: optName, ...config } = run.optimizer;
    model.compile({
      optimizer: getOptimizer({ className: optName, config }),
      loss: 'categorical_crossentropy',
    });
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      const x = new Tensor(
        normalize(ds.train.images.data.subarray(s * b * 784, (s + 1) * b * 784)),
        [b, 784],
      );
      const y = toCategorical(ds.train.labels.data.subarray(s * b, (s + 1) * b), 10);
      losses.push(model.trainOnBatch(x, new Tensor(y.values, y.shape)));
    }
    for (let s = 0; s < steps; s++) {
      const want = run.losses[s]!;
      const rel = Math.abs(losses[s]! - want) / Math.abs(want);
      assert.ok(
        rel <= RTOL,
        `${t}: ${name} step ${s + 1}: loss ${losses[s]} vs PyTorch ${want} (relative error ${rel.toExponential(2)})`,
      );
    }
  }
});
