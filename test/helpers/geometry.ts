import type { ConvGeometry, PoolGeometry } from '../../src/kernels/backend.js';

/**
 * Conv and pool geometries the way the layers will compute them: 'valid' has no padding,
 * 'same' gives ceil(in / stride) outputs and splits the padding TensorFlow's way (the extra
 * pixel goes to the bottom/right).
 */

export type Padding = 'valid' | 'same';

function axis(
  size: number,
  window: number,
  stride: number,
  padding: Padding,
): { out: number; pad: number } {
  if (padding === 'valid')
    return { out: Math.max(Math.floor((size - window) / stride) + 1, 0), pad: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + window - size, 0);
  return { out, pad: Math.floor(total / 2) };
}

export interface ConvSpec {
  n: number;
  inH: number;
  inW: number;
  inC: number;
  outC: number;
  kH: number;
  kW: number;
  stride?: number | [number, number];
  dilation?: number | [number, number];
  padding?: Padding;
}

const pair = (v: number | [number, number] | undefined): [number, number] =>
  v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v;

export function convGeometry(spec: ConvSpec): ConvGeometry {
  const [strideH, strideW] = pair(spec.stride);
  const [dilationH, dilationW] = pair(spec.dilation);
  const padding = spec.padding ?? 'valid';
  const rows = axis(spec.inH, (spec.kH - 1) * dilationH + 1, strideH, padding);
  const cols = axis(spec.inW, (spec.kW - 1) * dilationW + 1, strideW, padding);
  return {
    n: spec.n,
    inH: spec.inH,
    inW: spec.inW,
    inC: spec.inC,
    outH: rows.out,
    outW: cols.out,
    outC: spec.outC,
    kH: spec.kH,
    kW: spec.kW,
    strideH,
    strideW,
    dilationH,
    dilationW,
    padTop: rows.pad,
    padLeft: cols.pad,
  };
}

export interface PoolSpec {
  n: number;
  inH: number;
  inW: number;
  c: number;
  pool: number | [number, number];
  stride?: number | [number, number];
  padding?: Padding;
}

export function poolGeometry(spec: PoolSpec): PoolGeometry {
  const [poolH, poolW] = pair(spec.pool);
  // Keras's pooling layers default the stride to the pool size.
  const [strideH, strideW] = spec.stride === undefined ? [poolH, poolW] : pair(spec.stride);
  const padding = spec.padding ?? 'valid';
  const rows = axis(spec.inH, poolH, strideH, padding);
  const cols = axis(spec.inW, poolW, strideW, padding);
  return {
    n: spec.n,
    inH: spec.inH,
    inW: spec.inW,
    c: spec.c,
    outH: rows.out,
    outW: cols.out,
    poolH,
    poolW,
    strideH,
    strideW,
    padTop: rows.pad,
    padLeft: cols.pad,
  };
}

export const convSizes = (g: ConvGeometry): { x: number; w: number; y: number } => ({
  x: g.n * g.inH * g.inW * g.inC,
  w: g.kH * g.kW * g.inC * g.outC,
  y: g.n * g.outH * g.outW * g.outC,
});

export const poolSizes = (g: PoolGeometry): { x: number; y: number } => ({
  x: g.n * g.inH * g.inW * g.c,
  y: g.n * g.outH * g.outW * g.c,
});

export function describeConv(g: ConvGeometry): string {
  return (
    `x[${g.n},${g.inH},${g.inW},${g.inC}] w[${g.kH},${g.kW},${g.inC},${g.outC}] -> y[${g.n},${g.outH},${g.outW},${g.outC}]` +
    ` stride ${g.strideH}x${g.strideW} dilation ${g.dilationH}x${g.dilationW} pad ${g.padTop},${g.padLeft}`
  );
}

export function describePool(g: PoolGeometry): string {
  return (
    `x[${g.n},${g.inH},${g.inW},${g.c}] pool ${g.poolH}x${g.poolW} stride ${g.strideH}x${g.strideW}` +
    ` pad ${g.padTop},${g.padLeft} -> y[${g.n},${g.outH},${g.outW},${g.c}]`
  );
}
