import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../fs/write-atomic.js';
import { svgToPng, type SvgToPngOptions } from './svg-png.js';

/**
 * Renders a Vega-Lite spec headlessly: SVG from Vega's scenegraph, PNG from that SVG via resvg.
 * Text is set in DejaVu Sans unless the spec names a font, the face `svgToPng` embeds, so the SVG
 * and the PNG show the same glyphs.
 */
export async function renderChart(
  spec: TopLevelSpec,
  options: SvgToPngOptions = {},
): Promise<{ svg: string; png: Buffer }> {
  // Loaded on first use: Vega is large, and most commands never draw a chart.
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const withFont = { ...spec, config: { font: 'DejaVu Sans', ...spec.config } } as TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(withFont).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return { svg, png: svgToPng(svg, options) };
  } finally {
    view.finalize();
  }
}

/** Writes `${base}.svg` and `${base}.png` (each atomically) and returns the two paths. */
export async function writeChart(
  spec: TopLevelSpec,
  base: string,
  options: SvgToPngOptions = {},
): Promise<{ svg: string; png: string }> {
  const { svg, png } = await renderChart(spec, options);
  const paths = { svg: `${base}.svg`, png: `${base}.png` };
  await mkdir(dirname(base), { recursive: true });
  await Promise.all([writeFileAtomic(paths.svg, svg), writeFileAtomic(paths.png, png)]);
  return paths;
}
