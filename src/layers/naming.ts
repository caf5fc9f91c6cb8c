// Automatic layer and model names, unique per session as in Keras ('dense', 'dense_1', ...).

const uids = new Map<string, number>();

/** Keras's `to_snake_case`: 'Conv2D' -> 'conv2d', 'MaxPooling2D' -> 'max_pooling2d'. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** `prefix` the first time, then `prefix_1`, `prefix_2`, ... */
export function uniqueName(prefix: string): string {
  const n = (uids.get(prefix) ?? 0) + 1;
  uids.set(prefix, n);
  return n === 1 ? prefix : `${prefix}_${n - 1}`;
}

/**
 * Restarts automatic naming (part of Keras's `clear_session`), so a fresh script or test gets
 * 'dense', 'dense_1', ... again.
 */
export function resetLayerNames(): void {
  uids.clear();
}
