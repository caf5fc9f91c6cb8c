/**
 * The wasm backend in a real browser: Debian's Chromium (driven by playwright-core) opens a page
 * that imports the compiled library as plain files, awaits ready() (the wasm kernels become the
 * default), trains the seed MLP for one epoch on 2,000 real MNIST images, then the same on the
 * js backend, and reports both epoch times. The screenshot lands in dist/screenshots/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium, noBrowser } from './helpers/browser.js';
import { datasets } from '../node/index.js';
import { startServer } from './helpers/http-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const wasmBuilt = existsSync(join(root, 'dist', 'wasm', 'mnist-lab-kernels.wasm'));
const skip = noBrowser
  ? noBrowser
  : !wasmBuilt
    ? 'dist/wasm not built (npm run build:wasm)'
    : false;

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};
/** What the page may read: the compiled library, the page, and fflate (its one dependency). */
const SERVED = ['dist/src/', 'dist/wasm/', 'node_modules/fflate/'];

const N = 2000;

test(
  'wasm trains the seed MLP in Chromium, faster than js in the same page',
  { skip, timeout: 600_000 },
  async (t) => {
    const { train } = await datasets.mnist.loadData();
    const x = datasets.normalize(train.images.data.subarray(0, N * 784));
    const y = datasets.toCategorical(train.labels.data.subarray(0, N), 10).values;
    const page = readFileSync(join(root, 'test', 'browser', 'mlp-page.html'));
    const server = await startServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const send = (type: string, body: Uint8Array | Buffer): void => {
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      };
      if (path === '/' || path === '/index.html') return send(TYPES['.html']!, page);
      if (path === '/data/x.bin')
        return send(
          'application/octet-stream',
          new Uint8Array(x.buffer, x.byteOffset, x.byteLength),
        );
      if (path === '/data/y.bin')
        return send(
          'application/octet-stream',
          new Uint8Array(y.buffer, y.byteOffset, y.byteLength),
        );
      const file = normalize(join(root, path));
      const allowed = SERVED.some(
        (dir) => file.startsWith(join(root, dir)) && !file.includes(`..${sep}`),
      );
      if (!allowed || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      send(TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
    });
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage({ viewport: { width: 900, height: 420 } });
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      await tab.goto(server.url);
      await tab.waitForFunction(
        () => (globalThis as { __result?: unknown }).__result !== undefined,
        null,
        {
          timeout: 540_000,
        },
      );
      const result = (await tab.evaluate(
        () => (globalThis as { __result?: unknown }).__result,
      )) as {
        error?: string;
        active: string;
        isa: string;
        n: number;
        runs: { backend: string; ms: number; loss: number; accuracy: number }[];
        speedup: number;
      };
      const shots = join(root, 'dist', 'screenshots');
      mkdirSync(shots, { recursive: true });
      await tab.screenshot({ path: join(shots, 'browser-wasm-mlp.png') });
      assert.equal(result.error, undefined, result.error);
      assert.deepEqual(errors, []);
      for (const r of result.runs)
        t.diagnostic(
          `${r.backend}: ${r.ms.toFixed(0)} ms/epoch, loss ${r.loss.toFixed(3)}, accuracy ${r.accuracy.toFixed(3)}`,
        );
      t.diagnostic(
        `speedup ${result.speedup.toFixed(1)}x; screenshot dist/screenshots/browser-wasm-mlp.png`,
      );
      assert.equal(result.active, 'wasm', 'ready() makes wasm the default in a browser');
      // Chromium has shipped relaxed SIMD since 114: the fused build must be the one loaded.
      assert.equal(result.isa, 'relaxed-simd');
      assert.equal(result.n, N);
      const [wasm, js] = result.runs;
      // 16 Adam steps from Keras's initialisation: well below chance (loss ln 10 = 2.3, accuracy 0.1).
      for (const r of [wasm!, js!])
        assert.ok(r.loss < 1.6 && r.accuracy > 0.5, `${r.backend} trained: ${JSON.stringify(r)}`);
      assert.ok(
        Math.abs(wasm!.loss - js!.loss) < 0.02,
        'same model, same seed: same loss on both backends',
      );
      assert.ok(
        result.speedup >= 5,
        `wasm should be >= 5x js in the same page, got ${result.speedup.toFixed(2)}x`,
      );
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
