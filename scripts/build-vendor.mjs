// Bundles Vega and Vega-Lite for Node into dist/vendor/vega.js (esbuild, minified), with the
// license notices of every package inside it in dist/vendor/vega.LICENSES.txt. Installed, the
// two packages and their dependencies weigh about 25 MB; the bundle under 1 MB. The figures
// (node/reports/charts.ts) load it on first use; the page bundles its own copy (build-web.mjs).
import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'vendor');
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const result = await build({
  stdin: {
    contents: "export { View, parse } from 'vega';\nexport { compile } from 'vega-lite';\n",
    resolveDir: root,
    sourcefile: 'vega-entry.js',
  },
  outfile: join(out, 'vega.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  // Only the SVG renderer is used: node-canvas, which Vega tries for PNGs, stays out.
  external: ['canvas'],
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

// Every package with a file in the bundle, and its license text.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const parts = relative(root, join(root, input)).split(sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) continue;
  const name = parts[at + 1].startsWith('@') ? parts.slice(at + 1, at + 3) : [parts[at + 1]];
  const dir = join(root, ...parts.slice(0, at + 1), ...name);
  if (!packages.has(dir)) packages.set(dir, name.join('/'));
}
const notices = [...packages]
  .sort((a, b) => a[1].localeCompare(b[1]))
  .map(([dir, name]) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${pkg.license}`;
    return `${name}@${pkg.version} (${pkg.license})\n\n${text}\n`;
  });
await writeFile(
  join(out, 'vega.LICENSES.txt'),
  `dist/vendor/vega.js bundles these packages:\n\n${notices.join('\n' + '-'.repeat(72) + '\n\n')}`,
);
