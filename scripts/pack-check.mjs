// Installs the package as its users get it and measures it: `npm pack`, then the tarball
// installed into an empty project with `npm install --ignore-scripts` and no compiler
// (CXX=/bin/false). Fails unless the native backend loads from the prebuild and the consumer's
// node_modules stays within the budget. Prints the largest packages, then one JSON line. Sizes
// are disk usage in MiB, as `du -sh` reports them (its 'M').
//   node scripts/pack-check.mjs [--budget-mb 45] [--keep] [--tarball already-packed.tgz]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    'budget-mb': { type: 'string', default: '45' },
    keep: { type: 'boolean' },
    tarball: { type: 'string' },
  },
});
const budgetMb = Number(opts['budget-mb']);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'mnist-lab-pack-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const run = (cmd, args, cwd, env = process.env) =>
  execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** Disk usage in bytes (du -sk, as `du -sh` reports it: blocks, not file sizes). */
const diskBytes = (path) => Number(run('du', ['-sk', path], work).split('\t')[0]) * 1024;

try {
  // Lifecycle scripts (prepack's native build) print to stdout too: take the tarball's name
  // from the folder, not from `npm pack --json`.
  if (!opts.tarball) run(npm, ['pack', '--pack-destination', work], root);
  const tarball =
    opts.tarball ??
    join(
      work,
      readdirSync(work).find((f) => f.endsWith('.tgz')),
    );
  const app = join(work, 'consumer');
  run('mkdir', ['-p', app], work);
  writeFileSync(join(app, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const env = { ...process.env, CXX: '/bin/false', CC: '/bin/false' };
  run(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund', tarball], app, env);
  const info = run(
    process.execPath,
    [
      '-e',
      "import('mnist-lab').then((m) => { const i = m.nativeInfo(); " +
        'console.log(JSON.stringify({ backend: m.getBackend(), source: i?.source, file: i?.file })); })',
    ],
    app,
    { ...env, MNIST_LAB_REQUIRE_NATIVE: '1' },
  ).trim();
  console.log(`node -e nativeInfo(): ${info}`);
  const native = JSON.parse(info.split('\n').pop());
  // The optional-looking parts load from the package alone: Vega's bundle, protobufjs, the server.
  const smoke = run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      [
        "import * as tf from 'mnist-lab';",
        "import * as lab from 'mnist-lab/lab';",
        "const curves = { label: 'a', group: 'a', history: { loss: [1, 0.5] } };",
        'const { svg } = await lab.renderChart(lab.runCurvesSpec(curves));',
        'const model = tf.sequential([tf.layers.dense({ units: 2, inputShape: [3] })]);',
        'const onnx = tf.io.toOnnx(model);',
        // The server is no export of the package: `mnist-lab serve` loads it from its folder.
        "const { buildServer } = await import('./node_modules/mnist-lab/dist/server/app.js');",
        "const { app } = await buildServer({ dir: '.' });",
        "await app.listen({ host: '127.0.0.1', port: 0 });",
        'const page = await fetch(`http://127.0.0.1:${app.server.address().port}/`);',
        'await app.close();',
        'console.log(`chart svg ${svg.length} chars, onnx ${onnx.length} bytes, page ${page.status}`);',
      ].join('\n'),
    ],
    app,
    env,
  ).trim();
  console.log(`smoke: ${smoke}`);
  const modules = join(app, 'node_modules');
  const sizes = [];
  for (const name of readdirSync(modules)) {
    if (name.startsWith('.')) continue;
    const dirs = name.startsWith('@')
      ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`)
      : [name];
    for (const d of dirs) sizes.push([d, diskBytes(join(modules, d))]);
  }
  sizes.sort((a, b) => b[1] - a[1]);
  const MIB = 1024 * 1024;
  const mb = (b) => (b / MIB).toFixed(1).padStart(6);
  for (const [name, bytes] of sizes.slice(0, 15)) console.log(`${mb(bytes)} MiB  ${name}`);
  const total = diskBytes(modules);
  console.log(`${mb(total)} MiB  node_modules (${sizes.length} packages)`);
  console.log(`du -sh: ${run('du', ['-sh', modules], work).trim()}`);
  const ok = native.backend === 'native' && native.source === 'prebuilt' && total <= budgetMb * MIB;
  console.log(
    JSON.stringify({
      tarballMiB: Number((statSync(tarball).size / MIB).toFixed(2)),
      nodeModulesMiB: Number((total / MIB).toFixed(1)),
      budgetMiB: budgetMb,
      backend: native.backend,
      source: native.source,
      ok,
    }),
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  if (opts.keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
