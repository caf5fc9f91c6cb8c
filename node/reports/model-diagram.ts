// plot_model for Node: the model's DOT laid out by graphviz (compiled to WebAssembly, so no
// system install) as SVG, rasterised to PNG with the bundled DejaVu fonts graphviz measured.
import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { Graphviz } from '@hpcc-js/wasm-graphviz';
import type { Model } from '../../src/models/model.js';
import { modelToDot, type ModelDotOptions } from '../../src/reports/model-graph.js';
import { writeFileAtomic } from '../fs/write-atomic.js';
import { svgToPng } from './svg-png.js';

export interface ModelDiagramOptions extends Omit<ModelDotOptions, 'dpi'> {
  /** PNG resolution in pixels per inch (default 200, as Keras's plot_model). */
  dpi?: number;
}

let graphviz: Promise<Graphviz> | undefined;

/** Lays out DOT text as SVG (the WebAssembly module loads once per process). */
export async function dotToSvg(dot: string): Promise<string> {
  graphviz ??= import('@hpcc-js/wasm-graphviz').then((m) => m.Graphviz.load());
  return (await graphviz).dot(dot);
}

function checkDpi(dpi: number): void {
  if (!(Number.isFinite(dpi) && dpi > 0)) {
    throw new Error(`dpi must be a positive number, got ${dpi}.`);
  }
}

// graphviz sizes the SVG in points; resvg counts a point as 96/72 px before zooming.
function rasterise(svg: string, dpi: number): Buffer {
  return svgToPng(svg, { scale: dpi / 96 });
}

/** The diagram as SVG, and as PNG at `dpi`. */
export async function renderModelDiagram(
  model: Model,
  options: ModelDiagramOptions = {},
): Promise<{ svg: string; png: Buffer }> {
  const { dpi = 200, ...dotOptions } = options;
  checkDpi(dpi);
  const svg = await dotToSvg(modelToDot(model, dotOptions));
  return { svg, png: rasterise(svg, dpi) };
}

const FORMATS = ['.svg', '.png'] as const;

/** The diagram format a file name asks for. */
export function diagramFormat(path: string): 'svg' | 'png' {
  const ext = extname(path).toLowerCase();
  if (ext === '.svg' || ext === '.png') return ext === '.svg' ? 'svg' : 'png';
  throw new Error(
    `Cannot write a model diagram to '${path}': the file name must end in ${FORMATS.join(' or ')}` +
      (ext === '' ? ' (it has no extension).' : `, not ${ext}.`),
  );
}

/** Writes the diagram to `path`, as SVG or PNG by its extension (Keras's plot_model). */
export async function writeModelDiagram(
  model: Model,
  path: string,
  options: ModelDiagramOptions = {},
): Promise<void> {
  const format = diagramFormat(path);
  const { dpi = 200, ...dotOptions } = options;
  checkDpi(dpi);
  const svg = await dotToSvg(modelToDot(model, dotOptions));
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, format === 'svg' ? svg : rasterise(svg, dpi));
}
