/** Shape helpers shared by ops, layers and models. */

export type Shape = readonly number[];

/** Number of elements; every dimension must be a whole number >= 0 (checked before allocating). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(
        `A shape holds whole numbers >= 0, got [${shape.join(', ')}] (dimension ${d}).`,
      );
    }
    n *= d;
  }
  return n;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/** NumPy broadcasting of two shapes; throws naming both shapes when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `Shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together.`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalises a possibly negative axis for a tensor of `rank` dimensions. */
export function normalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new RangeError(`axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}

/** Resolves a single -1 in a reshape target. */
export function inferShape(target: Shape, size: number): number[] {
  const out = [...target];
  const unknown = out.indexOf(-1);
  if (unknown >= 0) {
    const known = out.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known === 0 || size % known !== 0) {
      throw new Error(`Cannot reshape ${size} values into ${formatShape(target)}.`);
    }
    out[unknown] = size / known;
  }
  if (sizeOf(out) !== size) {
    throw new Error(`Cannot reshape ${size} values into ${formatShape(target)}.`);
  }
  return out;
}
