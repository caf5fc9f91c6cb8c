// Nadam, Adamax and Lion against float64 trajectories of Keras 3's formulas written in PyTorch
// (test/golden/make_optimizer_goldens.py wrote test/golden/optimizer-steps.json; PyTorch 1.13's
// own NAdam and Adamax differ from Keras's, see the script).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getOptimizer, type OptimizerConfig } from '../src/optimizers/index.js';
import { float64Variable, gradAt, START } from '../src/optimizers/optimizer-test-util.js';
import { Tensor } from '../src/tensor/tensor.js';
import { Variable } from '../src/tensor/variable.js';
import { withEachBackend } from './helpers/backends.js';
import { ROOT } from './helpers/cli.js';
import { assertAllClose } from './helpers/numeric.js';

interface Golden {
  runs: { className: string; config: OptimizerConfig; params: number[][] }[];
}

const golden = JSON.parse(
  readFileSync(join(ROOT, 'test', 'golden', 'optimizer-steps.json'), 'utf8'),
) as Golden;

withEachBackend('Nadam, Adamax and Lion follow the float64 Keras trajectories', () => {
  for (const { className, config, params } of golden.runs) {
    const label = `${className} ${JSON.stringify(config)}`;
    for (const dtype of ['float64', 'float32'] as const) {
      const opt = getOptimizer({ className, config });
      const v =
        dtype === 'float64'
          ? float64Variable(START)
          : new Variable(new Tensor(Float32Array.from(START), [START.length]));
      params.forEach((want, t) => {
        const g = gradAt(t);
        v.grad = new Tensor(
          dtype === 'float64' ? Float64Array.from(g) : Float32Array.from(g),
          v.shape,
        );
        opt.applyGradients([v]);
        // float64: the same formula in another language; float32: a few ulps per step.
        const tol = dtype === 'float64' ? { rel: 1e-12, abs: 1e-15 } : { rel: 1e-5, abs: 1e-6 };
        assertAllClose(Array.from(v.values), want, tol, `${label} ${dtype} step ${t + 1}`);
      });
    }
  }
});
