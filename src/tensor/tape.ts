import { formatShape, shapesEqual } from './shape.js';
import { Tensor, ones, type GradNode } from './tensor.js';

let recording = true;

/** Whether ops currently record how they were computed. */
export function isRecording(): boolean {
  return recording;
}

/** Runs `fn` without recording gradients (inference, metrics, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  const was = recording;
  recording = false;
  try {
    return fn();
  } finally {
    recording = was;
  }
}

/**
 * Called by every op: marks `out` as produced from `inputs` with `backward`, if recording
 * and any input needs a gradient. Returns `out`.
 */
export function record(
  out: Tensor,
  op: string,
  inputs: readonly Tensor[],
  backward: GradNode['backward'],
): Tensor {
  if (recording && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.node = { op, inputs, backward };
  }
  return out;
}

/** Adds `b` into `a` (same shape), allocating only when `a` is shared. */
type Adder = (a: Tensor, b: Tensor) => Tensor;
let addTensors: Adder | undefined;

/** ops/ registers its elementwise add here (the tape sits below ops). */
export function setGradientAdder(fn: Adder): void {
  addTensors = fn;
}

/**
 * Back-propagates from `output` (default gradient: ones, e.g. for a scalar loss) through the
 * recorded graph and accumulates `grad` on every leaf that requires it. Gradients arriving at a
 * tensor from several consumers are summed.
 */
export function backward(output: Tensor, seed?: Tensor): void {
  if (!output.requiresGrad) {
    throw new Error(
      'backward(): the tensor does not depend on any variable that requires a gradient.',
    );
  }
  const dy = seed ?? ones(output.shape, output.dtype);
  if (!shapesEqual(dy.shape, output.shape)) {
    throw new Error(
      `backward(): seed gradient ${formatShape(dy.shape)} does not match output ${formatShape(output.shape)}.`,
    );
  }
  // Topological order by depth-first search from the output.
  const order: Tensor[] = [];
  const seen = new Set<number>();
  const stack: [Tensor, boolean][] = [[output, false]];
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    stack.push([t, true]);
    if (t.node)
      for (const input of t.node.inputs)
        if (input.requiresGrad && !seen.has(input.id)) stack.push([input, false]);
  }
  const grads = new Map<number, Tensor>([[output.id, dy]]);
  const add = addTensors;
  if (!add) throw new Error('backward(): the ops module is not loaded.');
  noGrad(() => propagate(order, grads, add));
}

function propagate(order: Tensor[], grads: Map<number, Tensor>, add: Adder): void {
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i]!;
    const g = grads.get(t.id);
    if (!g) continue;
    if (!t.node) {
      t.grad = t.grad ? add(t.grad, g) : g;
      continue;
    }
    grads.delete(t.id);
    const inputGrads = t.node.backward(g);
    t.node.inputs.forEach((input, k) => {
      const gi = inputGrads[k];
      if (!gi || !input.requiresGrad) return;
      if (!shapesEqual(gi.shape, input.shape)) {
        throw new Error(
          `Gradient of '${t.node!.op}' for input ${k} has shape ${formatShape(gi.shape)}, expected ${formatShape(input.shape)}.`,
        );
      }
      const prev = grads.get(input.id);
      grads.set(input.id, prev ? add(prev, gi) : gi);
    });
  }
}
