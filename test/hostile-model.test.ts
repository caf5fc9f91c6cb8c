// A hostile model.json corpus: every case ends in one line naming the file and the field, a
// non-zero exit, nothing written, under 2 s of CPU and 300 MB of RSS, and no file outside the
// model's folder opened (traced with strace). Library and CLI paths both.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  cp,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import '../src/kernels/index.js';
import { layers } from '../src/layers/index.js';
import { sequential } from '../src/models/index.js';
import { ModelFormatError, loadModel } from '../node/models/index.js';
import { ROOT } from './helpers/cli.js';

const root = await mkdtemp(join(tmpdir(), 'mnist-lab-hostile-'));
const base = join(root, 'base');
const outside = join(root, 'outside');
const secret = join(outside, 'secret.bin');
const SHARD = 'group1-shard1of1.bin';
let shardBytes = 0;

before(async () => {
  const m = sequential({
    layers: [
      layers.dense({ units: 8, activation: 'relu', inputShape: [784] }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  await m.save(base);
  shardBytes = (await readFile(join(base, SHARD))).byteLength;
  await mkdir(outside);
  // Same size as the real shard, so only containment can stop it.
  await writeFile(secret, new Uint8Array(shardBytes));
});
after(() => rm(root, { recursive: true, force: true }));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Case {
  name: string;
  /** Changes the copy of a good model folder. */
  mutate: (dir: string, json: Json) => Promise<Json | string | null> | Json | string | null;
  /** The one-line error, after "<file>: ". */
  error: RegExp;
  /** The file the error must name (default model.json). */
  file?: string;
}

const layer0 = (j: Json): Json => j['modelTopology'].config.layers[0];
const spec0 = (j: Json): Json => j['weightsManifest'][0].weights[0];
const noCrc = (j: Json): Json => {
  delete j['mnistLab'];
  return j;
};
const floatAt = async (dir: string, index: number, value: number): Promise<void> => {
  const bytes = await readFile(join(dir, SHARD));
  new DataView(bytes.buffer, bytes.byteOffset).setFloat32(index * 4, value, true);
  await writeFile(join(dir, SHARD), bytes);
};

const cases: Case[] = [
  {
    name: 'traversal in a weight path',
    mutate: (_, j) => ((j['weightsManifest'][0].paths = ['../outside/secret.bin']), j),
    error: /weightsManifest\[0\]\.paths\[0\]: '\.\.\/outside\/secret\.bin' is not allowed/,
  },
  {
    name: 'deep traversal to /etc/passwd',
    mutate: (_, j) => ((j['weightsManifest'][0].paths = ['./a/../../../../../etc/passwd']), j),
    error:
      /weightsManifest\[0\]\.paths\[0\]: '.*' is not allowed: weight files must be named relative/,
  },
  {
    name: 'absolute weight path',
    mutate: (_, j) => ((j['weightsManifest'][0].paths = [secret]), j),
    error: /weightsManifest\[0\]\.paths\[0\]: '.*secret\.bin' is not allowed/,
  },
  {
    name: 'URL as a weight path',
    mutate: (_, j) => ((j['weightsManifest'][0].paths = ['file:///etc/passwd']), j),
    error: /paths\[0\]: 'file:\/\/\/etc\/passwd' is not allowed/,
  },
  {
    name: 'symlink escaping the folder',
    mutate: async (dir) => {
      await rm(join(dir, SHARD));
      await symlink(secret, join(dir, SHARD));
      return null;
    },
    file: SHARD,
    error: /resolves to .*secret\.bin, outside the model folder/,
  },
  {
    name: 'symlink to /dev/zero',
    mutate: async (dir) => {
      await rm(join(dir, SHARD));
      await symlink('/dev/zero', join(dir, SHARD));
      return null;
    },
    file: SHARD,
    error: /resolves to \/dev\/zero, outside the model folder/,
  },
  {
    name: 'FIFO in place of the weights',
    mutate: (dir) => {
      execFileSync('rm', [join(dir, SHARD)]);
      execFileSync('mkfifo', [join(dir, SHARD)]);
      return null;
    },
    file: SHARD,
    error: /is a FIFO \(named pipe\), not a regular file/,
  },
  {
    name: 'FIFO in place of model.json',
    mutate: (dir) => {
      execFileSync('rm', [join(dir, 'model.json')]);
      execFileSync('mkfifo', [join(dir, 'model.json')]);
      return null;
    },
    error: /is a FIFO \(named pipe\), not a regular file/,
  },
  {
    name: 'a folder in place of the weights',
    mutate: async (dir) => {
      await rm(join(dir, SHARD));
      await mkdir(join(dir, SHARD));
      return null;
    },
    file: SHARD,
    error: /is a folder, not a regular file/,
  },
  {
    name: 'a 40 MB model.json',
    mutate: async (dir) => {
      await truncate(join(dir, 'model.json'), 40 * 1024 * 1024);
      return null;
    },
    error: /is 41943040 bytes, more than the limit of 33554432/,
  },
  {
    name: 'huge units in the topology only',
    mutate: (_, j) => ((layer0(j).config.units = 1_000_000), j),
    error:
      /layer 'dense.*' would create weight 'kernel' of shape \[784, 1000000\] \(3136000000 bytes\), more than the weights manifest holds/,
  },
  {
    name: 'huge units in topology and manifest',
    mutate: (_, j) => {
      layer0(j).config.units = 1_000_000;
      spec0(j).shape = [784, 1_000_000];
      return j;
    },
    error:
      /weightsManifest\[0\]\.weights\[0\]\.shape: \[784, 1000000\] takes the weights past the limit of 1073741824 bytes/,
  },
  {
    name: "layer class '__proto__'",
    mutate: (_, j) => ((layer0(j).class_name = '__proto__'), j),
    error: /modelTopology\.config\.layers\[0\]\.class_name: '__proto__' is not a valid name/,
  },
  {
    name: "layer class 'constructor'",
    mutate: (_, j) => ((layer0(j).class_name = 'constructor'), j),
    error: /layers\[0\]\.class_name: 'constructor' is not a valid name/,
  },
  {
    name: "layer name 'constructor'",
    mutate: (_, j) => ((layer0(j).config.name = 'constructor'), j),
    error: /layers\[0\]\.config\.name: 'constructor' is not a valid name/,
  },
  {
    name: "activation 'constructor'",
    mutate: (_, j) => ((layer0(j).config.activation = 'constructor'), j),
    error: /layers\[0\]\.config\.activation: 'constructor' is not a valid name/,
  },
  {
    name: "initializer '__proto__'",
    mutate: (_, j) => (
      (layer0(j).config.kernel_initializer = { class_name: '__proto__', config: {} }),
      j
    ),
    error: /kernel_initializer\.class_name: '__proto__' is not a valid name/,
  },
  {
    name: "regularizer 'constructor'",
    mutate: (_, j) => (
      (layer0(j).config.kernel_regularizer = { class_name: 'constructor', config: {} }),
      j
    ),
    error: /kernel_regularizer\.class_name: 'constructor' is not a valid name/,
  },
  {
    name: "config key '__proto__'",
    mutate: (dir, j) => JSON.stringify(j).replace('"units":8', '"__proto__":{"units":9},"units":8'),
    error: /layers\[0\]\.config: '__proto__' is not a valid name/,
  },
  {
    name: "optimizer 'constructor' (mnist-lab's training config)",
    mutate: (_, j) => ((j['mnistLab'].trainingConfig.optimizer.className = 'constructor'), j),
    error: /mnistLab\.trainingConfig\.optimizer\.className: 'constructor' is not a valid name/,
  },
  {
    name: "optimizer '__proto__' (TF.js training config)",
    mutate: (_, j) => ((j['trainingConfig'].optimizer_config.class_name = '__proto__'), noCrc(j)),
    error: /trainingConfig\.optimizer_config\.class_name: '__proto__' is not a valid name/,
  },
  {
    name: "loss 'constructor'",
    mutate: (_, j) => ((j['trainingConfig'].loss = 'constructor'), noCrc(j)),
    error: /trainingConfig\.loss: 'constructor' is not a valid name/,
  },
  {
    name: "metric '__proto__'",
    mutate: (_, j) => ((j['mnistLab'].trainingConfig.metrics = ['__proto__']), j),
    error: /mnistLab\.trainingConfig\.metrics\[0\]: '__proto__' is not a valid name/,
  },
  {
    name: "weight name '__proto__'",
    mutate: (_, j) => ((spec0(j).name = '__proto__'), j),
    error: /weightsManifest\[0\]\.weights\[0\]\.name: '__proto__' is not a valid name/,
  },
  {
    name: 'NaN weight',
    mutate: async (dir, j) => (await floatAt(dir, 3, NaN), noCrc(j)),
    error: /weight 'dense.*\/kernel': value 3 is NaN: weights must be finite numbers/,
  },
  {
    name: 'infinite weight',
    mutate: async (dir, j) => (await floatAt(dir, 784 * 8 + 2, -Infinity), noCrc(j)),
    error: /weight 'dense.*\/bias': value 2 is -Infinity/,
  },
  { name: 'null model.json', mutate: () => 'null', error: /\(top level\): must be a JSON object/ },
  {
    name: 'null weight group',
    mutate: (_, j) => ((j['weightsManifest'] = [null]), j),
    error: /weightsManifest\[0\]: must be an object with paths and weights/,
  },
  {
    name: 'null weight entry',
    mutate: (_, j) => ((j['weightsManifest'][0].weights[1] = null), j),
    error: /weightsManifest\[0\]\.weights\[1\]: must be an object with name, shape and dtype/,
  },
  {
    name: 'null dimension',
    mutate: (_, j) => ((spec0(j).shape = [784, null]), j),
    error:
      /weightsManifest\[0\]\.weights\[0\]\.shape\[1\]: must be a non-negative integer, got null/,
  },
  {
    name: 'null path',
    mutate: (_, j) => ((j['weightsManifest'][0].paths = [null]), j),
    error: /weightsManifest\[0\]\.paths\[0\]: must be a file name relative to model\.json/,
  },
  {
    name: 'null layer',
    mutate: (_, j) => ((j['modelTopology'].config.layers[1] = null), j),
    error: /modelTopology\.config\.layers\[1\]: must be an object/,
  },
  {
    name: 'manifest and topology disagree in shape (same byte total)',
    mutate: (_, j) => ((spec0(j).shape = [8, 784]), j),
    error:
      /weight 'dense.*\/kernel': has shape \[8, 784\], but the model's 'dense.*\/kernel' has shape \[784, 8\]/,
  },
  {
    name: 'manifest describes more bytes than the file holds',
    mutate: (_, j) => ((spec0(j).shape = [784, 9]), j),
    file: SHARD,
    error:
      /weightsManifest\[0\] describes \d+ bytes of weights, but its file holds \d+ \(truncated\?\)/,
  },
  {
    name: 'a Keras option we do not support',
    mutate: (_, j) => (
      (layer0(j).config.kernel_constraint = { class_name: 'MaxNorm', config: {} }),
      j
    ),
    error:
      /layers\[0\]\.config\.kernel_constraint: .*MaxNorm.* is not supported by mnist-lab's Dense/,
  },
  {
    name: 'an unknown config key',
    mutate: (_, j) => ((layer0(j).config.fancy = 1), j),
    error: /layers\[0\]\.config\.fancy: 'fancy' is not a Dense option mnist-lab supports/,
  },
  {
    name: 'a TF.js graph model',
    mutate: (_, j) => ((j['format'] = 'graph-model'), j),
    error: /format: 'graph-model' is a TF\.js graph model/,
  },
];

async function prepare(c: Case, i: number): Promise<string> {
  const dir = join(root, `case-${i}`);
  await cp(base, dir, { recursive: true });
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Json;
  const changed = await c.mutate(dir, json);
  if (changed !== null) {
    await writeFile(
      join(dir, 'model.json'),
      typeof changed === 'string' ? changed : JSON.stringify(changed),
    );
  }
  return dir;
}

interface Traced {
  code: number | null;
  stderr: string;
  maxRssKb: number;
  cpuSeconds: number;
  wallSeconds: number;
  opened: string[];
}

/** The CLI under GNU time and strace (every open of a file, by any thread or child). */
function tracedCli(args: string[], trace: string): Promise<Traced> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        'TIME %M %U %S %e',
        'strace',
        '-f',
        '-qq',
        '-e',
        'trace=open,openat,openat2',
        '-o',
        trace,
        process.execPath,
        join(ROOT, 'bin', 'mnist-lab.js'),
        ...args,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', async (code) => {
      const m = /TIME (\d+) ([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      if (!m) return reject(new Error(`no GNU time line in: ${stderr}`));
      const text = await readFile(trace, 'utf8');
      const opened = [...text.matchAll(/open(?:at2?)?\((?:AT_FDCWD, )?"([^"]*)"/g)].map(
        (x) => x[1]!,
      );
      resolve({
        code,
        stderr: stderr.slice(0, m.index).replace(/Command exited with non-zero status \d+\n/, ''),
        maxRssKb: Number(m[1]),
        cpuSeconds: Number(m[2]) + Number(m[3]),
        wallSeconds: Number(m[4]),
        opened,
      });
    });
  });
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

for (const [i, c] of cases.entries()) {
  test(`hostile model.json: ${c.name}`, async (t) => {
    const dir = await prepare(c, i);
    const named = new RegExp(
      `^${escape(join(dir, c.file ?? 'model.json'))}: (\\S*: )?\\S*${c.error.source}`,
    );
    const listing = (await readdir(dir)).sort();

    // Library.
    await assert.rejects(loadModel(dir), (e: Error) => {
      assert.ok(e instanceof ModelFormatError, `${e.name}: ${e.message}`);
      assert.match(e.message, named);
      assert.ok(!e.message.includes('\n'), 'one line');
      return true;
    });

    // CLI: exit code 1, one line on stderr, nothing written, bounded, nothing outside opened.
    const out = join(root, `out-${i}`);
    const r = await tracedCli(
      ['export', '--run', dir, '--format', 'tfjs', '--out', out],
      join(root, `trace-${i}`),
    );
    const lines = r.stderr.trim().split('\n');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!.replace(/^mnist-lab: /, ''), named);
    assert.deepEqual((await readdir(dir)).sort(), listing, 'the model folder is untouched');
    await assert.rejects(readdir(out), /ENOENT/, 'nothing written');
    assert.ok(r.maxRssKb < 300 * 1024, `max RSS ${r.maxRssKb} KB`);
    assert.ok(r.cpuSeconds < 2, `CPU ${r.cpuSeconds} s`);
    const strays = r.opened.filter(
      (p) =>
        p.startsWith(outside) ||
        p.startsWith('/etc/passwd') ||
        p === '/dev/zero' ||
        (p.startsWith(root) && !p.startsWith(dir)),
    );
    assert.deepEqual(strays, [], 'no file outside the model folder is opened');
    t.diagnostic(
      `rss ${Math.round(r.maxRssKb / 1024)} MB, cpu ${r.cpuSeconds.toFixed(2)} s, wall ${r.wallSeconds.toFixed(2)} s`,
    );
  });
}

test('loadModel on a device or a missing folder names it', async () => {
  await assert.rejects(loadModel('/dev/zero'), /: \/dev\/zero: is a device, not a regular file\.$/);
  await assert.rejects(
    loadModel('localstorage://m'),
    /localstorage:\/\/ is browser storage, which Node does not have/,
  );
  await assert.rejects(
    loadModel('ftp://x/model.json'),
    /'ftp:\/\/' is not a scheme mnist-lab can load/,
  );
  const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
  await assert.rejects(m.save('localstorage://m'), /browser storage/);
  await assert.rejects(readdir(join(process.cwd(), 'localstorage:')), /ENOENT/);
});
