import { modelFromJSON, type Model } from '../src/models/index.js';

/**
 * A saved run's model: the server loads it with the library's checked loader (whatever format
 * the folder holds) and hands the page its topology and weights; the page rebuilds it here.
 */
export async function fetchModel(runId: string): Promise<Model> {
  const q = `id=${encodeURIComponent(runId)}`;
  const res = await fetch(`/api/model?${q}`);
  const body = (await res.json()) as {
    error?: string;
    topology: Parameters<typeof modelFromJSON>[0];
    weights: { size: number }[];
  };
  if (!res.ok) throw new Error(body.error ?? `${runId}: no model (${res.status}).`);
  const bin = await (await fetch(`/api/model-weights?${q}`)).arrayBuffer();
  const total = body.weights.reduce((n, w) => n + w.size, 0);
  if (bin.byteLength !== total * 4) throw new Error(`${runId}: the weights changed while loading.`);
  const view = new DataView(bin);
  let offset = 0;
  const weights = body.weights.map(({ size }) => {
    const w = new Float32Array(size);
    for (let i = 0; i < size; i++, offset += 4) w[i] = view.getFloat32(offset, true);
    return w;
  });
  const model = modelFromJSON(body.topology);
  model.setWeights(weights);
  return model;
}
