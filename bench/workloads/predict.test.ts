import assert from 'node:assert/strict';
import { test } from 'node:test';
import { library, ourModel } from './epoch.js';
import { forward64 } from './predict.js';

// The predict check's float64 forward pass is what guards the reference: it must be the seed
// networks exactly (layouts, Flatten order, pooling), so it is compared with the library's own
// predict on the js reference backend.
for (const arch of ['mlp', 'cnn'] as const) {
  test(`forward64 is the seed ${arch.toUpperCase()}'s predict`, async () => {
    const ml = await library();
    await ml.setBackend('js');
    ml.setSeed(3);
    const model = ourModel(ml, arch);
    const images = new Float32Array(2 * 784).map((_, i) => ((i * 7919) % 256) / 255);
    const got = model.predict(ml.tensor(images, arch === 'mlp' ? [2, 784] : [2, 28, 28, 1]))
      .values as Float32Array;
    const w = model.getWeights();
    for (let i = 0; i < 2; i++) {
      const expected = forward64(arch, w, images.subarray(i * 784, (i + 1) * 784));
      for (let j = 0; j < 10; j++)
        assert.ok(
          Math.abs(got[i * 10 + j]! - expected[j]!) < 1e-5,
          `image ${i} class ${j}: ${got[i * 10 + j]} vs ${expected[j]}`,
        );
    }
  });
}
