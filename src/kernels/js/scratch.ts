/**
 * Zeroed double scratch rows for the js kernels, reused from call to call so a training step
 * on the js backend allocates nothing in its steady state. Kernels are synchronous and never
 * nest, so a call owns the slots it asks for until it returns; slots are numbered per call.
 */
const slots: Float64Array[] = [];

export function scratchF64(slot: number, n: number): Float64Array {
  let s = slots[slot];
  if (!s || s.length < n) slots[slot] = s = new Float64Array(Math.max(n, 2 * (s?.length ?? 0)));
  const view = s.length === n ? s : s.subarray(0, n);
  view.fill(0);
  return view;
}
