import { svgToPng } from './svg-png.js';

export interface SampleGridOptions {
  /** Images per row (default: min(count, 10)). */
  columns?: number;
  /** Pixels per image pixel (default 3: 28 -> 84). */
  scale?: number;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The grid as SVG: images (uint8 [n, h, w], 0 = white and 255 = black, like the notebook's
 * gray_r colormap) with a caption under each. Each row of an image is drawn as runs of equal
 * pixels, so a digit is about a hundred rectangles.
 */
export function sampleGridSvg(
  images: { data: Uint8Array; shape: readonly [number, number, number] },
  count: number,
  captions: readonly string[],
  options: SampleGridOptions = {},
): string {
  const [n, h, w] = images.shape;
  if (!(count >= 1) || !Number.isInteger(count)) {
    throw new RangeError(`--samples must be a positive whole number, got ${count}`);
  }
  const shown = Math.min(count, n);
  const cols = Math.max(1, Math.min(options.columns ?? 10, shown));
  const rows = Math.ceil(shown / cols);
  const scale = options.scale ?? 3;
  const pad = 8;
  const captionH = 22;
  const cellW = w * scale + pad;
  const cellH = h * scale + captionH + pad;
  const width = cols * cellW + pad;
  const height = rows * cellH + pad;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  for (let i = 0; i < shown; i++) {
    const x0 = pad + (i % cols) * cellW;
    const y0 = pad + Math.floor(i / cols) * cellH;
    const base = i * h * w;
    out.push(`<g transform="translate(${x0} ${y0}) scale(${scale})" shape-rendering="crispEdges">`);
    for (let y = 0; y < h; y++) {
      let x = 0;
      while (x < w) {
        const v = images.data[base + y * w + x]!;
        let end = x + 1;
        while (end < w && images.data[base + y * w + end] === v) end++;
        if (v !== 0) {
          const g = (255 - v).toString(16).padStart(2, '0');
          out.push(`<rect x="${x}" y="${y}" width="${end - x}" height="1" fill="#${g}${g}${g}"/>`);
        }
        x = end;
      }
    }
    out.push('</g>');
    out.push(
      `<rect x="${x0 - 0.5}" y="${y0 - 0.5}" width="${w * scale + 1}" height="${h * scale + 1}" fill="none" stroke="#c8c8c8"/>`,
      `<text x="${x0 + (w * scale) / 2}" y="${y0 + h * scale + 17}" font-family="DejaVu Sans" font-size="15" text-anchor="middle">${escapeXml(captions[i] ?? '')}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The grid rendered to PNG by resvg with the bundled DejaVu fonts (see `sampleGridSvg`). */
export function renderSampleGrid(
  images: { data: Uint8Array; shape: readonly [number, number, number] },
  count: number,
  captions: readonly string[],
  options: SampleGridOptions = {},
): Buffer {
  return svgToPng(sampleGridSvg(images, count, captions, options), { scale: 1 });
}
