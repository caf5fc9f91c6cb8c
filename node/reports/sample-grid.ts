import { createCanvas } from '@napi-rs/canvas';

export interface SampleGridOptions {
  /** Images per row (default: min(count, 10)). */
  columns?: number;
  /** Pixels per image pixel (default 3: 28 -> 84). */
  scale?: number;
  /** Caption under each image; default the label's class name. */
  captions?: readonly string[];
}

/**
 * Renders images (uint8 [n, h, w], 0 = black ink on white like the notebook's gray_r colormap)
 * in a grid with a caption under each, as a PNG.
 */
export function renderSampleGrid(
  images: { data: Uint8Array; shape: readonly [number, number, number] },
  count: number,
  captions: readonly string[],
  options: SampleGridOptions = {},
): Buffer {
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
  const canvas = createCanvas(cols * cellW + pad, rows * cellH + pad);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);

  const tile = ctx.createImageData(w * scale, h * scale);
  for (let i = 0; i < shown; i++) {
    const x0 = pad + (i % cols) * cellW;
    const y0 = pad + Math.floor(i / cols) * cellH;
    const base = i * h * w;
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < w * scale; x++) {
        const v = 255 - images.data[base + Math.floor(y / scale) * w + Math.floor(x / scale)]!;
        const o = 4 * (y * w * scale + x);
        tile.data[o] = v;
        tile.data[o + 1] = v;
        tile.data[o + 2] = v;
        tile.data[o + 3] = 255;
      }
    }
    ctx.putImageData(tile, x0, y0);
    ctx.strokeStyle = '#c8c8c8';
    ctx.strokeRect(x0 - 0.5, y0 - 0.5, w * scale + 1, h * scale + 1);
    ctx.fillStyle = '#000000';
    ctx.font = '15px sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText(captions[i] ?? '', x0 + (w * scale) / 2, y0 + h * scale + 17, w * scale + pad);
  }
  return canvas.toBuffer('image/png');
}
