// Builds the `mnist-lab serve` page into dist/web: the page and its training worker bundled by
// esbuild (the library core, vega-embed and the chart specs inside, nothing from a CDN).
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/web`;
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: { app: `${root}web/app.ts`, 'train-worker': `${root}web/train-worker.ts` },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) await copyFile(`${root}web/${f}`, `${out}/${f}`);
