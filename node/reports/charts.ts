import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from '../../src/reports/chart-specs.js';
import { writeFileAtomic } from '../fs/write-atomic.js';
import { svgToPng, type SvgToPngOptions } from './svg-png.js';

interface Vega {
  View: typeof import('vega').View;
  parse: typeof import('vega').parse;
  compile: typeof import('vega-lite').compile;
}

// Vega and Vega-Lite as one bundle built with the package (scripts/build-vendor.mjs): installed,
// they would weigh 25 MB. Loaded on first use: most commands never draw a chart.
const VEGA_BUNDLE = '../../vendor/vega.js';
let vega: Promise<Vega> | undefined;
const loadVega = (): Promise<Vega> => (vega ??= import(VEGA_BUNDLE) as Promise<Vega>);

/**
 * Renders a Vega-Lite spec headlessly: SVG from Vega's scenegraph, PNG from that SVG via resvg.
 * Text is set in DejaVu Sans unless the spec names a font, the face `svgToPng` embeds, so the SVG
 * and the PNG show the same glyphs.
 */
export async function renderChart(
  spec: ChartSpec,
  options: SvgToPngOptions = {},
): Promise<{ svg: string; png: Buffer }> {
  const { View, parse, compile } = await loadVega();
  const { config } = spec as { config?: object };
  const withFont = { ...spec, config: { font: 'DejaVu Sans', ...config } } as TopLevelSpec;
  const view = new View(parse(compile(withFont).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return { svg, png: svgToPng(svg, options) };
  } finally {
    view.finalize();
  }
}

/** Writes `${base}.svg` and `${base}.png` (each atomically) and returns the two paths. */
export async function writeChart(
  spec: ChartSpec,
  base: string,
  options: SvgToPngOptions = {},
): Promise<{ svg: string; png: string }> {
  const { svg, png } = await renderChart(spec, options);
  const paths = { svg: `${base}.svg`, png: `${base}.png` };
  await mkdir(dirname(base), { recursive: true });
  await Promise.all([writeFileAtomic(paths.svg, svg), writeFileAtomic(paths.png, png)]);
  return paths;
}
