// Shapes as layers see them: the batch dimension (and any unknown one) is null.
import type { Shape } from '../tensor/shape.js';

/** A shape whose dimensions may be unknown (null), e.g. [null, 28, 28, 1]. */
export type ShapeN = readonly (number | null)[];

/** One shape or, for layers with several inputs or outputs, a list of shapes. */
export type LayerShape = ShapeN | readonly ShapeN[];

export function isShapeList(s: LayerShape): s is readonly ShapeN[] {
  return s.length > 0 && Array.isArray(s[0]);
}

export function shapeList(s: LayerShape): ShapeN[] {
  return isShapeList(s) ? [...s] : [s as ShapeN];
}

/** The shape with its batch dimension unknown (how layers record what they were built for). */
export function withNullBatch(shape: ShapeN | Shape): ShapeN {
  return shape.length === 0 ? [] : [null, ...shape.slice(1)];
}

/** Keras's display: (None, 26, 26, 32). */
export function formatKerasShape(shape: ShapeN): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

/** Checks a layer argument is a positive integer (or a pair of them) and returns the pair. */
export function pair(value: number | readonly number[], name: string): [number, number] {
  const p: readonly number[] = typeof value === 'number' ? [value, value] : value;
  if (p.length !== 2 || !p.every((v) => Number.isInteger(v) && v > 0)) {
    throw new Error(
      `${name} must be a positive integer or a pair of them, got ${JSON.stringify(value)}.`,
    );
  }
  return [p[0]!, p[1]!];
}
