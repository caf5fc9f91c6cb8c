// loadModel over http(s): the same model as from the folder; sizes bounded; shards confined to
// the model's folder on the same origin.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import '../src/kernels/index.js';
import { layers } from '../src/layers/index.js';
import { loadModelFromUrl, sequential } from '../src/models/index.js';
import { Tensor } from '../src/tensor/tensor.js';
import { loadModel } from '../node/models/index.js';
import { startServer } from './helpers/http-server.js';
import { serveFolder } from './helpers/tfjs.js';

const root = await mkdtemp(join(tmpdir(), 'mnist-lab-url-'));
after(() => rm(root, { recursive: true, force: true }));

test('a served model loads by URL (Node loadModel and the browser-safe loadModelFromUrl)', async () => {
  const m = sequential({
    layers: [layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })],
  });
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  await m.save(join(root, 'm'));
  const server = await serveFolder(root);
  try {
    const x = new Tensor(Float32Array.from([0.1, 0.2, 0.3, 0.4, -1, 0, 1, 2]), [2, 4]);
    for (const loaded of [
      await loadModel(`${server.url}m/model.json`),
      await loadModelFromUrl(`${server.url}m/model.json`),
    ]) {
      assert.deepEqual([...loaded.predict(x).values], [...m.predict(x).values]);
      assert.ok(loaded.compiled);
    }
    // A shard named outside the model's folder is refused before it is fetched.
    const json = JSON.parse(await readFile(join(root, 'm', 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../secret.bin'];
    await writeFile(join(root, 'm', 'evil.json'), JSON.stringify(json));
    await assert.rejects(
      loadModel(`${server.url}m/evil.json`),
      /evil\.json: weightsManifest\[0\]\.paths\[0\]: '\.\.\/secret\.bin' is not allowed/,
    );
    await assert.rejects(loadModel(`${server.url}m/missing.json`), /missing\.json: HTTP 404/);
  } finally {
    await server.close();
  }
});

test('a server sending more than the manifest describes is cut off', async () => {
  const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [2] })] });
  await m.save(join(root, 'big'));
  const json = await readFile(join(root, 'big', 'model.json'));
  const server = await startServer((req, res) => {
    if (req.url?.endsWith('model.json')) res.writeHead(200).end(json);
    else {
      // No Content-Length, then far more bytes than the 24 the manifest describes.
      res.writeHead(200);
      res.write(new Uint8Array(1 << 16));
      res.end(new Uint8Array(1 << 16));
    }
  });
  try {
    await assert.rejects(
      loadModel(`${server.url}big/model.json`),
      /group1-shard1of1\.bin: is more than the 24 bytes expected/,
    );
  } finally {
    await server.close();
  }
});

test("save('http://...') POSTs model.json and model.weights.bin as TF.js's http handler does", async () => {
  const m = sequential({
    layers: [layers.dense({ units: 3, inputShape: [4], activation: 'relu' })],
  });
  const received: { type: string; body: Buffer }[] = [];
  const server = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ type: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      res.writeHead(200).end('{}');
    });
  });
  try {
    await m.save(`${server.url}upload`);
  } finally {
    await server.close();
  }
  assert.equal(received.length, 1);
  const form = await new Response(received[0]!.body, {
    headers: { 'content-type': received[0]!.type },
  }).formData();
  const dir = join(root, 'posted');
  await mkdir(dir);
  const json = form.get('model.json') as Blob;
  const weights = form.get('model.weights.bin') as Blob;
  const parsed = JSON.parse(await json.text());
  assert.deepEqual(parsed.weightsManifest[0].paths, ['./model.weights.bin']);
  await writeFile(join(dir, 'model.json'), await json.text());
  await writeFile(join(dir, 'model.weights.bin'), new Uint8Array(await weights.arrayBuffer()));
  const x = new Tensor(Float32Array.from([1, -1, 0.5, 2]), [1, 4]);
  assert.deepEqual([...(await loadModel(dir)).predict(x).values], [...m.predict(x).values]);
});
