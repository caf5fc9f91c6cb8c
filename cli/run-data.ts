import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { datasetSpec, type DatasetSpec } from '../src/data/dataset-spec.js';

/** The dataset a run was trained on (its config.json), or MNIST for a bare model folder. */
export async function runDataset(run: string, given?: string): Promise<DatasetSpec> {
  if (given !== undefined) return datasetSpec(given);
  for (const file of [join(run, 'config.json'), join(run, '..', 'config.json')]) {
    try {
      const config = JSON.parse(await readFile(file, 'utf8')) as { dataset?: unknown };
      if (typeof config.dataset === 'string') return datasetSpec(config.dataset);
    } catch {
      // no run config here
    }
  }
  return datasetSpec('mnist');
}
