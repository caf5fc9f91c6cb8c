// Runs in Chromium (bundled by test/browser-storage.test.ts): models cross between TF.js and
// mnist-lab through localstorage:// and indexeddb:// in one page.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import '../../src/kernels/index.js';
import { io, layers, sequential, Tensor } from '../../src/index.js';

const x = Float32Array.from({ length: 3 * 4 }, (_, i) => Math.sin(i + 1));

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

async function run(): Promise<Record<string, unknown>> {
  await tf.setBackend('cpu');
  const ours = sequential({
    layers: [
      layers.dense({ units: 5, activation: 'relu', inputShape: [4] }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  ours.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const expected = ours.predict(new Tensor(x, [3, 4])).values;
  const out: Record<string, unknown> = {};
  for (const scheme of ['localstorage', 'indexeddb']) {
    const url = `${scheme}://ours`;
    await ours.save(url);
    out[`${scheme}: mnist-lab -> mnist-lab`] = maxDiff(
      (await io.loadModelFromUrl(url)).predict(new Tensor(x, [3, 4])).values,
      expected,
    );
    const t = await tfl.loadLayersModel(url);
    out[`${scheme}: mnist-lab -> TF.js`] = maxDiff(
      (t.predict(tf.tensor(x, [3, 4])) as tf.Tensor).dataSync(),
      expected,
    );

    const theirs = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 6, activation: 'tanh', inputShape: [4] }),
        tfl.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    theirs.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    await theirs.save(`${scheme}://theirs`);
    const loaded = await io.loadModelFromUrl(`${scheme}://theirs`);
    out[`${scheme}: TF.js -> mnist-lab`] = maxDiff(
      loaded.predict(new Tensor(x, [3, 4])).values,
      (theirs.predict(tf.tensor(x, [3, 4])) as tf.Tensor).dataSync(),
    );
  }
  try {
    await io.loadModelFromUrl('indexeddb://nothing-here');
  } catch (e) {
    out['missing'] = (e as Error).message;
  }
  return out;
}

// node --test loads every file under test/: only a page runs it.
if ('document' in globalThis) {
  (globalThis as unknown as { results: Promise<Record<string, unknown>> }).results = run();
}
