import type { SerializedObject } from '../initializers/initializer.js';
import type { Layer } from './layer.js';

/** Makes a layer from its config (usually `(c) => new Cls(c)`). */
export type LayerFactory = (config: Record<string, unknown>) => Layer;

const factories = new Map<string, LayerFactory>();

/**
 * Registers a layer (or model) class for deserialisation under its class name. Custom layers
 * register themselves the same way before a saved model that uses them is loaded.
 */
export function registerLayer(className: string, factory: LayerFactory): void {
  factories.set(className, factory);
}

export function registeredLayerClasses(): string[] {
  return [...factories.keys()];
}

/** Rebuilds a layer from `{ className, config }`; unknown classes get an error naming them. */
export function deserializeLayer(serialized: SerializedObject): Layer {
  const factory = factories.get(serialized.className);
  if (!factory) {
    throw new Error(
      `Unknown layer class '${serialized.className}'. Known classes: ${registeredLayerClasses().join(', ')}. ` +
        'Register custom layers with registerLayer(className, factory) before loading.',
    );
  }
  return factory(serialized.config ?? {});
}
