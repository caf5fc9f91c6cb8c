// Real TF.js 4.22 (tfjs-layers on the cpu backend) as a test client of our saved models.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './http-server.js';

await tf.setBackend('cpu');

export { tf, tfl };

/** Serves `root` read-only over 127.0.0.1, as a web page's server would. */
export async function serveFolder(
  root: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  return startServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.includes('..')) {
      res.writeHead(403).end();
      return;
    }
    readFile(join(root, path)).then(
      (body) => res.writeHead(200, { 'content-length': body.byteLength }).end(body),
      () => res.writeHead(404).end(),
    );
  });
}

/**
 * Saves a TF.js model into `dir` the way tfjs-node's file:// handler does: model.json (topology,
 * weightsManifest with './weights.bin', trainingConfig when includeOptimizer) plus weights.bin.
 */
export async function saveTfjs(
  model: tfl.LayersModel,
  dir: string,
  includeOptimizer = false,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json: Record<string, unknown> = {
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: a.convertedBy,
        weightsManifest: [{ paths: ['./weights.bin'], weights: a.weightSpecs }],
      };
      if (a.trainingConfig) json['trainingConfig'] = a.trainingConfig;
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      const data = a.weightData as ArrayBuffer;
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(data));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
}

/** TF.js's prediction as a flat Float32Array. */
export function tfjsPredict(
  model: tfl.LayersModel,
  x: Float32Array | Float32Array[],
  shapes: number[][],
): Float32Array {
  const inputs = (Array.isArray(x) ? x : [x]).map((d, i) => tf.tensor(d, shapes[i]));
  const out = model.predict(inputs.length === 1 ? inputs[0]! : inputs) as tf.Tensor;
  const data = out.dataSync() as Float32Array;
  tf.dispose([out, ...inputs]);
  return Float32Array.from(data);
}
