import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../native/load.js';

const require = createRequire(import.meta.url);

/** Loaded on first use (a native module most commands never need). */
let resvg: typeof import('@resvg/resvg-js') | undefined;

/** The four DejaVu faces the figures use (sans, bold, oblique, mono): the same glyphs everywhere. */
export const FONT_FILES = [
  'DejaVuSans.ttf',
  'DejaVuSans-Bold.ttf',
  'DejaVuSans-Oblique.ttf',
  'DejaVuSansMono.ttf',
];

/**
 * The published package carries just these faces in fonts/ (copied there by `npm pack`); a
 * clone reads them from the `dejavu-fonts-ttf` dev dependency.
 */
let fonts: string[] | undefined;
function fontFiles(): string[] {
  if (fonts) return fonts;
  const root = packageRoot();
  const shipped = root === undefined ? undefined : join(root, 'fonts');
  const dir =
    shipped !== undefined && FONT_FILES.every((f) => existsSync(join(shipped, f)))
      ? shipped
      : join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return (fonts = FONT_FILES.map((f) => join(dir, f)));
}

export interface SvgToPngOptions {
  /** Pixels per SVG unit (default 2, for sharp text on high-density screens). */
  scale?: number;
  /** Fill behind a transparent SVG (default white). */
  background?: string;
}

/**
 * Rasterises an SVG to PNG with resvg. Fonts come from the bundled DejaVu files only, never the
 * system, so a figure looks the same on a bare CI machine as on a desktop; any font family the SVG
 * names falls back to DejaVu Sans.
 */
export function svgToPng(svg: string, options: SvgToPngOptions = {}): Buffer {
  resvg ??= require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const renderer = new resvg.Resvg(svg, {
    background: options.background ?? 'white',
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: {
      fontFiles: fontFiles(),
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
      serifFamily: 'DejaVu Sans',
      monospaceFamily: 'DejaVu Sans Mono',
    },
  });
  return renderer.render().asPng();
}
