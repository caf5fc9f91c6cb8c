// localstorage:// and indexeddb:// in Debian's Chromium: mnist-lab and TF.js 4.22 read each
// other's saves in one page (TF.js's own storage layouts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { launchChromium, noBrowser } from './helpers/browser.js';
import { ROOT } from './helpers/cli.js';
import { startServer } from './helpers/http-server.js';

test(
  "browser storage: mnist-lab and TF.js load each other's localstorage:// and indexeddb:// saves",
  { skip: noBrowser },
  async () => {
    const bundle = await build({
      entryPoints: [join(ROOT, 'dist', 'test', 'browser', 'storage-page.js')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const js = bundle.outputFiles[0]!.contents;
    const server = await startServer((req, res) => {
      if (req.url === '/bundle.js')
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      else
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><script type="module" src="/bundle.js"></script>');
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.waitForFunction(() => 'results' in globalThis, undefined, { timeout: 30_000 });
      const results = (await page.evaluate(
        () => (globalThis as unknown as { results: Promise<unknown> }).results,
      )) as Record<string, unknown>;
      assert.deepEqual(errors, []);
      for (const scheme of ['localstorage', 'indexeddb']) {
        for (const way of ['mnist-lab -> mnist-lab', 'mnist-lab -> TF.js', 'TF.js -> mnist-lab']) {
          const d = results[`${scheme}: ${way}`] as number;
          assert.ok(typeof d === 'number' && d <= 1e-6, `${scheme}: ${way}: ${String(d)}`);
        }
      }
      assert.equal(results['missing'], 'indexeddb://nothing-here: no model is saved there.');
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
