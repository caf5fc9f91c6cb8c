// Rebuilding models from their JSON: every layer class registered, models nested as layers too.
import '../layers/index.js';
import { registerLayer } from '../layers/layer-registry.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

registerLayer('Functional', (c) => Model.fromConfig(c));
registerLayer('Model', (c) => Model.fromConfig(c));
registerLayer('Sequential', (c) => Sequential.fromConfig(c));

/**
 * Rebuilds a model (or layer) from `{ className, config }` as produced by `model.toJSON()`, or
 * its JSON text. Weights are fresh; load saved ones separately.
 */
export function modelFromJSON(
  json: string | { className: string; config: Record<string, unknown> },
): Model {
  const spec =
    typeof json === 'string'
      ? (JSON.parse(json) as { className: string; config: Record<string, unknown> })
      : json;
  if (spec.className === 'Sequential') return Sequential.fromConfig(spec.config);
  if (spec.className === 'Functional' || spec.className === 'Model')
    return Model.fromConfig(spec.config);
  throw new Error(
    `Cannot rebuild a model of class '${spec.className}' from JSON: only Sequential and functional models are serialisable.`,
  );
}
