/**
 * The GEMM of the wasm rows (A[128,784]·B[784,512]), measured in Debian's Chromium instead of
 * Node: our relaxed-simd and simd128 builds (loadWasmFromUrl, as a page gets them) and TF.js
 * wasm (its SIMD binary, one thread: the page is not cross-origin isolated, so no threads), all
 * in one page, interleaved round by round. A benchmark, not a test: it prints, asserts nothing.
 *
 *   npm run bench:browser-gemm -- [--rounds 15]
 *
 * Wall time only (a page has no CPU clock): on a busy machine quote the ratio of the medians
 * and of the best rounds, both same-run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium, noBrowser } from '../test/helpers/browser.js';
import { startServer } from '../test/helpers/http-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SERVED = ['dist/src/', 'dist/wasm/', 'node_modules/@tensorflow/'];
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

const PAGE = `<!doctype html>
<meta charset="utf-8">
<script src="/node_modules/@tensorflow/tfjs-core/dist/tf-core.min.js"></script>
<script src="/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js"></script>
<script type="module">
  import { loadWasmFromUrl } from '/dist/src/kernels/wasm/browser.js';
  const rounds = Number(new URLSearchParams(location.search).get('rounds'));
  const [M, K, N] = [128, 784, 512];
  let s = 1;
  const rand = (n) => Float32Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
  const a = rand(M * K), b = rand(K * N), c = new Float32Array(M * N);
  try {
    const relaxed = await loadWasmFromUrl();
    const plain = await loadWasmFromUrl({ isa: 'simd128' });
    tf.wasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
    await tf.setBackend('wasm');
    const ta = tf.tensor2d(a, [M, K]), tb = tf.tensor2d(b, [K, N]);
    const engines = {
      ['wasm ' + relaxed.isa()]: () => relaxed.gemm(M, N, K, a, b, c),
      ['wasm ' + plain.isa()]: () => plain.gemm(M, N, K, a, b, c),
      'tfjs-wasm': () => { const r = tf.matMul(ta, tb); r.dataSync(); r.dispose(); },
    };
    const ms = Object.fromEntries(Object.keys(engines).map((k) => [k, []]));
    for (const f of Object.values(engines)) for (let i = 0; i < 20; i++) f();
    for (let r = 0; r < rounds; r++)
      for (const [k, f] of Object.entries(engines)) {
        const t0 = performance.now();
        for (let i = 0; i < 20; i++) f();
        ms[k].push((performance.now() - t0) / 20);
      }
    window.__result = {
      ms,
      tfjs: { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
              threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') },
      userAgent: navigator.userAgent,
    };
  } catch (e) {
    window.__result = { error: String(e && e.stack || e) };
  }
</script>`;

interface PageResult {
  error?: string;
  ms: Record<string, number[]>;
  tfjs: { simd: boolean; threads: boolean };
  userAgent: string;
}

const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
  const rounds = Math.max(1, Math.min(200, Number(values.rounds) || 15));
  if (noBrowser) throw new Error(noBrowser);
  if (!existsSync(join(root, 'dist', 'wasm', 'mnist-lab-kernels-relaxed.wasm')))
    throw new Error('dist/wasm has no relaxed-simd build (npm run build:wasm)');
  const server = await startServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html']! }).end(PAGE);
      return;
    }
    const file = normalize(join(root, path));
    if (!SERVED.some((dir) => file.startsWith(join(root, dir))) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}?rounds=${rounds}`);
    await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result, null, {
      timeout: 600_000,
    });
    const r = (await page.evaluate(
      () => (globalThis as { __result?: unknown }).__result,
    )) as PageResult;
    if (r.error) throw new Error(r.error);
    const flops = 2 * 128 * 784 * 512;
    const tfMed = median(r.ms['tfjs-wasm']!);
    const tfBest = Math.min(...r.ms['tfjs-wasm']!);
    console.log(`${r.userAgent}`);
    console.log(
      `TF.js wasm: SIMD ${r.tfjs.simd ? 'yes' : 'no'}, threads ${r.tfjs.threads ? 'yes' : 'no'}; ` +
        `${rounds} rounds of 20 calls each, engines interleaved`,
    );
    console.log('| engine | median ms | GFLOP/s | vs tfjs-wasm (median) | vs tfjs-wasm (best) |');
    console.log('|---|--:|--:|--:|--:|');
    for (const [name, ms] of Object.entries(r.ms)) {
      const med = median(ms);
      console.log(
        `| ${name} | ${med.toFixed(3)} | ${(flops / med / 1e6).toFixed(1)} | ` +
          `${(tfMed / med).toFixed(2)}x | ${(tfBest / Math.min(...ms)).toFixed(2)}x |`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
