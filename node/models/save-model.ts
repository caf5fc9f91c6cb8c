import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from '../../src/data/crc32.js';
import type { Model } from '../../src/models/index.js';
import { modelArtifacts, type SaveOptions } from '../../src/models/layers-format.js';
import { urlSaver } from '../../src/models/load-url.js';
import { resolveSource } from './load-model.js';
import { writeFileAtomic as writeAtomic } from '../fs/write-atomic.js';

function checkBuilt(model: Model, what: string): void {
  if (!model.built) {
    throw new Error(
      `${what}: model '${model.name}' is not built yet, so it has no weights. Call it on data or build(inputShape) first.`,
    );
  }
}

/** Weight files a previous save in `dir` wrote, to remove once the new model.json is in place. */
async function previousWeightFiles(dir: string): Promise<string[]> {
  try {
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    if (typeof json['weightsFile'] === 'string') return [json['weightsFile']];
    const groups = Array.isArray(json['weightsManifest'])
      ? (json['weightsManifest'] as { paths?: unknown }[])
      : [];
    return groups
      .flatMap((g) => (Array.isArray(g.paths) ? g.paths : []))
      .filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}

async function write(
  model: Model,
  target: string,
  topology: ReturnType<Model['toJSON']> | null,
  options: SaveOptions,
): Promise<void> {
  const src = await resolveSource(target, 'save');
  // As TF.js's http handler: one multipart POST (the core's URL saver).
  if (src.kind === 'http') {
    return topology ? urlSaver.save(model, target, options) : urlSaver.saveWeights(model, target);
  }
  const { json, shards } = modelArtifacts(model, topology, crc32, options);
  const dir = src.dir;
  await mkdir(dir, { recursive: true });
  const old = await previousWeightFiles(dir);
  // Shards first: model.json (renamed last) holds the CRCs of the shards it belongs with.
  for (const s of shards) await writeAtomic(join(dir, s.path), s.bytes);
  await writeAtomic(join(dir, 'model.json'), `${JSON.stringify(json, null, 2)}\n`);
  const kept = new Set(shards.map((s) => s.path));
  for (const p of old) {
    const name = p.replace(/^\.\//, '');
    if (!kept.has(name) && /^[\w.-]+\.bin$/.test(name)) await rm(join(dir, name), { force: true });
  }
}

/**
 * Saves topology, weights and training config in TF.js's Layers format: `dir/model.json` plus
 * 4 MB weight shards (a folder path or file://; http(s):// POSTs as TF.js does). Subclassed
 * models have no serialisable topology: as in Keras, save their weights with saveWeights().
 */
export async function saveModel(
  model: Model,
  dir: string,
  options: SaveOptions = {},
): Promise<void> {
  checkBuilt(model, 'save()');
  let topology;
  try {
    topology = model.toJSON();
  } catch (e) {
    throw new Error(`Cannot save model '${model.name}' to ${dir}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  await write(model, dir, topology, options);
}

/** Saves the weights only (model.json with a null topology, plus the shards). */
export async function saveWeights(model: Model, dir: string): Promise<void> {
  checkBuilt(model, 'saveWeights()');
  await write(model, dir, null, {});
}
